"""Relationship strength and polarity between two parties, rolled up from their expressions.

Framework-free: the platform turns its rows into `Expression`s; this module knows the kinds of
ProjectVRM's list (recommend, vouch, badmouth, blacklist...), what each says, how much it
weighs and how fast it fades, and rolls a pair's expressions up into a `Tie`.

A tie's strength is the decayed weight of everything the two expressed, squashed into [0, 1);
its polarity is the balance of the positive and negative part in [-1, 1]. A pair held together
only by payments, orders and contracts is a *transaction*; one with conversation, advice,
advocacy or trust is a *relationship* (seed 001: "relationships, not transactions").
"""

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

__all__ = [
    "KINDS",
    "STRENGTH_SCALE",
    "Expression",
    "KindSpec",
    "Tie",
    "decayed_weight",
    "roll_up",
]


@dataclass(frozen=True, slots=True)
class KindSpec:
    """What one kind of expression says about a relationship.

    polarity: +1, -1, or 0 when the kind itself says nothing about feelings (a payment) or the
    sign comes from the expression (a review's stars, a message's sentiment).
    weight: how much one expression counts, against a conversation's 0.5.
    half_life_days: after this long it counts half.
    transactional: part of an exchange of money or goods, not of the relationship around it.
    """

    polarity: int
    weight: float
    half_life_days: float
    transactional: bool
    reason: str


# One table for every kind: docs/relationships.md shows it (its test checks they agree).
KINDS: dict[str, KindSpec] = {
    "implications_for_future": KindSpec(
        1, 1.0, 180, False, "a plan stated together (will renew, will buy again) points forward"
    ),
    "expectations": KindSpec(
        0, 0.5, 90, False, "an expectation binds the two but is neither kept nor broken yet"
    ),
    "recognition": KindSpec(1, 1.0, 120, False, "crediting someone by name in public"),
    "subscription": KindSpec(
        1, 1.5, 365, False, "choosing to hear from the other regularly: a follow, a newsletter"
    ),
    "payment": KindSpec(
        0, 0.5, 180, True, "a payment is a transaction; it says nothing of feeling"
    ),
    "tipping": KindSpec(1, 1.0, 120, True, "paying more than asked is goodwill on top of a sale"),
    "genealogy": KindSpec(1, 0.5, 3650, False, "ties of origin change slowly"),
    "hate_site": KindSpec(
        -1, 3.0, 365, False, "running a site against the other is the strongest public negative"
    ),
    "strong_feelings": KindSpec(
        0, 1.5, 60, False, "strongly felt either way; the sign comes from what the message says"
    ),
    "recommend": KindSpec(
        1, 2.0, 180, False, "a recommendation puts one's own name behind another"
    ),
    "contract": KindSpec(0, 1.0, 365, True, "a contract binds by terms, not by feeling"),
    "employment": KindSpec(0, 1.0, 730, True, "employment is a contract that lasts"),
    "ask_advice": KindSpec(
        1, 1.5, 120, False, "asking someone's advice shows trust in their judgement"
    ),
    "vulnerability": KindSpec(1, 2.0, 180, False, "sharing a weakness is trust"),
    "blacklist": KindSpec(-1, 3.0, 365, False, "blocking someone ends the relationship on purpose"),
    "conversation": KindSpec(
        1, 0.5, 60, False, "talking both ways is the smallest tie; it fades fast"
    ),
    "stalking": KindSpec(-1, 2.0, 90, False, "unwanted attention"),
    "repeat_patronage": KindSpec(
        1, 1.5, 365, True, "coming back is a vote with the wallet, still a transaction"
    ),
    "badmouth": KindSpec(-1, 2.0, 120, False, "speaking ill of the other in public"),
    "reliance": KindSpec(1, 1.0, 180, False, "depending on the other for something that matters"),
    "federation": KindSpec(1, 0.5, 365, False, "choosing to connect two communities"),
    "referral": KindSpec(
        1, 2.0, 180, False, "sending someone to the other risks one's own reputation on them"
    ),
    "sponsor": KindSpec(1, 1.5, 365, True, "paying for the other's work in return for visibility"),
    "invite": KindSpec(1, 1.0, 90, False, "asking the other in"),
    "rebuff": KindSpec(-1, 1.0, 60, False, "a request ignored or turned down cools a tie"),
    "evaluate": KindSpec(0, 1.0, 180, False, "a review: its stars give the sign"),
    "public_display": KindSpec(1, 1.0, 90, False, "showing the tie in public"),
    "advocate": KindSpec(1, 2.5, 180, False, "defending the other in public, unasked"),
    "commenting": KindSpec(0, 0.3, 30, False, "a comment alone says little"),
    "give_gifts": KindSpec(1, 1.0, 180, False, "giving with nothing asked back"),
    "find": KindSpec(0, 0.2, 30, False, "finding someone is awareness, not yet a tie"),
    "respond": KindSpec(1, 0.5, 60, False, "answering when addressed"),
    "keep_apprised": KindSpec(1, 0.5, 90, False, "keeping the other informed unasked"),
    "request": KindSpec(0, 0.5, 60, False, "a request opens a tie; the answer decides its sign"),
    "extend_credit": KindSpec(1, 1.5, 365, True, "trust with money"),
    "support": KindSpec(1, 1.5, 120, False, "helping with a problem"),
    "vouch": KindSpec(1, 2.5, 365, False, "vouching stakes one's own reputation on the other"),
    "shared_experience": KindSpec(1, 0.5, 180, False, "having lived the same thing"),
    "having_coffee": KindSpec(1, 1.0, 120, False, "time spent together by choice"),
    "conferences": KindSpec(1, 0.5, 365, False, "meeting where the trade meets"),
}

