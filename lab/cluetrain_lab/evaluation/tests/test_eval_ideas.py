"""`cluetrain eval ideas` on a small folder in the OpenIDEO layout."""

import csv
import gzip
import json
import re
from pathlib import Path

import pytest

from cluetrain_lab.evaluation.ideas import (
    People,
    clean_title,
    features,
    original_title,
    read_challenges,
    run,
    split,
)

CHALLENGES = 5


def _write(folder: Path, *, late: int = 0, copy_of: int | None = None) -> None:
    """CHALLENGES challenges of six concepts, two winners each; `late` more replies on a loser
    after the cut-off; `copy_of`: one more challenge with the same concepts as that one."""
    concepts, comments = [], []
    for ch in range(CHALLENGES):
        for n in range(6):
            winner = n < 2
            concepts.append(
                {
                    "challenge": ch,
                    "id": f"c{ch}_{n}",
                    "type": "concept",
                    "title": f"Idea {n}",
                    "description": "Words " * (n + 1),
                    "creator": f"author{n}",
                    "created": f"2012-03-{10 + n:02d}T10:00:00",
                    # Applause leaks the outcome: winners have more.
                    "applause": 50 if winner else 5,
                    "comment_count": 9 if winner else 12,
                    "winner": winner,
                }
            )
            # Early replies (before the last concept, on 2012-03-15) from distinct members
            # for winners; the losers get theirs late, after the decision could be known.
            day = 15 if winner else 20
            for k in range(4 if winner else 8):
                comments.append(
                    {
                        "challenge": ch,
                        "concept_id": f"c{ch}_{n}",
                        "user": f"fan{k}_{n}",
                        "date": f"March {day:02d}, 2012, 09:00AM",
                        "applause": 0,
                        "text": "Nice.",
                    }
                )
        comments += [
            {
                "challenge": ch,
                "concept_id": f"c{ch}_5",
                "user": f"latecomer{k}",
                "date": "March 15, 2012, 10:01AM",  # one minute after the last concept
                "applause": 0,
                "text": "Great, keep going!",
            }
            for k in range(late)
        ]
    if copy_of is not None:
        concepts += [{**c, "challenge": CHALLENGES} for c in concepts if c["challenge"] == copy_of]
    with gzip.open(folder / "concepts.jsonl.gz", "wt") as handle:
        handle.writelines(json.dumps(row) + "\n" for row in concepts)
    with gzip.open(folder / "comments.jsonl.gz", "wt") as handle:
        handle.writelines(json.dumps(row) + "\n" for row in comments)
    with gzip.open(folder / "concept_links.csv.gz", "wt", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["challenge", "source_concept", "target_concept"])


def test_ranks_with_early_replies_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path)
    assert run(["--train", str(tmp_path), "--test", str(tmp_path)]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(result) == {"n_challenges", "auc", "p_at_k", "baselines"}
    assert set(result["baselines"]) == {"applause", "comment_count"}
    assert result["n_challenges"] == 1
    # Late comments are not read: the losers' many late replies do not lift them.
    assert (result["auc"], result["p_at_k"]) == (1.0, 1.0)
    assert result["baselines"]["comment_count"]["auc"] == 0.0
    assert result["baselines"]["applause"]["auc"] == 1.0


def test_split_is_stable_and_disjoint(tmp_path: Path) -> None:
    _write(tmp_path)
    train, test = split(read_challenges(tmp_path))
    assert (len(train), len(test)) == (4, 1)
    assert not set(train) & set(test)
    assert split(read_challenges(tmp_path)) == (train, test)


def test_missing_files_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--train", str(tmp_path), "--test", str(tmp_path)]) == 2
    assert "concepts.jsonl.gz" in capsys.readouterr().err


def test_leave_one_out_ranks_every_challenge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path)
    assert run(["--train", str(tmp_path), "--test", str(tmp_path), "--leave-one-out"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["n_challenges"] == CHALLENGES
    assert result["auc"] == 1.0


def test_a_comment_after_the_cut_off_changes_nothing(tmp_path: Path) -> None:
    _write(tmp_path)
    before = read_challenges(tmp_path)[0]
    (tmp_path / "late").mkdir()
    _write(tmp_path / "late", late=30)
    after = read_challenges(tmp_path / "late")[0]
    assert len(after.comments) == len(before.comments) + 30
    people = People({}, {})
    matrix_before, raw_before = features(before, {}, people)
    matrix_after, raw_after = features(after, {}, people)
    assert raw_after == raw_before
    assert (matrix_after == matrix_before).all()


def test_late_comments_leave_the_result_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path)
    assert run(["--train", str(tmp_path), "--test", str(tmp_path)]) == 0
    before = capsys.readouterr().out.strip().splitlines()[-1]
    _write(tmp_path, late=30)
    assert run(["--train", str(tmp_path), "--test", str(tmp_path)]) == 0
    after = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert after["auc"] == json.loads(before)["auc"]
    assert after["p_at_k"] == json.loads(before)["p_at_k"]


@pytest.mark.parametrize(
    ("title", "clean"),
    [
        ("Voting Vans --- REFINEMENT", "Voting Vans"),
        (
            "Wiki for Business World Benefit (UPDATED: 11/16/2012)",
            "Wiki for Business World Benefit",
        ),
        ("Start-up Wallet <<updated>>", "Start-up Wallet"),
        ("*UPDATED w/ FAQ*  A Voice For All", "A Voice For All"),
        ("OpenFunding Platform  (refined version)", "OpenFunding Platform"),
        ("Pasar Malam reinvented UPDATED 13/12", "Pasar Malam reinvented"),
        ("A new, supportive food culture", "A new, supportive food culture"),
    ],
)
def test_clean_title_drops_the_marks_of_later_edits(title: str, clean: str) -> None:
    assert clean_title(title) == clean


def test_a_copied_challenge_is_read_once(tmp_path: Path) -> None:
    _write(tmp_path, copy_of=2)
    assert sorted(read_challenges(tmp_path)) == list(range(CHALLENGES))


def test_seeds_average_several_splits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path)
    assert run(["--train", str(tmp_path), "--test", str(tmp_path), "--seeds", "3"]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out.strip().splitlines()[-1])
    assert set(result) == {"n_challenges", "auc", "p_at_k", "baselines"}
    assert result["n_challenges"] == 3
    details = json.loads(captured.err.strip().splitlines()[-1])
    assert [s["seed"] for s in details["splits"]] == [0, 1, 2]


