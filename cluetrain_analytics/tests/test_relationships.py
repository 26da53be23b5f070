"""Relationship roll-up: decay, polarity, the nature of a tie and its trend."""

from datetime import UTC, datetime, timedelta

import pytest

from cluetrain_analytics.relationships import (
    KINDS,
    STRENGTH_SCALE,
    Expression,
    decayed_weight,
    roll_up,
)

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def test_every_kind_has_a_sign_a_weight_a_half_life_and_a_reason() -> None:
    assert len(KINDS) == 40
    for name, spec in KINDS.items():
        assert spec.polarity in (-1, 0, 1), name
        assert spec.weight > 0, name
        assert spec.half_life_days > 0, name
        assert len(spec.reason) > 10, name


def test_an_expression_counts_half_after_its_half_life_and_never_more_than_its_weight() -> None:
    spec = KINDS["recommend"]
    fresh = Expression("recommend", NOW)
    old = Expression("recommend", days_ago(spec.half_life_days))
    future = Expression("recommend", NOW + timedelta(days=10))
    assert decayed_weight(fresh, NOW) == pytest.approx(spec.weight)
    assert decayed_weight(old, NOW) == pytest.approx(spec.weight / 2)
    assert decayed_weight(future, NOW) == pytest.approx(spec.weight)
    # Expressions dated after `now` are not counted in a roll-up at all.
    assert roll_up([future], NOW).mass == 0


def test_polarity_balances_positive_and_negative_and_a_review_takes_its_stars_sign() -> None:
    tie = roll_up(
        [
            Expression("recommend", NOW),
            Expression("badmouth", NOW),
            Expression("evaluate", NOW, polarity=-1),
        ],
        NOW,
    )
    positive = KINDS["recommend"].weight
    negative = KINDS["badmouth"].weight + KINDS["evaluate"].weight
    assert tie.polarity == pytest.approx((positive - negative) / (positive + negative))
    assert tie.polarity < 0
    neutral = roll_up([Expression("payment", NOW)], NOW)
    assert neutral.polarity == 0
    assert neutral.mass > 0


def test_payments_alone_are_a_transaction_and_conversation_makes_a_relationship() -> None:
    orders = [Expression("payment", days_ago(d)) for d in (1, 20, 40)] + [
        Expression("repeat_patronage", days_ago(1))
    ]
    assert roll_up(orders, NOW).nature == "transaction"
    talk = [Expression("conversation", days_ago(2)), Expression("ask_advice", days_ago(3))]
    assert roll_up(orders + talk, NOW).nature == "relationship"
    assert roll_up([], NOW).nature == "none"


def test_strength_saturates_and_grows_with_every_expression() -> None:
    one = roll_up([Expression("vouch", NOW)], NOW)
    many = roll_up([Expression("vouch", NOW)] * 10, NOW)
    assert 0 < one.strength < many.strength < 1
    assert one.strength == pytest.approx(
        1 - pow(2.718281828, -KINDS["vouch"].weight / STRENGTH_SCALE)
    )


def test_a_tie_that_stopped_is_cooling_and_one_that_soured_is_turning_negative() -> None:
    quiet = [Expression("conversation", days_ago(d)) for d in range(31, 60)]
    assert roll_up(quiet, NOW).cooling
    lively = [Expression("conversation", days_ago(d)) for d in range(0, 60)]
    assert not roll_up(lively, NOW).cooling
    soured = [Expression("recommend", days_ago(50)), Expression("blacklist", days_ago(2))]
    tie = roll_up(soured, NOW)
    assert tie.turning_negative
    assert tie.polarity_before == 1


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(KeyError, match="unknown relationship kind"):
        roll_up([Expression("hug", NOW)], NOW)
