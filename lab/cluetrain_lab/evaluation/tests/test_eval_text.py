import gzip
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cluetrain_lab.management.commands.eval import EVALUATIONS

TEXTS = [
    "I love this, it is wonderful",
    "I hate this, it is awful",
    "The store opens at nine",
    "Great, just great",
]
# VADER says positive, negative, neutral, positive; the last gold label is negative (sarcasm).
LABELS = [2, 0, 1, 0]


def _write(folder: Path, name: str, lines: list[str], *, gz: bool) -> None:
    text = "\n".join(lines) + "\n"
    if gz:
        with gzip.open(folder / f"{name}.gz", "wt", encoding="utf-8") as file:
            file.write(text)
    else:
        (folder / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("gz", [False, True])
def test_eval_text_prints_one_json_line_with_hand_computed_scores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], gz: bool
) -> None:
    _write(tmp_path, "val_text.txt", TEXTS, gz=gz)
    _write(tmp_path, "val_labels.txt", [str(label) for label in LABELS], gz=gz)
    args = ["--task", "sentiment", "--data", str(tmp_path), "--split", "val", "--model", "vader"]
    call_command("eval", "text", *args)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    speed = result.pop("messages_per_s")
    assert isinstance(speed, int)
    assert speed > 0
    # Recall: negative 1/2, neutral 1/1, positive 1/1. F1: negative 2/3, neutral 1, positive 2/3.
    assert result == {
        "task": "sentiment",
        "split": "val",
        "tier": "fast",
        "model": "vader",
        "n": 4,
        "accuracy": 75.0,
        "macro_f1": 77.78,
        "macro_recall": 83.33,
        "official": 83.33,
    }


def test_eval_text_scores_the_shipped_fast_tier(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path, "train_text.txt", TEXTS[:3], gz=True)
    _write(tmp_path, "train_labels.txt", ["2", "0", "1"], gz=False)
    call_command("eval", "text", "--task", "sentiment", "--data", str(tmp_path), "--split", "train")
    result = json.loads(capsys.readouterr().out)
    assert (result["tier"], result["model"], result["n"]) == ("fast", "default", 3)
    assert result["accuracy"] == 100.0
    assert result["official"] == result["macro_recall"] == 100.0


def test_eval_text_reports_missing_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        call_command("eval", "text", "--task", "irony", "--data", str(tmp_path), "--split", "val")
    assert "val_text.txt.gz exists" in capsys.readouterr().err


def test_eval_refuses_unknown_evaluations() -> None:
    with pytest.raises(CommandError) as refused:
        call_command("eval", "nope")
    available = ", ".join(sorted(EVALUATIONS))
    assert str(refused.value) == f"Unknown evaluation 'nope'. Available: {available}."
    assert {"influence", "intent", "spread", "text"} <= set(EVALUATIONS)
    assert refused.value.returncode == 2  # the evaluations' own code for unusable input
    with pytest.raises(CommandError, match="Name an evaluation: abstention, audit"):
        call_command("eval")


def test_a_tweet_with_a_unicode_line_separator_stays_one_item(tmp_path: Path) -> None:
    """TweetEval's test split is read by others: a tweet holding U+2028 or U+0085 (which
    str.splitlines cuts) stays beside its label; a byte-order mark and CRLF are taken."""
    from cluetrain_lab.analytics.text.tweeteval import load_split

    texts = ["first\u2028still first", "second \x85 too", "third"]
    (tmp_path / "test_text.txt").write_bytes(("\ufeff" + "\r\n".join(texts) + "\r\n").encode())
    (tmp_path / "test_labels.txt").write_bytes("\ufeff2\r\n0\r\n1".encode())
    assert load_split(tmp_path, "test") == (texts, [2, 0, 1])
