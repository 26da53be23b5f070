import csv
import gzip
import json
from pathlib import Path

import pytest
from django.core.management import call_command

# Our own synthetic messages (no tweet text is copied into the repository).
TWEETS = [
    ("11", "True", "@AcmeHelp where is my refund? nobody answers"),
    ("12", "False", "@123 Sorry to hear that, please DM us."),
    ("13", "True", "@AcmeHelp thanks so much, that fixed it!"),
    ("14", "True", "@AcmeHelp my app crashes every time I open it"),
    ("15", "True", "@AcmeHelp Android 7.0 and version 8.4.25"),
]
# Message 14 is labelled complain + ask, so ask loses one recall point; 13 has no event.
LABELS = [
    ("11", "complain|ask", "refund late"),
    ("13", "praise", ""),
    ("14", "complain|ask", "app crashes"),
    ("15", "", ""),
]


def _write_data(root: Path) -> Path:
    folder = root / "twcs"
    folder.mkdir()
    with gzip.open(folder / "twcs_subset.csv.gz", "wt", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["tweet_id", "author_id", "inbound", "text", "subset"])
        for tweet_id, inbound, text in TWEETS:
            writer.writerow(
                [tweet_id, "123" if inbound == "True" else "AcmeHelp", inbound, text, "a"]
            )
    return folder


def _write_labels(path: Path, rows: list[tuple[str, str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["tweet_id", "intents", "event"])
        writer.writerows(rows)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        call_command("eval", "intent", *args)
        code = 0
    except SystemExit as exit_info:
        code = int(str(exit_info.code))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_eval_intent_prints_hand_computed_scores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _write_data(tmp_path)
    _write_labels(tmp_path / "labels.csv", LABELS)
    code, out, err = _run(
        capsys, "--data", str(data), "--labels", str(tmp_path / "labels.csv"), "--time", "0.01"
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert (result["part"], result["n"], result["untouched"]) == ("all", 4, False)
    per_intent = result["per_intent"]
    assert per_intent["complain"] == {
        "precision": 100.0,
        "recall": 100.0,
        "f1": 100.0,
        "support": 2,
    }
    assert per_intent["praise"] == {"precision": 100.0, "recall": 100.0, "f1": 100.0, "support": 1}
    # ask: predicted for 11 only, labelled for 11 and 14.
    assert per_intent["ask"] == {"precision": 100.0, "recall": 50.0, "f1": 66.67, "support": 2}
    assert per_intent["recommend"]["support"] == 0
    assert result["micro"] == {"precision": 100.0, "recall": 80.0, "f1": 88.89}
    assert result["macro_over"] == ["complain", "praise", "ask"]
    assert result["macro"]["recall"] == round((100 + 100 + 50) / 3, 2)
    assert result["exact_match"] == 75.0
    assert result["event"] == {
        "labelled": 2,
        "predicted": 2,
        "presence": 100.0,
        "object_recall": 100.0,
        "object_precision": 100.0,
        "exact": 100.0,
    }
    assert result["messages_per_s"] > 0
    assert result["messages_per_s_with_fast_tier"] > 0
    # The baseline's ask rule is "a ? in the text": message 11 only, as ours.
    assert result["baseline"]["per_intent"]["ask"] == per_intent["ask"]


def test_eval_intent_splits_dev_and_test_by_a_fixed_seed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _write_data(tmp_path)
    _write_labels(tmp_path / "labels.csv", LABELS)
    code, out, _ = _run(
        capsys,
        "--data",
        str(data),
        "--labels",
        str(tmp_path / "labels.csv"),
        "--time",
        "0.01",
        "--part",
        "dev",
    )
    assert code == 0
    assert json.loads(out)["n"] == 4  # fewer ids than the dev size: all of them are dev
    code, out, err = _run(
        capsys,
        "--data",
        str(data),
        "--labels",
        str(tmp_path / "labels.csv"),
        "--time",
        "0.01",
        "--part",
        "test",
    )
    assert (code, out) == (2, "")
    assert err == "cluetrain eval intent: no labelled message falls in the test part\n"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("99", "complain", "")], "1 labelled tweet(s) are not in"),
        ([("11", "moan", "")], "unknown intent(s) moan"),
        ([("11", "ask", ""), ("11", "ask", "")], "tweet 11 is labelled twice"),
    ],
)
def test_eval_intent_refuses_bad_labels(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    rows: list[tuple[str, str, str]],
    message: str,
) -> None:
    data = _write_data(tmp_path)
    _write_labels(tmp_path / "labels.csv", rows)
    code, out, err = _run(
        capsys, "--data", str(data), "--labels", str(tmp_path / "labels.csv"), "--time", "0.01"
    )
    assert (code, out) == (2, "")
    assert message in err
    assert err.startswith("cluetrain eval intent: ")
    assert err.count("\n") == 1


