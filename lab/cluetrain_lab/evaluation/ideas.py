"""`cluetrain eval ideas`: rank each test challenge's concepts before the decision, against its
winners (OpenIDEO layout: ../shared/data/ideas_openideo).

The snapshot's applause, views, comment counts and evaluations were taken after the winners
were picked, so the ranking reads only what existed before a decision:

- the platform's idea ranking (cluetrain_analytics.ideas.rank_ideas) over the replies dated
  before the challenge's last concept was posted: each commenter other than the author
  supports a concept once, commenters who only act together count once;
- that same early conversation's size (comments, the author's own replies, the comments the
  author gave on other concepts);
- the text (length of title and description) and the "built upon" links between concepts
  (every linked concept exists before the last concept);
- the author's history: concepts and wins in challenges that ended before this one began.

These are combined by a logistic regression fitted on the --train challenges (features are
ranks within their challenge). Applause and comment count (both leaky) are the baselines, in
the same run. When --train and --test are the same folder, its challenges are split
(a salted hash keeps 20 % for the test) so that development never sees the hold-out.
"""

import argparse
import csv
import gzip
import hashlib
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import rankdata  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.metrics import roc_auc_score  # type: ignore[import-untyped]
from tqdm import tqdm

from cluetrain_analytics.ideas import Support, rank_ideas

__all__ = ["FEATURES", "Challenge", "evaluate", "read_challenges", "run"]

FEATURES = (
    "platform_score",
    "early_comments",
    "author_replies",
    "author_comments_given",
    "built_upon",
    "builds_on",
    "title_chars",
    "description_chars",
    "author_past_concepts",
    "author_past_wins",
)
SPLIT_SALT = "openideo-dev"
TEST_SHARE = 0.2


@dataclass
class Challenge:
    id: int
    concepts: list[dict[str, Any]]
    comments: list[dict[str, Any]]
    links: list[tuple[str, str]]

    @property
    def first(self) -> str:
        return str(min(c["created"] for c in self.concepts))

    @property
    def last(self) -> str:
        return str(max(c["created"] for c in self.concepts))


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _comment_time(text: str) -> str:
    return datetime.strptime(text, "%B %d, %Y, %I:%M%p").isoformat()


def read_challenges(folder: Path) -> dict[int, Challenge]:
    """Challenges with at least one concept (inspirations are left out: they cannot win)."""
    for name in ("concepts.jsonl.gz", "comments.jsonl.gz", "concept_links.csv.gz"):
        if not (folder / name).is_file():
            raise FileNotFoundError(f"{folder} has no {name} (the ideas_openideo layout)")
    challenges: dict[int, Challenge] = {}
    for row in _lines(folder / "concepts.jsonl.gz"):
        if row["type"] == "concept":
            challenges.setdefault(row["challenge"], Challenge(row["challenge"], [], [], []))
            challenges[row["challenge"]].concepts.append(row)
    for row in _lines(folder / "comments.jsonl.gz"):
        if row["challenge"] in challenges:
            row["time"] = _comment_time(row["date"])
            challenges[row["challenge"]].comments.append(row)
    with gzip.open(folder / "concept_links.csv.gz", "rt", encoding="utf-8") as handle:
        for link in csv.DictReader(handle):
            if int(link["challenge"]) in challenges:
                challenges[int(link["challenge"])].links.append(
                    (link["source_concept"], link["target_concept"])
                )
    return challenges


def split(challenges: dict[int, Challenge]) -> tuple[list[int], list[int]]:
    """Development split of one folder: a salted hash of the challenge id, 20 % to the test."""
    ordered = sorted(
        challenges, key=lambda c: hashlib.sha256(f"{SPLIT_SALT}:{c}".encode()).hexdigest()
    )
    n_test = max(1, round(len(ordered) * TEST_SHARE))
    return sorted(ordered[n_test:]), sorted(ordered[:n_test])


def _history(all_challenges: list[Challenge]) -> dict[str, list[tuple[str, bool]]]:
    """Each author's concepts as (the end of their challenge, won)."""
    history: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for challenge in all_challenges:
        end = challenge.last
        for concept in challenge.concepts:
            history[concept["creator"]].append((end, bool(concept["winner"])))
    return history


