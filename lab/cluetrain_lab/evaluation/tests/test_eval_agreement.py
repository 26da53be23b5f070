import doctest
import json
from pathlib import Path

import pytest

from cluetrain_lab.evaluation import agreement

FIRST = """tweet_id,intents,event
1,complain|ask,package missing
2,praise,
3,complain,delivery late
4,,
5,complain,issue persists
"""
SECOND = """tweet_id,intents,event
1,complain,package lost
2,praise,
3,complain|ask,driver no-show
4,,
5,complain,
"""


def _plant(tmp_path: Path, first: str = FIRST, second: str = SECOND) -> list[str]:
    (tmp_path / "a.csv").write_text(first)
    (tmp_path / "b.csv").write_text(second)
    return [str(tmp_path / "a.csv"), str(tmp_path / "b.csv")]


def test_agreement_of_planted_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert agreement.main(_plant(tmp_path)) == 0
    result = json.loads(capsys.readouterr().out)
    intents = result["intents"]
    # A gives 5 intents, B 5, 4 shared: micro P = R = F1 = 80.
    assert intents["micro"] == {"precision": 80.0, "recall": 80.0, "f1": 80.0}
    assert intents["per_intent"]["complain"] == {
        "kappa": 1.0,
        "f1": 100.0,
        "a_gives": 3,
        "b_gives": 3,
    }
    assert intents["per_intent"]["recommend"]["kappa"] is None  # neither ever gives it
    assert intents["per_intent"]["ask"]["kappa"] == pytest.approx(-0.25)
    assert intents["per_intent"]["praise"]["kappa"] == 1.0
    events = result["events"]
    assert (events["a_gives"], events["b_gives"], events["both_give"]) == (3, 2, 2)
    assert events["presence"] == 80.0
    assert events["object_recall_b_against_a"] == 33.33
    assert events["object_recall_a_against_b"] == 50.0
    assert events["same_object_when_both_give"] == 50.0
    assert events["exact_phrase"] == 0.0
    low, high = result["interval95"]["micro_f1"]
    assert low <= 80.0 <= high


def test_identical_files_agree_fully(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert agreement.main(_plant(tmp_path, FIRST, FIRST)) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["intents"]["micro"]["f1"] == 100.0
    assert result["events"]["object_recall_b_against_a"] == 100.0
    assert result["events"]["exact_phrase"] == 100.0
    assert result["events"]["presence_kappa"] == 1.0


def test_files_of_different_messages_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert agreement.main(_plant(tmp_path, FIRST, "tweet_id,intents,event\n1,,\n")) == 2
    assert "different messages" in capsys.readouterr().err


def test_docstring_examples_run() -> None:
    assert doctest.testmod(agreement).failed == 0