#: Decayed weight at which strength reaches 1 - 1/e (about 0.63): a recommendation and a few
#: months of conversation, or one vouch and one referral.
STRENGTH_SCALE = 5.0
#: Decayed weight of relationship (not transactional) kinds below which a pair is a transaction.
RELATIONAL_FLOOR = 0.5
#: How far back "cooling" and "turning negative" look.
TREND_WINDOW = timedelta(days=30)
#: A tie whose weight fell below this share of a month ago's is cooling. A conversation left
#: alone for that month keeps 71 %; one kept going stays near 100 %.
COOLING_RATIO = 0.8


@dataclass(frozen=True, slots=True)
class Expression:
    """One expression between the pair. `polarity` overrides the kind's (a review's stars)."""

    kind: str
    occurred_at: datetime
    polarity: int | None = None
    weight: float | None = None


@dataclass(frozen=True, slots=True)
class Tie:
    strength: float
    polarity: float
    positive: float
    negative: float
    mass: float
    relational_mass: float
    transactional_mass: float
    nature: str  # "relationship", "transaction" or "none"
    kinds: dict[str, int] = field(default_factory=dict)
    last_at: datetime | None = None
    mass_before: float = 0.0
    polarity_before: float = 0.0

    @property
    def cooling(self) -> bool:
        """A fifth lighter than a month ago: nothing new, only fading (or being taken back)."""
        return self.mass_before > 0 and self.mass < self.mass_before * COOLING_RATIO

    @property
    def turning_negative(self) -> bool:
        return self.polarity < 0 <= self.polarity_before and self.negative > 0


def decayed_weight(expression: Expression, now: datetime) -> float:
    """The expression's weight now: halved every half-life, never grown by a future date."""
    spec = KINDS[expression.kind]
    weight = spec.weight if expression.weight is None else expression.weight
    age_days = max(0.0, (now - expression.occurred_at).total_seconds() / 86400)
    return float(weight * 0.5 ** (age_days / spec.half_life_days))


def _sums(expressions: list[Expression], now: datetime) -> tuple[float, float, float, float]:
    positive = negative = relational = transactional = 0.0
    for expression in expressions:
        if expression.occurred_at > now:
            continue
        spec = KINDS[expression.kind]
        weight = decayed_weight(expression, now)
        sign = spec.polarity if expression.polarity is None else expression.polarity
        if sign > 0:
            positive += weight
        elif sign < 0:
            negative += weight
        if spec.transactional:
            transactional += weight
        else:
            relational += weight
    return positive, negative, relational, transactional


def _strength(mass: float) -> float:
    return 1.0 - math.exp(-mass / STRENGTH_SCALE)


def _polarity(positive: float, negative: float) -> float:
    return (positive - negative) / (positive + negative) if positive + negative else 0.0


def roll_up(expressions: Iterable[Expression], now: datetime) -> Tie:
    """Strength, polarity and nature of one pair's tie at `now`, with a month-ago comparison.

    Raises KeyError for a kind not in `KINDS`.
    """
    items = list(expressions)
    for expression in items:
        if expression.kind not in KINDS:
            raise KeyError(f"unknown relationship kind {expression.kind!r}")
    positive, negative, relational, transactional = _sums(items, now)
    mass = relational + transactional
    if mass == 0:
        nature = "none"
    elif relational < RELATIONAL_FLOOR:
        nature = "transaction"
    else:
        nature = "relationship"
    before = now - TREND_WINDOW
    pos_b, neg_b, rel_b, tr_b = _sums(items, before)
    past = [e.occurred_at for e in items if e.occurred_at <= now]
    return Tie(
        strength=_strength(mass),
        polarity=_polarity(positive, negative),
        positive=positive,
        negative=negative,
        mass=mass,
        relational_mass=relational,
        transactional_mass=transactional,
        nature=nature,
        kinds=dict(Counter(e.kind for e in items if e.occurred_at <= now)),
        last_at=max(past) if past else None,
        mass_before=rel_b + tr_b,
        polarity_before=_polarity(pos_b, neg_b),
    )
