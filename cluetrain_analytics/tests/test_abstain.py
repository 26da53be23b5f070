import doctest

import pytest

from cluetrain_analytics.text import abstain
from cluetrain_analytics.text.abstain import choose_threshold, label_or_unsure
from cluetrain_analytics.text.fast import load_fast_tier


def test_doctests_pass() -> None:
    assert doctest.testmod(abstain).failed == 0


def test_the_threshold_trades_coverage_for_accuracy() -> None:
    confidence = [0.95, 0.9, 0.85, 0.7, 0.6, 0.5, 0.45, 0.35]
    correct = [True, True, True, True, False, True, False, False]
    strict = choose_threshold(confidence, correct, target=1.0)
    loose = choose_threshold(confidence, correct, target=0.6)
    assert strict.accuracy == 1.0
    assert strict.coverage == 0.5
    assert loose.coverage > strict.coverage
    assert loose.accuracy >= 0.6
    assert strict.accuracy_all == loose.accuracy_all == 0.625
    # Nothing reaches the target: the most accurate threshold is returned, not an empty one.
    assert choose_threshold([0.9, 0.8], [False, True], target=0.99).coverage > 0
    with pytest.raises(ValueError, match="non-empty"):
        choose_threshold([], [])


def test_the_fast_tier_reports_the_probability_of_the_label_it_gives() -> None:
    tier = load_fast_tier()
    texts = ["I love it, best purchase ever!!", "ok", "The hub died again, furious"]
    for analysis in tier.analyze(texts):
        assert 1 / 3 <= analysis.sentiment_confidence <= 1
        assert analysis.emotion_confidence == max(analysis.emotion_scores.values())
        shown = label_or_unsure(analysis.emotion, analysis.emotion_confidence, "emotion")
        assert shown in {analysis.emotion, "unsure"}
