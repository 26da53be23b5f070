"""Distilling the fast tier's sentiment head from a teacher's soft labels (issue #17)."""

import random

import numpy as np

from cluetrain_analytics.text.fast import DEFAULT_PARAMS, train_fast_tier

WORDS = ["love", "great", "hate", "awful", "the", "phone", "today", "ok", "fine", "broken"]
SENTIMENT = {"love": 2, "great": 2, "hate": 0, "awful": 0}


def _texts(rng: random.Random, n: int) -> list[str]:
    return [" ".join(rng.choice(WORDS) for _ in range(4)) for _ in range(n)]


def _label(text: str) -> int:
    votes = [SENTIMENT[word] for word in text.split() if word in SENTIMENT]
    return round(sum(votes) / len(votes)) if votes else 1


def _data() -> dict[str, tuple[list[str], list[int]]]:
    rng = random.Random(0)
    data = {}
    for task, classes in (("sentiment", 3), ("emotion", 4), ("irony", 2), ("offensive", 2)):
        texts = _texts(rng, 150)
        labels = [_label(t) if task == "sentiment" else rng.randrange(classes) for t in texts]
        data[task] = (texts, labels)
    return data


PARAMS = {**DEFAULT_PARAMS, "features": {**DEFAULT_PARAMS["features"], "min_df": 1}}


def test_the_teacher_moves_the_sentiment_head_and_leaves_the_other_heads_alone() -> None:
    data = _data()
    unlabelled = _texts(random.Random(1), 60)
    # A teacher sure of "positive" everywhere: the distilled head must lean that way.
    teacher = np.log(np.tile([0.02, 0.02, 0.96], (len(unlabelled), 1)))
    plain = train_fast_tier(data, params=PARAMS)
    distilled = train_fast_tier(data, params=PARAMS, unlabelled=(unlabelled, teacher))

    assert distilled.report["distilled_on"] == 60
    assert plain.report["distilled_on"] == 0
    probe = ["the phone today", "ok fine the", "hate the phone"]
    before = plain.classifiers["sentiment"].predict_proba(probe)[:, 2]
    after = distilled.classifiers["sentiment"].predict_proba(probe)[:, 2]
    assert (after > before).all()
    # The other heads learn from the gold-only sentiment head, as without distillation.
    for task in ("emotion", "irony", "offensive"):
        np.testing.assert_allclose(
            distilled.classifiers[task].model_.coef_, plain.classifiers[task].model_.coef_
        )
    assert distilled.classifiers["emotion"].transfer is not distilled.classifiers["sentiment"]
    assert distilled.predict("sentiment", ["love love great"]) == [2]
