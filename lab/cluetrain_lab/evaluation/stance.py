"""`cluetrain eval stance`: the stance reader against a majority vote and TF-IDF + logistic
regression, on RumourEval 2017's layout (``threads.jsonl.gz``: threads with their posts,
parents, times and stance labels; ../shared/data/cascades_rumoureval2017).

Every post of the test threads is scored, the opening posts included, as the official task
did. With ``--cv`` instead of ``--test`` the train file is cross-validated with whole threads
held out (for development). ``--save`` fits on the whole train file and writes the shipped
reader (cluetrain_analytics/models/stance.joblib).
"""

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.metrics import accuracy_score, f1_score  # type: ignore[import-untyped]
from sklearn.model_selection import GroupKFold  # type: ignore[import-untyped]
from sklearn.pipeline import make_pipeline  # type: ignore[import-untyped]
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from cluetrain_analytics.text.stance import STANCES, Reply, StanceReader, save_stance_reader
from cluetrain_lab.datasets import shown_path
from cluetrain_lab.files import find_file, jsonl_rows

__all__ = ["Labelled", "read_threads", "run", "score"]


@dataclass(frozen=True, slots=True)
class Labelled:
    reply: Reply
    stance: str
    thread: str


def read_threads(path: Path) -> list[Labelled]:
    """Every labelled post of the file (a folder means its threads.jsonl.gz or threads.jsonl)."""
    if path.is_dir():
        found = find_file(path, "threads.jsonl")
        if found is None:
            raise FileNotFoundError(f"{path} has no threads.jsonl.gz (or threads.jsonl)")
        path = found
    posts: list[Labelled] = []
    for number, thread in jsonl_rows(path):
        try:
            posts.extend(_thread_posts(thread))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"{path.name} line {number}: not a thread ({error!r})") from error
    if not posts:
        raise ValueError(f"{path.name}: no labelled posts")
    return posts


def _thread_posts(thread: dict[str, Any]) -> Iterator[Labelled]:
    by_id = {str(post["post_id"]): post for post in thread["posts"]}
    opening = next((post["text"] for post in thread["posts"] if post.get("parent_id") is None), "")
    for post in thread["posts"]:
        stance = post.get("stance")
        if stance not in STANCES:
            continue
        parent = by_id.get(str(post.get("parent_id")))
        depth, ancestor = 0, post
        while ancestor.get("parent_id") is not None and depth < 50:
            depth += 1
            ancestor = by_id.get(str(ancestor["parent_id"]), {})
        reply = Reply(
            text=post["text"],
            parent=None if post.get("parent_id") is None else (parent or {}).get("text", ""),
            opening=opening,
            depth=depth,
        )
        yield Labelled(reply, stance, str(thread["thread_id"]))


def _figures(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro F1 and F1 per class. A class with no post in the truth nor in the
    predictions (a small test set) has no F1: null, and left out of the macro average, as
    scikit-learn's default (the official scorer's) leaves it out."""
    present = [s for s in STANCES if s in set(truth) | set(predicted)]
    per_class = f1_score(truth, predicted, labels=present, average=None, zero_division=0)
    by_class = dict(zip(present, per_class, strict=True))
    return {
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "macro_f1": round(
            float(f1_score(truth, predicted, labels=present, average="macro", zero_division=0)),
            4,
        ),
        "f1": {s: round(float(by_class[s]), 4) if s in by_class else None for s in STANCES},
    }


def _predictions(train: Sequence[Labelled], test: Sequence[Labelled]) -> dict[str, list[str]]:
    reader = StanceReader().fit(
        [p.reply for p in train], [p.stance for p in train], [p.thread for p in train]
    )
    majority = Counter(p.stance for p in train).most_common(1)[0][0]
    baseline = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=3000))
    with threadpool_limits(1):  # as in StanceReader.fit: a shared BLAS pool is far slower
        baseline.fit([p.reply.text for p in train], [p.stance for p in train])
    return {
        "ours": reader.predict([p.reply for p in test]),
        "majority": [majority] * len(test),
        "tfidf_logistic": [str(s) for s in baseline.predict([p.reply.text for p in test])],
    }


def score(train: Sequence[Labelled], test: Sequence[Labelled]) -> dict[str, Any]:
    """Fit on ``train``, score on ``test``: the command's JSON line."""
    predicted = _predictions(train, test)
    truth = [p.stance for p in test]
    return {
        "n": len(test),
        **_figures(truth, predicted["ours"]),
        "baselines": {
            name: _figures(truth, predicted[name]) for name in ("majority", "tfidf_logistic")
        },
    }


def cross_validate(posts: Sequence[Labelled], folds: int) -> dict[str, Any]:
    """Every post predicted by models that never saw its thread; the same JSON keys."""
    names = ("ours", "majority", "tfidf_logistic")
    predicted: dict[str, list[str]] = {name: [""] * len(posts) for name in names}
    groups = np.array([p.thread for p in posts])
    for train, test in GroupKFold(folds).split(groups, groups, groups):
        fold = _predictions([posts[i] for i in train], [posts[i] for i in test])
        for name in names:
            for i, stance in zip(test, fold[name], strict=True):
                predicted[name][i] = stance
    truth = [p.stance for p in posts]
    return {
        "n": len(posts),
        **_figures(truth, predicted["ours"]),
        "baselines": {name: _figures(truth, predicted[name]) for name in names[1:]},
    }


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cluetrain eval stance",
        description="Fit the stance reader and two baselines on --train; score them on every "
        "post of --test (or cross-validate over threads with --cv); print one JSON line.",
    )
    parser.add_argument("--train", required=True, type=Path, metavar="PATH")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--test", type=Path, metavar="PATH")
    target.add_argument("--cv", action="store_true", help="cross-validate over whole threads")
    target.add_argument(
        "--save", action="store_true", help="fit on all of --train and write the shipped reader"
    )
    parser.add_argument("--folds", type=int, default=5, help="folds of threads with --cv")
    parser.add_argument("--out", type=Path, metavar="JSON", help="also write the result here")
    return parser


def run(argv: Sequence[str]) -> int:
    """The command; 0 on success, 2 on unreadable input (with a one-line message)."""
    args = _parser().parse_args(list(argv))
    started = time.perf_counter()
    try:
        train = read_threads(args.train)
        if args.save:
            reader = StanceReader(version=time.strftime("%Y-%m-%d"))
            reader.fit(
                [p.reply for p in train], [p.stance for p in train], [p.thread for p in train]
            )
            reader.report["train"] = shown_path(args.train)
            reader.report["posts"] = len(train)
            path = save_stance_reader(reader)
            result: dict[str, Any] = {"saved": shown_path(path), "posts": len(train)}
        elif args.cv:
            result = cross_validate(train, args.folds)
        else:
            result = score(train, read_threads(args.test))
    except (OSError, ValueError) as error:
        sys.stderr.write(f"cluetrain eval stance: {error}\n")
        return 2
    if args.out:
        record = {
            "train": shown_path(args.train),
            "test": shown_path(args.test) if args.test else None,
            "mode": "holdout" if args.test else ("cv" if args.cv else "save"),
            "seconds": round(time.perf_counter() - started, 1),
            "result": result,
        }
        args.out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1:]))
