import csv
import doctest
import gzip
from pathlib import Path

import pytest

from cluetrain_lab.evaluation import intent_cv
from cluetrain_lab.evaluation.intent_cv import cross_validate
from cluetrain_lab.evaluation.intent_model import LABEL_SETS, training_labels

# Our own synthetic messages (no tweet text is copied into the repository): per labelled set,
# complaints with an event, thanks and questions, written differently from set to set.
_COMPLAINTS = [
    "my app crashes every time i open it",
    "the app still crashes, not fixed",
    "my order is late again, not happy",
    "my wifi drops every night, so annoying",
    "the refund was refused, terrible",
    "my package is missing, still waiting",
    "the driver was rude, awful service",
    "my account is locked, not working",
]
_EVENTS = [
    "app crashes",
    "app crashes",
    "order late",
    "wifi drops",
    "refund refused",
    "package missing",
    "driver rude",
    "account locked",
]
_OTHERS = [
    ("thanks so much, that fixed it", "praise"),
    ("great help, thank you", "praise"),
    ("how do i change my email?", "ask"),
    ("can you tell me the opening hours?", "ask"),
]


def _write_sets(root: Path) -> Path:
    rows = []
    for number, (name, paths) in enumerate(LABEL_SETS.items()):
        labels = []
        for k, (text, event) in enumerate(zip(_COMPLAINTS, _EVENTS, strict=True)):
            tweet_id = str(1000 * (number + 1) + k)
            rows.append((tweet_id, f"@AcmeHelp {text} ({name})"))
            labels.append((tweet_id, "complain", event))
        for k, (text, intent) in enumerate(_OTHERS, start=50):
            tweet_id = str(1000 * (number + 1) + k)
            rows.append((tweet_id, f"@AcmeHelp {text}"))
            labels.append((tweet_id, intent, ""))
        for index, path in enumerate(paths):
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            with (root / path).open("w", encoding="utf-8", newline="") as file:
                writer = csv.writer(file)
                writer.writerow(["tweet_id", "intents", "event"])
                # The first sample's keyword sample: one question, in the same group.
                writer.writerows(labels if index == 0 else [("9999", "ask", "")])
    rows.append(("9999", "@AcmeHelp how do i log in?"))
    folder = root / "twcs"
    folder.mkdir()
    with gzip.open(folder / "twcs_subset.csv.gz", "wt", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["tweet_id", "author_id", "inbound", "text", "subset"])
        writer.writerows([tweet_id, "9", "True", text, "a"] for tweet_id, text in rows)
    return folder


def test_a_message_labelled_in_two_sets_is_refused(tmp_path: Path) -> None:
    _write_sets(tmp_path)
    for paths in LABEL_SETS.values():
        for path in paths[1:]:
            (tmp_path / path).write_text("tweet_id,intents,event\n1000,ask,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="repeats 1 labelled id"):
        training_labels(tmp_path)


def test_every_set_is_scored_by_a_layer_trained_on_the_others(tmp_path: Path) -> None:
    data = _write_sets(tmp_path)
    labels, groups = training_labels(tmp_path)
    assert set(groups.values()) == set(LABEL_SETS)
    assert len(labels) == 4 * 12 + 1

    result = cross_validate(data, tmp_path)
    assert result["n"] == 49
    assert set(result["held_out"]) == set(LABEL_SETS)
    for name, scores in result["held_out"].items():
        assert scores["n"] == 12 + (name == "first")
        assert scores["events_labelled"] == 8
        went = scores["labelled_events"]
        assert sum(went.values()) == 8
        assert went["right"] * 100 / 8 == pytest.approx(scores["object_recall"], abs=0.01)
    assert set(result["mean_over_sets"]) == {
        "micro_f1",
        "macro_f1",
        "object_recall",
        "object_precision",
    }


def test_docstring_examples_run() -> None:
    result = doctest.testmod(intent_cv)
    assert result.attempted > 0
    assert result.failed == 0
