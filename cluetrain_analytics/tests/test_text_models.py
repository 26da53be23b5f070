import doctest
import time

import pytest

from cluetrain_analytics.text import classify, fast, features, tweeteval
from cluetrain_analytics.text.fast import MODEL_PATH, FastTier, load_fast_tier
from cluetrain_analytics.text.tweeteval import scores


def test_the_shipped_model_is_small_and_loads_fast() -> None:
    assert MODEL_PATH.stat().st_size < 8_000_000
    load_fast_tier.cache_clear()
    started = time.perf_counter()
    tier = load_fast_tier()
    assert time.perf_counter() - started < 5  # about 0.3 s; generous for a busy CI machine
    assert isinstance(tier, FastTier)
    assert load_fast_tier() is tier
    assert sorted(tier.classifiers) == ["emotion", "irony", "offensive", "sentiment"]


def test_the_shipped_model_gets_obvious_messages_right() -> None:
    tier = load_fast_tier()
    happy, furious, neutral = tier.analyze(
        [
            "I love this, works perfectly",
            "worst support ever, I'm furious",
            "The store opens at 9am on Monday",
        ]
    )
    assert (happy.sentiment, furious.sentiment, neutral.sentiment) == (
        "positive",
        "negative",
        "neutral",
    )
    assert happy.sentiment_score > 0.5
    assert furious.sentiment_score < -0.5
    assert -1 <= neutral.sentiment_score <= 1
    assert happy.emotion == "joy"
    assert furious.emotion == "anger"
    assert sum(furious.emotion_scores.values()) == pytest.approx(1, abs=1e-3)
    assert tier.predict("sentiment", ["I love this, works perfectly"]) == [2]
    assert tier.analyze([]) == []


def test_scores_match_a_hand_computed_case() -> None:
    # Gold 0 0 1 1, predicted 0 1 1 1: recall 1/2 and 1; F1 2/3 and 4/5.
    assert scores("emotion", [0, 0, 1, 1], [0, 1, 1, 1]) == {
        "accuracy": 75.0,
        "macro_f1": 36.67,  # over the four emotion classes, two of them absent
        "macro_recall": 37.5,
        "official": 36.67,
    }
    assert scores("irony", [0, 0, 1, 1], [0, 1, 1, 1])["official"] == 80.0
    assert scores("sentiment", [0, 0, 1, 2], [0, 1, 1, 2])["official"] == 83.33


@pytest.mark.parametrize("module", [classify, features, fast, tweeteval])
def test_doctests_pass(module: object) -> None:
    assert doctest.testmod(module).failed == 0  # type: ignore[arg-type]
