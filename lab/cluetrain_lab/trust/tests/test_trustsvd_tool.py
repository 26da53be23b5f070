"""`python -m cluetrain_lab.trust.trustsvd`: one JSON line comparing TrustSVD, svd and ours."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from cluetrain_lab.trust import trustsvd
from cluetrain_lab.trust.tests.test_eval_trust import last_json_line, write_planted_ratings


@pytest.fixture(autouse=True)
def one_thread() -> Iterator[None]:
    with threadpool_limits(1):
        yield


def test_trustsvd_tool_compares_the_models_on_the_test_ratings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    test_rows = write_planted_ratings(tmp_path)
    argv = ["--train", str(tmp_path / "train"), "--test", str(tmp_path / "test")]
    assert trustsvd.main([*argv, "--dataset", "ciao", "--blend"]) == 0
    result = last_json_line(capsys.readouterr().out)
    assert set(result) == {"trustsvd", "svd", "trustsvd_cpu_s", "ours", "ours_trust_svd"}
    assert result["trustsvd"]["n"] == len(test_rows)
    assert result["trustsvd"]["cold_start"]["n"] == sum(
        1 for row in test_rows if int(row.split(",")[0]) % 3 == 0
    )
    # The planted tastes follow the trust clusters: the trusted members' factors carry them.
    assert result["trustsvd"]["cold_start"]["mae"] < result["svd"]["cold_start"]["mae"]
    assert 0.0 <= result["ours_trust_svd"]["trust_svd_share"] <= 1.0
    assert result["ours"]["trust_svd_share"] == 0.0


def test_trustsvd_tool_refuses_a_missing_folder(tmp_path: Path) -> None:
    argv = ["--train", str(tmp_path / "none"), "--test", str(tmp_path / "none")]
    assert trustsvd.main([*argv, "--dataset", "ciao"]) == 2