def test_the_title_read_is_the_one_posted() -> None:
    # The id is the URL slug of the first title; the title was edited in refinement.
    concept = {"id": "people_s_radio", "title": "People's Radio - now with sound! [UPDATED]"}
    assert original_title(concept) == "people s radio"
    assert original_title({"id": "-how-can_we__tackle-"}) == "how can we tackle"


def test_featured_counts_only_announcements_before_the_cut_off(tmp_path: Path) -> None:
    _write(tmp_path)
    challenge = read_challenges(tmp_path)[0]
    people = People({}, {})
    announce = {"concept_id": "c0_3", "user": "house", "applause": 0, "challenge": 0}
    challenge.comments.append(
        {**announce, "time": "2012-03-14T09:00:00", "text": "Today's Featured Concept!"}
    )
    challenge.comments.append(
        {**announce, "time": "2012-03-15T10:01:00", "text": "Featured again, too late."}
    )
    _, raw = features(challenge, {}, people)
    assert raw["featured"] == [0, 0, 0, 1, 0, 0]


def test_a_strangers_test_folder_plain_files_and_a_challenge_without_winners(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Test files not gzipped, with a byte-order mark and Windows line endings, and one test
    challenge where nobody won (no AUC): it is left out and counted, not a crash."""
    train, test = tmp_path / "train", tmp_path / "test"
    train.mkdir()
    test.mkdir()
    _write(train)
    _write(test)
    for name in ("concepts.jsonl", "comments.jsonl", "concept_links.csv"):
        # The test folder's concepts are others than train's (same shapes, other ids).
        text = re.sub(
            r'"c(\d+_\d+)"', r'"t\1"', gzip.decompress((test / f"{name}.gz").read_bytes()).decode()
        )
        (test / f"{name}.gz").unlink()
        if name == "concepts.jsonl":  # challenge 1 loses its winners
            rows = [json.loads(line) for line in text.splitlines()]
            for row in rows:
                row["winner"] = row["winner"] and row["challenge"] != 1
            text = "".join(json.dumps(row) + "\n" for row in rows if row["challenge"] < 2)
        (test / name).write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode())
    assert run(["--train", str(train), "--test", str(test)]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out.strip().splitlines()[-1])
    assert result["n_challenges"] == 1
    details = json.loads(captured.err.strip().splitlines()[-1])
    assert details["skipped_without_winners_and_others"] == 1


def test_a_concept_without_its_fields_is_a_one_line_error_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path)
    (tmp_path / "concepts.jsonl.gz").write_bytes(gzip.compress(b'{"type": "concept"}\n'))
    assert run(["--train", str(tmp_path), "--test", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "concepts.jsonl.gz: a row lacks the field(s) challenge, id, creator" in err
    assert len(err.strip().splitlines()) == 1


def test_a_test_challenge_that_copies_a_train_challenge_is_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two folders made by splitting the shared one by challenge number can hold challenge
    15 on one side and its copy 21 on the other: the copy is not scored."""
    train, test = tmp_path / "train", tmp_path / "test"
    train.mkdir()
    test.mkdir()
    _write(train)
    _write(test)  # the same concepts: every test challenge copies a train one
    assert run(["--train", str(train), "--test", str(test)]) == 2
    err = capsys.readouterr().err
    assert "left out test challenge(s) [0, 1, 2, 3, 4]: copies of train challenges" in err
