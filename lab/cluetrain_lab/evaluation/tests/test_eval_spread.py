import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from cluetrain_analytics.spread.synthetic import synthetic_cascades, write_cascades
from cluetrain_lab.evaluation.spread import run


@pytest.fixture(autouse=True)
def _one_thread() -> Iterator[None]:
    # Boosting's OpenMP threads spin while they wait: on a shared, loaded machine one thread
    # is many times faster than two.
    with threadpool_limits(1):
        yield


SCORE_KEYS = {"spearman", "rmsle", "doubling", "doubling_extra"}


def _layout(tmp_path: Path, *, gz: bool) -> tuple[Path, Path]:
    write_cascades(tmp_path / "train", synthetic_cascades(120, seed=11), gz=gz)
    write_cascades(tmp_path / "test", synthetic_cascades(40, seed=12), gz=gz)
    return tmp_path / "train", tmp_path / "test"


@pytest.mark.parametrize("gz", [False, True])
def test_eval_spread_prints_one_json_line_with_model_and_baseline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], gz: bool
) -> None:
    train, test = _layout(tmp_path, gz=gz)

    call_command(
        "eval", "spread", "--train", str(train), "--test", str(test), "--observe-minutes", "60"
    )

    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert result["n"] == 40
    assert result["observe_minutes"] == 60.0
    assert result["seconds"] >= 0
    assert set(result) >= SCORE_KEYS
    assert set(result["baseline"]) == SCORE_KEYS
    sizes = [cascade.size for cascade in synthetic_cascades(40, seed=12).values()]
    for scores in (result, result["baseline"]):
        assert -1 <= scores["spearman"] <= 1
        assert scores["rmsle"] >= 0
        assert list(scores["doubling"]) == ["5", "10", "20"]
        for k, entry in scores["doubling"].items():
            assert set(entry) == {"n", "accuracy", "auc", "base_rate"}
            assert entry["n"] == sum(size >= int(k) for size in sizes)
            assert 0 <= entry["accuracy"] <= 1
            assert entry["auc"] is None or 0 <= entry["auc"] <= 1


def test_eval_spread_forecasts_worse_when_watching_less(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    train, test = _layout(tmp_path, gz=True)
    results = {}
    for minutes in ("1", "240"):
        assert run(["--train", str(train), "--test", str(test), "--observe-minutes", minutes]) == 0
        results[minutes] = json.loads(capsys.readouterr().out)

    assert results["1"]["rmsle"] > results["240"]["rmsle"]
    assert results["1"]["baseline"]["rmsle"] > results["240"]["baseline"]["rmsle"]
    # Doubling observes the first k shares whatever the window: the same answers both times.
    assert results["1"]["doubling"] == results["240"]["doubling"]


def test_eval_spread_bad_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    train, _test = _layout(tmp_path, gz=True)

    assert (
        run(["--train", str(train), "--test", str(tmp_path / "nowhere"), "--observe-minutes", "60"])
        == 2
    )
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert error.startswith("cluetrain eval spread: ")
    assert "nowhere is not a folder" in error

    assert run(["--train", str(train), "--test", str(train), "--observe-minutes", "-5"]) == 2
    assert "--observe-minutes must be >= 0" in capsys.readouterr().err
