"""`cluetrain eval abstention` on a tiny TweetEval-shaped folder."""

import json
from pathlib import Path

import pytest

from cluetrain_lab.evaluation.abstention import run

TEXTS = {
    "sentiment": [
        ("I love this, best day ever!", 2),
        ("Worst service, I hate it", 0),
        ("The meeting is at noon", 1),
        ("So happy with the new phone", 2),
        ("Terrible, broken again", 0),
        ("It is Tuesday", 1),
    ],
    "emotion": [
        ("I am so angry about this", 0),
        ("What a joy, wonderful news", 1),
        ("Hopeful things will get better", 2),
        ("So sad and lonely today", 3),
    ],
}


def _folder(root: Path) -> Path:
    for task, rows in TEXTS.items():
        (root / task).mkdir(parents=True)
        (root / task / "val_text.txt").write_text("\n".join(t for t, _ in rows) + "\n")
        (root / task / "val_labels.txt").write_text("\n".join(str(y) for _, y in rows) + "\n")
    return root


def test_it_reports_a_threshold_per_task(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--data", str(_folder(tmp_path)), "--target", "0.5"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["tier"] == "fast"
    for task in ("sentiment", "emotion"):
        figures = result[task]
        assert figures["n"] == len(TEXTS[task])
        assert 0 < figures["coverage"] <= 1
        assert set(figures["shipped"]) == {"threshold", "coverage", "accuracy"}


def test_a_missing_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--data", str(tmp_path / "nowhere")]) == 2
    assert "cluetrain eval abstention" in capsys.readouterr().err