def features(
    challenge: Challenge, history: dict[str, list[tuple[str, bool]]]
) -> tuple[np.ndarray, dict[str, list[float]]]:
    """One row per concept (in file order) of FEATURES, as ranks within the challenge."""
    deadline, start = challenge.last, challenge.first
    ids = [c["id"] for c in challenge.concepts]
    author = {c["id"]: c["creator"] for c in challenge.concepts}
    early = [m for m in challenge.comments if m["time"] <= deadline and m["concept_id"] in author]
    support = [
        Support(m["user"], m["concept_id"], "reply")
        for m in early
        if m["user"] != author[m["concept_id"]]
    ]
    ranked = {r.idea: r.score for r in rank_ideas(support, ideas=ids)}
    comments = Counter(m["concept_id"] for m in early)
    own = Counter(m["concept_id"] for m in early if m["user"] == author[m["concept_id"]])
    given = Counter(m["user"] for m in early)
    built_upon = Counter(target for _, target in challenge.links)
    builds_on = Counter(source for source, _ in challenge.links)
    raw: dict[str, list[float]] = defaultdict(list)
    for concept in challenge.concepts:
        cid, who = concept["id"], concept["creator"]
        past = [won for end, won in history.get(who, []) if end < start]
        raw["platform_score"].append(ranked.get(cid, 0.0))
        raw["early_comments"].append(comments[cid])
        raw["author_replies"].append(own[cid])
        raw["author_comments_given"].append(given[who])
        raw["built_upon"].append(built_upon[cid])
        raw["builds_on"].append(builds_on[cid])
        raw["title_chars"].append(len(concept.get("title") or ""))
        raw["description_chars"].append(len(concept.get("description") or ""))
        raw["author_past_concepts"].append(len(past))
        raw["author_past_wins"].append(sum(past))
    n = len(ids)
    matrix = np.column_stack([rankdata(raw[name]) / n for name in FEATURES])
    return matrix, raw


def _scores(y: np.ndarray, score: np.ndarray) -> tuple[float, float]:
    k = int(y.sum())
    top = np.argsort(-score, kind="stable")[:k]
    return float(roc_auc_score(y, score)), float(y[top].mean())


def _mean(rows: list[tuple[float, float]]) -> dict[str, float]:
    return {
        "auc": round(float(np.mean([r[0] for r in rows])), 3),
        "p_at_k": round(float(np.mean([r[1] for r in rows])), 3),
    }


def evaluate(
    train: dict[int, Challenge], test: dict[int, Challenge]
) -> tuple[dict[str, Any], dict[str, Any]]:
    history = _history([*train.values(), *test.values()])
    xs, ys = [], []
    for challenge in tqdm(train.values(), desc="train challenges", file=sys.stderr):
        matrix, _ = features(challenge, history)
        xs.append(matrix)
        ys.append(np.array([bool(c["winner"]) for c in challenge.concepts], dtype=float))
    model = LogisticRegression(C=0.3, max_iter=2000)
    model.fit(np.vstack(xs), np.concatenate(ys))
    ours, applause, comment_count = [], [], []
    for challenge in tqdm(test.values(), desc="test challenges", file=sys.stderr):
        y = np.array([bool(c["winner"]) for c in challenge.concepts], dtype=float)
        if not 0 < y.sum() < len(y):
            continue
        matrix, _ = features(challenge, history)
        ours.append(_scores(y, model.predict_proba(matrix)[:, 1]))
        applause.append(_scores(y, np.array([c["applause"] or 0 for c in challenge.concepts])))
        comment_count.append(
            _scores(y, np.array([c["comment_count"] or 0 for c in challenge.concepts]))
        )
    if not ours:
        raise ValueError("no test challenge has both winners and other concepts")
    result = {
        "n_challenges": len(ours),
        **_mean(ours),
        "baselines": {"applause": _mean(applause), "comment_count": _mean(comment_count)},
    }
    details = {
        "train_challenges": sorted(train),
        "test_challenges": sorted(test),
        "weights": dict(zip(FEATURES, np.round(model.coef_[0], 3).tolist(), strict=True)),
    }
    return result, details


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="cluetrain eval ideas",
        description="Rank each --test challenge's concepts with what existed before the decision "
        "(the platform's idea ranking over early replies, text, author history), fitted on the "
        "--train challenges, and print one JSON line: n_challenges, mean auc and p_at_k against "
        "the winners, and the same for applause and comment count (leaky baselines). The same "
        "folder for both splits its challenges 80/20 by a salted hash.",
    )
    parser.add_argument("--train", required=True, metavar="DIR", type=Path)
    parser.add_argument("--test", required=True, metavar="DIR", type=Path)
    options = parser.parse_args(argv)
    try:
        train = read_challenges(options.train)
        if options.train.resolve() == options.test.resolve():
            train_ids, test_ids = split(train)
            test = {c: train.pop(c) for c in test_ids}
            train = {c: train[c] for c in train_ids}
        else:
            test = read_challenges(options.test)
        result, details = evaluate(train, test)
    except (FileNotFoundError, ValueError, KeyError) as error:
        sys.stderr.write(f"cluetrain eval ideas: {error}\n")
        return 2
    sys.stderr.write(json.dumps(details) + "\n")
    sys.stdout.write(json.dumps(result) + "\n")
    return 0