def test_eval_intent_reports_a_folder_without_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_labels(tmp_path / "labels.csv", LABELS)
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = _run(capsys, "--data", str(empty), "--labels", str(tmp_path / "labels.csv"))
    assert code == 2
    assert f"no *.csv or *.csv.gz file in {empty}" in err


def test_eval_intent_draws_the_same_sample_every_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _write_data(tmp_path)
    code, out, _ = _run(capsys, "--data", str(data), "--draw-sample")
    assert code == 0
    drawn = json.loads(out)
    assert drawn["ids"] == ["11", "13", "14", "15"]  # the inbound ones, fewer than 140 per subset
    assert sorted(drawn["split"]["dev"], key=int) == drawn["ids"]
    assert _run(capsys, "--data", str(data), "--draw-sample")[1] == out


def test_abstention_scores_count_only_what_is_shown() -> None:
    from cluetrain_analytics.text.abstain import UNSURE_BELOW
    from cluetrain_analytics.text.experience import Experience
    from cluetrain_lab.evaluation.intent import abstention_scores

    sure, unsure = UNSURE_BELOW["intent"], UNSURE_BELOW["intent"] - 0.1
    event_sure = UNSURE_BELOW["event"]
    read = [
        Experience(("complain",), "complain", {}, "wifi drops", sure, event_sure),
        Experience(("praise",), "praise", {}, "app problem", unsure, event_sure - 0.1),
        Experience((), None, {}, None, sure, 0.0),
    ]
    gold = [frozenset({"complain"}), frozenset({"complain"}), frozenset()]
    result = abstention_scores(gold, ["wifi drops", "app crashes", None], read)
    assert result["intent_coverage"] == 66.67
    assert result["intent_accuracy_shown"] == 100.0
    assert result["intent_accuracy_all"] == 66.67
    assert (result["events_given"], result["events_shown"]) == (2, 1)
    assert result["event_object_recall_shown"] == 50.0


def test_the_intent_model_learns_only_the_intents_it_is_told() -> None:
    import numpy as np

    from cluetrain_analytics.text._intent_model import IntentModel
    from cluetrain_analytics.text.experience import INTENTS

    texts = ["still broken again", "thanks so much", "how do i reset"] * 10
    labels = np.array([[i % 3 == 0, i % 3 == 1, i % 3 == 2, 0, 0, 0] for i in range(30)])
    rules = np.zeros((30, len(INTENTS) + 4))
    model = IntentModel(intents=INTENTS).fit(texts, rules, labels)
    assert set(model.weights) == {"complain", "praise", "ask"}
    proba = model.predict_proba(["still broken", "thanks"], rules[:2])
    assert proba["complain"][0] > 0.5 > proba["complain"][1]
    assert proba["praise"][1] > 0.5 > proba["praise"][0]


def test_the_tweets_are_read_from_the_twcs_file_not_from_a_labels_file_beside_it(
    tmp_path: Path,
) -> None:
    """Issue 17: `--data DIR` read every .csv in DIR as tweets, so a labels file kept in the
    twcs folder was refused. The twcs file is found by its name, else by its columns."""
    from cluetrain_lab.evaluation.intent import read_labels, read_tweets, tweet_files

    data = _write_data(tmp_path)
    _write_labels(data / "twcs-fresh.csv", LABELS)  # named like the tweets, as ours are
    assert tweet_files(data) == [data / "twcs_subset.csv.gz"]
    assert [row["tweet_id"] for row in read_tweets(data)] == [t[0] for t in TWEETS]
    # Renamed: the file with twcs's columns is still found; the labels file is passed over.
    (data / "twcs_subset.csv.gz").rename(data / "support.csv.gz")
    assert tweet_files(data) == [data / "support.csv.gz"]
    # A labels file with a byte-order mark, Windows line endings and a notes column.
    text = "\ufefftweet_id,intents,event,notes\r\n11,complain|ask,refund late,x\r\n13,praise,,\r\n"
    (tmp_path / "mine.csv").write_bytes(text.encode())
    assert read_labels(tmp_path / "mine.csv") == {
        "11": (frozenset({"complain", "ask"}), "refund late"),
        "13": (frozenset({"praise"}), None),
    }


def test_a_folder_without_a_twcs_file_is_a_clear_error(tmp_path: Path) -> None:
    from cluetrain_lab.evaluation.intent import tweet_files

    _write_labels(tmp_path / "labels.csv", LABELS)
    with pytest.raises(FileNotFoundError, match="no twcs file in"):
        tweet_files(tmp_path)
