import gzip
import json
import random
from pathlib import Path

import pytest

from cluetrain_lab.evaluation.influence import run

SPLIT = 100_000


def _activity_lines() -> list[str]:
    """Users 0-59; "fading" (1) was retweeted a lot early, "rising" (2) keeps being retweeted."""
    chance = random.Random(5)
    lines = []
    for at in range(0, 2 * SPLIT, 250):
        fan = chance.randrange(10, 60)
        if at < SPLIT // 2:
            lines.append(f"{fan} 1 {at} RT")
        if at > 3 * SPLIT // 4:
            lines.append(f"{fan} 2 {at + 1} RT")
        lines.append(
            f"{fan} {chance.randrange(3, 60)} {at + 2} {chance.choice(['MT', 'RE', 'RT'])}"
        )
    return lines


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n")
    return path


def _evaluate(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert run(argv) == 0
    result: dict[str, object] = json.loads(capsys.readouterr().out)
    return result


def test_split_at_reports_every_key_and_ranks_the_rising_user_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "activity.txt", _activity_lines())
    result = _evaluate(["--train", str(path), "--split-at", str(SPLIT)], capsys)
    assert set(result) >= {"n_users", "spearman", "ndcg_at_100", "baselines"}
    baselines = result["baselines"]
    assert isinstance(baselines, dict)
    assert set(baselines) == {"in_degree", "pagerank"}
    for figures in baselines.values():
        assert set(figures) == {"spearman", "ndcg_at_100"}
    train_users = {
        int(v)
        for line in _activity_lines()
        if int(line.split()[2]) < SPLIT
        for v in line.split()[:2]
    }
    assert result["n_users"] == len(train_users)
    # In-degree puts the fading user first; recency-weighted attention sees who is heard now.
    assert isinstance(result["ndcg_at_100"], float)
    assert result["ndcg_at_100"] > baselines["in_degree"]["ndcg_at_100"]


def test_test_file_gzipped_gives_the_same_answer_as_the_split(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = _activity_lines()
    whole = _write(tmp_path / "whole.txt", lines)
    train = _write(tmp_path / "train.txt", [x for x in lines if int(x.split()[2]) < SPLIT])
    test = tmp_path / "test.txt.gz"
    with gzip.open(test, "wt") as handle:
        handle.write("\n".join(x for x in lines if int(x.split()[2]) >= SPLIT) + "\n")
    by_split = _evaluate(["--train", str(whole), "--split-at", str(SPLIT)], capsys)
    by_files = _evaluate(["--train", str(train), "--test", str(test)], capsys)
    assert by_files == by_split


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("1 2 100 RT\n3 4 200 LIKE\n", "unknown interaction 'LIKE'"),
        ("1 2 100\n", "every line must be"),
        ("1 x 100 RT\n", "whole numbers"),
        ("1 2 100 RT\n", "must be non-empty"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(content)
    assert run(["--train", str(path), "--split-at", "150"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("cluetrain eval influence: ")
    assert message in error
    assert error.count("\n") == 1


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--train", str(tmp_path / "nope.txt"), "--split-at", "1"]) == 2
    assert "No such file" in capsys.readouterr().err


def test_test_and_split_at_are_exclusive(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(["--train", "a", "--test", "b", "--split-at", "1"])
    assert exit_info.value.code == 2


def test_folds_choose_the_settings_on_several_split_points_inside_train(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "activity.txt", _activity_lines())
    result = _evaluate(["--train", str(path), "--split-at", str(SPLIT), "--folds", "4"], capsys)
    settings = result["settings"]
    assert isinstance(settings, dict)
    folds = settings["folds"]
    assert len(folds) == 4
    assert [f["split_at"] for f in folds] == sorted(f["split_at"] for f in folds)
    assert all(f["split_at"] < SPLIT for f in folds)  # never on the test actions
    for fold in folds:
        assert set(fold["ours"]) == set(fold["in_degree"]) == {"spearman", "ndcg_at_100"}


def test_zero_folds_is_refused_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "activity.txt", _activity_lines())
    assert run(["--train", str(path), "--split-at", str(SPLIT), "--folds", "0"]) == 2
    assert "folds must be at least 1" in capsys.readouterr().err


def test_a_test_file_with_a_byte_order_mark_a_header_and_crlf_reads_the_same(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = _activity_lines()
    train = _write(tmp_path / "train.txt", [x for x in lines if int(x.split()[2]) < SPLIT])
    later = [x for x in lines if int(x.split()[2]) >= SPLIT]
    plain = _write(tmp_path / "test.txt", later)
    stranger = tmp_path / "test-windows.txt"
    stranger.write_bytes(("\ufeffuserA userB time kind\r\n" + "\r\n".join(later)).encode())
    expected = _evaluate(["--train", str(train), "--test", str(plain)], capsys)
    assert _evaluate(["--train", str(train), "--test", str(stranger)], capsys) == expected


def test_an_undefined_spearman_is_null_not_nan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A ring where everyone received as much as everyone else: in-degree ranks nobody above
    anybody, so its Spearman is undefined; the JSON line says null (NaN is not JSON)."""
    ring = [f"{u} {(u + 1) % 4} {at} RT" for at in range(0, 40 * 3600, 600) for u in range(4)]
    train = _write(tmp_path / "train.txt", ring)
    test = _write(tmp_path / "test.txt", [f"2 1 {40 * 3600 + 5} RT"])
    assert run(["--train", str(train), "--test", str(test)]) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert "NaN" not in line
    assert json.loads(line)["baselines"]["in_degree"]["spearman"] is None
