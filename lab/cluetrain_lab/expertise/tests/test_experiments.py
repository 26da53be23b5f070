"""The lab's expert-finding experiments: extra columns from the past only, and the protocol."""

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from cluetrain_analytics.expertise import Contribution, Query
from cluetrain_lab.expertise.experiments import (
    COLUMN,
    NAMES,
    ExtendedFinder,
    Variant,
    inner,
    split_groups,
)
from cluetrain_lab.expertise.stackexchange import read_dump, split_dump
from cluetrain_lab.expertise.tests.test_eval_experts import write_dump

T0 = datetime(2018, 3, 1, tzinfo=UTC)


def unit(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=8)
    return np.asarray(v / np.linalg.norm(v))


def answer(person: str, question: str, day: int) -> Contribution:
    return Contribution(
        person=person,
        kind="answer",
        text=f"about {question}",
        context=f"question {question}",
        context_id=question,
        context_at=T0 + timedelta(days=day - 1),
        tags=("qubit",),
        at=T0 + timedelta(days=day),
    )


def test_the_recency_columns_count_only_what_came_before_the_question() -> None:
    contribs = [answer("ann", "a", 1), answer("ann", "b", 10), answer("bob", "c", 2)]
    vectors = {q: unit(i) for i, q in enumerate(("a", "b", "c", "new"))}
    activity = {"bob": [(T0 + timedelta(days=4)).timestamp()]}  # a comment on day 4
    finder = ExtendedFinder(contribs, activity, vectors)
    query = Query("question new", tags=("qubit",), at=T0 + timedelta(days=5), query_id="new")
    x = finder.all_features(query)
    assert x.shape == (2, len(NAMES))
    ann, bob = finder.people.index("ann"), finder.people.index("bob")
    # ann's answer on day 10 is after the question: her last one before it is 4 days old.
    assert x[ann, COLUMN["since_answer"]] == pytest.approx(-math.log1p(4))
    assert x[ann, COLUMN["prev7"]] == pytest.approx(math.log1p(1))
    assert x[ann, COLUMN["prev_answers"]] == pytest.approx(math.log1p(1))
    # bob answered 3 days before, but commented 1 day before: "any activity" sees the comment.
    assert x[bob, COLUMN["since_answer"]] == pytest.approx(-math.log1p(3))
    assert x[bob, COLUMN["since_any"]] == pytest.approx(-math.log1p(1))
    # The closest question ann answered, by the given vectors (b counts: similarity is not time).
    best = max(float(vectors["a"] @ vectors["new"]), float(vectors["b"] @ vectors["new"]))
    assert x[ann, COLUMN["mini_max"]] == pytest.approx(max(best, 0.0))


def test_the_protocol_runs_on_a_split_dump_and_finds_each_tags_expert(tmp_path: Path) -> None:
    write_dump(tmp_path / "all")
    split_dump(tmp_path / "all", tmp_path / "train", tmp_path / "test", share=0.25, seed=3)
    train, test = read_dump(tmp_path / "train"), read_dump(tmp_path / "test")
    ids = sorted({*train.questions, *test.questions}, key=int)
    groups = split_groups(train, test, {q: unit(int(q)) for q in ids})
    assert len(groups["test"]) == 15
    assert {g.fold for g in groups["oof"]} == set(range(5))
    variant = Variant((*NAMES[:15], "since_answer", "mini_cent"))
    scores = variant.metrics(variant.fit(groups["oof"]), groups["test"])
    assert scores["p_at_1"] == 1.0
    assert set(inner(variant, groups["oof"])) == {"random", "forward"}
