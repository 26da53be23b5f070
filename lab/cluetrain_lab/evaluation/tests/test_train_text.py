import json
from pathlib import Path

import pytest
from django.core.management import call_command

from cluetrain_analytics.text.fast import load_fast_tier
from cluetrain_lab.management.commands.train_text import Command

POSITIVE = ["love it, works great", "so happy with this", "awesome, thank you"]
NEGATIVE = ["hate it, broken again", "worst support, furious", "awful, never again"]
NEUTRAL = ["the store opens at nine", "meeting moved to friday", "new version out today"]


def write_split(
    folder: Path, split: str, texts: list[str], labels: list[int], suffix: str = ""
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{split}_text{suffix}.txt").write_text("\n".join(texts) + "\n")
    (folder / f"{split}_labels{suffix}.txt").write_text("\n".join(map(str, labels)) + "\n")


@pytest.fixture
def tweeteval(tmp_path: Path) -> Path:
    data = tmp_path / "tweeteval"
    sentiment = (NEGATIVE + NEUTRAL + POSITIVE) * 2
    sentiment_labels = [0] * 3 + [1] * 3 + [2] * 3
    # Sentiment has no official train text: the command falls back to the rebuilt files.
    write_split(data / "sentiment", "train", sentiment, sentiment_labels * 2, "_rebuilt")
    write_split(data / "sentiment", "val", sentiment[:9], sentiment_labels)
    emotion = NEGATIVE + POSITIVE + ["tomorrow will be better", "sad and lonely tonight"]
    emotion_labels = [0, 0, 0, 1, 1, 1, 2, 3]
    write_split(data / "emotion", "train", emotion * 2, emotion_labels * 2)
    write_split(data / "emotion", "val", emotion, emotion_labels)
    for task in ("irony", "offensive"):
        texts = NEGATIVE + POSITIVE
        write_split(data / task, "train", texts * 2, [1, 1, 1, 0, 0, 0] * 2)
        write_split(data / task, "val", texts, [1, 1, 1, 0, 0, 0])
    return data


def test_train_text_writes_the_model_and_its_report(tweeteval: Path, tmp_path: Path) -> None:
    out = tmp_path / "models"
    call_command(Command(), "--data", str(tweeteval), "--out", str(out), "--seed", "3")
    assert sorted(path.name for path in out.iterdir()) == [
        "text-fast-report.json",
        "text-fast-report.md",
        "text-fast.joblib",
        "text-fast.joblib.versions.json",  # the library versions it was made with
    ]
    report = json.loads((out / "text-fast-report.json").read_text())
    assert report["random_state"] == 3
    assert report["train_sizes"] == {"sentiment": 18, "emotion": 16, "irony": 12, "offensive": 12}
    assert {task: report["val"][task]["n"] for task in report["val"]} == {
        "sentiment": 9,
        "emotion": 8,
        "irony": 6,
        "offensive": 6,
    }
    assert report["val"]["sentiment"]["official"] == 100.0
    assert "| sentiment | 18 | 9 | 100.0 |" in (out / "text-fast-report.md").read_text()
    tier = load_fast_tier(out / "text-fast.joblib")
    analysis = tier.analyze(["love it, works great"])[0]
    assert analysis.sentiment == "positive"
    assert analysis.sentiment_score > 0
