import math
from collections.abc import Iterator

import pytest
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from cluetrain_analytics.spread import doubling_score, evaluate_spread, rmsle, size_scores
from cluetrain_analytics.spread.synthetic import synthetic_cascades


@pytest.fixture(autouse=True)
def _one_thread() -> Iterator[None]:
    # Boosting's OpenMP threads spin while they wait: on a shared, loaded machine one thread
    # is many times faster than two.
    with threadpool_limits(1):
        yield


def test_rmsle_by_hand() -> None:
    # log(1 + 3) - log(1 + 1) = log 2 on one of two cascades.
    assert rmsle([3.0, 5.0], [1.0, 5.0]) == pytest.approx(math.log(2) / math.sqrt(2))
    assert rmsle([7.0], [7.0]) == 0.0


def test_size_scores_leave_spearman_out_when_it_is_undefined() -> None:
    scores = size_scores([1.0, 2.0, 3.0], [10.0, 30.0, 20.0])
    errors = [math.log(2 / 11), math.log(3 / 31), math.log(4 / 21)]
    assert scores["spearman"] == 0.5
    assert scores["rmsle"] == pytest.approx(math.sqrt(sum(e * e for e in errors) / 3), abs=1e-4)
    assert size_scores([4.0, 4.0], [1.0, 9.0])["spearman"] is None


def test_doubling_score_by_hand() -> None:
    # Answers at 0.5: yes, no, yes, no; truth yes, no, no, yes. Ranking: 3 of 4 pairs right.
    score = doubling_score([0.9, 0.1, 0.6, 0.4], [True, False, False, True])
    assert score == {"n": 4, "accuracy": 0.5, "auc": 0.75, "base_rate": 0.5}


def test_doubling_score_has_no_auc_for_one_class_or_none() -> None:
    assert doubling_score([0.9, 0.2], [True, True]) == {
        "n": 2,
        "accuracy": 0.5,
        "auc": None,
        "base_rate": 1.0,
    }
    assert doubling_score([], []) == {"n": 0, "accuracy": None, "auc": None, "base_rate": None}


def test_evaluate_spread_scores_model_and_baseline_on_the_same_cascades() -> None:
    train = synthetic_cascades(120, seed=5)
    test = synthetic_cascades(40, seed=6)

    result = evaluate_spread(train, test, observe_minutes=30, extra_ks=(60, 500))

    assert result["n"] == 40
    assert set(result) == {
        "n",
        "observe_minutes",
        "spearman",
        "rmsle",
        "doubling",
        "doubling_extra",
        "baseline",
    }
    assert set(result["baseline"]) == {"spearman", "rmsle", "doubling", "doubling_extra"}
    for scores in (result, result["baseline"]):
        assert list(scores["doubling"]) == ["5", "10", "20"]
        assert -1 <= scores["spearman"] <= 1
        assert scores["rmsle"] >= 0
        for k, entry in scores["doubling"].items():
            assert entry["n"] == sum(1 for c in test.values() if c.size >= int(k))
            assert 0 <= entry["accuracy"] <= 1
    # No cascade of up to 245 shares reaches 500: counted, not answered.
    assert result["doubling_extra"]["500"] == {
        "n": 0,
        "accuracy": None,
        "auc": None,
        "base_rate": None,
    }
    assert result["baseline"]["doubling"]["10"]["auc"] == 0.5


def test_evaluate_spread_needs_cascades_on_both_sides() -> None:
    cascades = synthetic_cascades(3)
    with pytest.raises(ValueError, match="the train set has no cascades"):
        evaluate_spread({}, cascades, observe_minutes=60)
    with pytest.raises(ValueError, match="the test set has no cascades"):
        evaluate_spread(cascades, {}, observe_minutes=60)
