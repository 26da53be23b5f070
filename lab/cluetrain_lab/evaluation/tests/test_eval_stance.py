"""`cluetrain eval stance` on small files in the RumourEval layout."""

import gzip
import json
import random
from pathlib import Path

import pytest

from cluetrain_lab.evaluation.stance import read_threads, run

WORDS = {
    "support": ["Confirmed, mine too", "Yes exactly, same here", "True, it happened to me"],
    "deny": ["That is fake news", "Not true at all", "This is a hoax"],
    "query": ["Is there a source for this?", "Really? Who said so?", "Any proof of that?"],
    "comment": ["I had lunch today", "Nice weather in Leeds", "Good morning everyone"],
}


def _write(path: Path, threads: int, seed: int) -> Path:
    rng = random.Random(seed)
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for t in range(threads):
            posts = [
                {
                    "post_id": f"{seed}-{t}",
                    "parent_id": None,
                    "time": 1.0,
                    "text": f"Breaking: the bridge {t} is closed",
                    "stance": "support",
                }
            ]
            for n, stance in enumerate(rng.choices(list(WORDS), weights=[2, 1, 1, 6], k=8)):
                parent = posts[0]["post_id"] if n % 2 == 0 else posts[-1]["post_id"]
                posts.append(
                    {
                        "post_id": f"{seed}-{t}-{n}",
                        "parent_id": parent,
                        "time": 2.0 + n,
                        "text": rng.choice(WORDS[stance]),
                        "stance": stance,
                    }
                )
            thread = {
                "thread_id": f"{seed}-{t}",
                "split_official": "traindev",
                "veracity": "unverified",
                "posts": posts,
            }
            out.write(json.dumps(thread) + "\n")
    return path


def test_it_scores_every_post_of_the_test_threads_beside_both_baselines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    train = _write(tmp_path / "train.jsonl.gz", 30, seed=1)
    test = _write(tmp_path / "test.jsonl.gz", 10, seed=2)
    assert run(["--train", str(train), "--test", str(test)]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(result) == {"n", "accuracy", "macro_f1", "f1", "baselines"}
    assert result["n"] == 90  # the opening posts are scored too
    assert set(result["f1"]) == {"support", "deny", "query", "comment"}
    assert set(result["baselines"]) == {"majority", "tfidf_logistic"}
    for figures in result["baselines"].values():
        assert set(figures) == {"accuracy", "macro_f1", "f1"}
    # The words say the stance: the reader must beat a majority vote on both figures.
    majority = result["baselines"]["majority"]
    assert result["accuracy"] > majority["accuracy"]
    assert result["macro_f1"] > majority["macro_f1"]


def test_cross_validation_keeps_threads_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    train = _write(tmp_path / "train.jsonl.gz", 20, seed=3)
    assert run(["--train", str(train), "--cv", "--folds", "4"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["n"] == len(read_threads(train)) == 180


def test_a_broken_line_is_named_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "threads.jsonl"
    path.write_text('{"thread_id": "1", "posts": []}\nnot json\n')
    assert run(["--train", str(path), "--cv"]) == 2
    assert "line 2" in capsys.readouterr().err


def test_a_folder_with_a_plain_threads_file_with_a_byte_order_mark_is_read(
    tmp_path: Path,
) -> None:
    """A folder holding threads.jsonl (not gzipped), byte-order mark, Windows line endings:
    the same posts as the gzipped file."""
    gzipped = _write(tmp_path / "threads.jsonl.gz", 3, seed=4)
    folder = tmp_path / "test"
    folder.mkdir()
    text = gzip.decompress(gzipped.read_bytes()).decode()
    (folder / "threads.jsonl").write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode())
    assert read_threads(folder) == read_threads(gzipped)


def test_a_post_without_its_text_is_named_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    train = _write(tmp_path / "train.jsonl.gz", 5, seed=5)
    path = tmp_path / "test.jsonl"
    path.write_text('{"thread_id": "1", "posts": [{"post_id": "1", "stance": "support"}]}\n')
    assert run(["--train", str(train), "--test", str(path)]) == 2
    err = capsys.readouterr().err
    assert "test.jsonl line 1: not a thread" in err
    assert len(err.strip().splitlines()) == 1


def test_a_class_absent_from_a_small_test_set_has_no_f1_and_stays_out_of_the_macro() -> None:
    """One thread of support and comment only: deny and query have no F1 (null), and the
    macro average is over the two classes present (scikit-learn's default), without a
    warning on stderr."""
    import warnings

    from cluetrain_lab.evaluation.stance import _figures

    truth = ["support", "comment", "comment", "comment"]
    predicted = ["support", "comment", "comment", "support"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figures = _figures(truth, predicted)
    assert figures["f1"] == {"support": 0.6667, "deny": None, "query": None, "comment": 0.8}
    assert figures["macro_f1"] == 0.7333
