"""`eval text --tier accurate`, `train_text --tier accurate` and `bench_text` end to end.

The accurate tier needs the 'accurate' extra: without it these skip outside CI and fail in CI
(CI=true), except the tests of what happens when it is missing.
"""

import csv
import gzip
import importlib
import json
import os
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cluetrain_lab.management.commands import bench_text

TEXTS = [
    "I love this, it is wonderful, thank you!",
    "I hate this, it is awful and I'm furious",
    "The store opens at nine on Monday",
]
LABELS = [2, 0, 1]


def _require_accurate_extra() -> None:
    try:
        importlib.import_module("cluetrain_analytics.text.accurate")
    except ImportError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must install the 'accurate' extra: {error}")
        pytest.skip(f"the 'accurate' extra is not installed: {error}")


def _write_split(folder: Path, split: str, texts: list[str], labels: list[int]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{split}_text.txt").write_text("\n".join(texts) + "\n")
    (folder / f"{split}_labels.txt").write_text("\n".join(map(str, labels)) + "\n")


def test_eval_text_scores_the_accurate_tier(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _require_accurate_extra()
    _write_split(tmp_path, "val", TEXTS, LABELS)
    args = ["--task", "sentiment", "--data", str(tmp_path), "--split", "val", "--tier", "accurate"]
    call_command("eval", "text", *args)
    result = json.loads(capsys.readouterr().out)
    assert (result["task"], result["tier"], result["model"], result["n"]) == (
        "sentiment",
        "accurate",
        "default",
        3,
    )
    assert result["accuracy"] == 100.0
    assert result["official"] == result["macro_recall"] == 100.0
    assert result["messages_per_s"] > 0


def test_eval_text_without_the_extra_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_split(tmp_path, "val", TEXTS, LABELS)
    # None in sys.modules makes the import fail, as on an install without the extra.
    monkeypatch.setitem(sys.modules, "cluetrain_analytics.text.accurate", None)
    args = ["--task", "emotion", "--data", str(tmp_path), "--split", "val", "--tier", "accurate"]
    with pytest.raises(SystemExit) as exit_info:
        call_command("eval", "text", *args)
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("cluetrain eval text: ")
    assert captured.err.count("\n") == 1


@pytest.fixture
def tweeteval(tmp_path: Path) -> Path:
    data = tmp_path / "tweeteval"
    happy = ["love it, works great", "so happy with this", "awesome, thank you"]
    angry = ["hate it, broken again", "worst support, furious", "awful, never again"]
    calm = ["the store opens at nine", "meeting moved to friday", "new version out today"]
    # Sentiment has no official train text here: training falls back to the rebuilt files.
    sentiment = angry + calm + happy
    sentiment_labels = [0] * 3 + [1] * 3 + [2] * 3
    (data / "sentiment").mkdir(parents=True)
    (data / "sentiment" / "train_text_rebuilt.txt").write_text("\n".join(sentiment) + "\n")
    (data / "sentiment" / "train_labels_rebuilt.txt").write_text(
        "\n".join(map(str, sentiment_labels)) + "\n"
    )
    _write_split(data / "sentiment", "val", sentiment, sentiment_labels)
    emotion = [*angry, *happy, "tomorrow will be better", "sad and alone tonight"]
    for split in ("train", "val"):
        _write_split(data / "emotion", split, emotion, [0, 0, 0, 1, 1, 1, 2, 3])
        for task in ("irony", "offensive"):
            _write_split(data / task, split, angry + happy, [1, 1, 1, 0, 0, 0])
    return data


def test_train_text_accurate_writes_weights_config_and_report(
    tweeteval: Path, tmp_path: Path
) -> None:
    _require_accurate_extra()
    out = tmp_path / "models"
    call_command(
        "train_text", "--tier", "accurate", "--data", str(tweeteval), "--out", str(out),
        "--seed", "5", "--epochs", "1",
    )  # fmt: skip
    assert sorted(path.name for path in out.iterdir()) == [
        "text-accurate-report.json",
        "text-accurate-report.md",
        "text-accurate.json",
        "text-accurate.safetensors",
        "text-accurate.safetensors.versions.json",  # the library versions it was made with
    ]
    report = json.loads((out / "text-accurate-report.json").read_text())
    assert report["random_state"] == 5
    assert report["train_sizes"] == {"sentiment": 9, "emotion": 8, "irony": 6, "offensive": 6}
    assert report["val"]["emotion"]["n"] == 8
    assert len(report["history"]) == 1
    assert report["size_bytes"] < 8_000_000
    assert "| emotion | 8 | 8 |" in (out / "text-accurate-report.md").read_text()


def test_train_text_refuses_epochs_for_the_fast_tier(tweeteval: Path) -> None:
    with pytest.raises(CommandError, match="--tier accurate only"):
        call_command("train_text", "--data", str(tweeteval), "--epochs", "2")


def test_train_text_tune_layers_is_for_the_accurate_tier_and_one_to_six(tweeteval: Path) -> None:
    with pytest.raises(CommandError, match="--tier accurate only"):
        call_command("train_text", "--data", str(tweeteval), "--tune-layers", "2")
    for layers in ("0", "7"):
        with pytest.raises(CommandError, match="1 to 6"):
            call_command(
                "train_text",
                "--tier",
                "accurate",
                "--data",
                str(tweeteval),
                "--tune-layers",
                layers,
            )


def _twcs(path: Path, rows: list[tuple[str, str]]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["tweet_id", "author_id", "inbound", "created_at", "text"])
        for number, (inbound, text) in enumerate(rows, start=1):
            writer.writerow([number, "c1" if inbound == "True" else "Brand", inbound, "", text])
    return path


def test_bench_text_reads_only_inbound_tweets(tmp_path: Path) -> None:
    path = _twcs(tmp_path / "t.csv.gz", [("True", "my order is late"), ("False", "Sorry!")])
    assert bench_text.inbound_texts(path) == ["my order is late"]


def test_bench_text_measures_each_tier_on_one_and_two_cores(tmp_path: Path) -> None:
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("needs two cores")
    rows = [("True", f"my parcel {n} is late again, so annoyed") for n in range(12)]
    path = _twcs(tmp_path / "t.csv.gz", [*rows, ("False", "We're sorry to hear that")])
    out = tmp_path / "bench"
    call_command("bench_text", "--data", str(path), "--out", str(out), "--tiers", "vader,fast")
    report = json.loads((out / "text-twcs.json").read_text())
    assert report["messages"] == 12
    assert [(r["tier"], r["cores"], r["processes"]) for r in report["results"]] == [
        ("vader", 1, 1),
        ("vader", 2, 2),
        ("fast", 1, 1),
        ("fast", 2, 2),
    ]
    for result in report["results"]:
        assert result["messages"] == 12
        assert result["messages_per_s"] > 0
        assert result["peak_rss_mb"] > 10
    assert "| fast | 2 | 2 x 1 | 12 |" in (out / "text-twcs.md").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--data", "/nonexistent.csv.gz"], "is not a file"),
        (["--tiers", "fast,bert"], "--tiers takes some of"),
        (["--limit", "1"], "--limit must be at least 2"),
    ],
)
def test_bench_text_refuses_bad_input(tmp_path: Path, args: list[str], message: str) -> None:
    path = _twcs(tmp_path / "t.csv.gz", [("True", "late again")] * 3)
    with pytest.raises(CommandError, match=message):
        call_command("bench_text", "--data", str(path), "--out", str(tmp_path), *args)
