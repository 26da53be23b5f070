"""Reputation: signed-edge prediction, ratings with trust, and reputation that resists gaming.

- :mod:`~cluetrain_analytics.reputation.fairness`: signed edges as arrays and Kumar et al.'s
  fairness and goodness;
- :mod:`~cluetrain_analytics.reputation.signed`: the sign and weight of an edge u -> v (ours
  and the fairness-goodness and degree baselines);
- :mod:`~cluetrain_analytics.reputation.ratings`: rating prediction with and without trust;
- :mod:`~cluetrain_analytics.reputation.defences`: a member's reputation with its explanation,
  and the accounts of coordinated groups with the reasons they were flagged;
- :mod:`~cluetrain_analytics.reputation.gaming`: the gaming test (vote rings injected into a
  real trust graph).

docs/reputation.md has the method and the measured numbers.

>>> from cluetrain_analytics.reputation import compute_reputation
>>> report = compute_reputation([("ann", "bob", 1.0, 0.0), ("cy", "bob", 0.5, 0.0)])
>>> 0 < report.scores["bob"].score <= 1
True
"""

from cluetrain_analytics.reputation.defences import (
    FLAG_CUES,
    DefenceSettings,
    FlagReason,
    Reputation,
    ReputationReport,
    compute_reputation,
    detect_coordinated_groups,
    plain_average,
)
from cluetrain_analytics.reputation.fairness import SignedEdges, fairness_goodness
from cluetrain_analytics.reputation.gaming import gaming_test, inject_ring

__all__ = [
    "FLAG_CUES",
    "DefenceSettings",
    "FlagReason",
    "Reputation",
    "ReputationReport",
    "SignedEdges",
    "compute_reputation",
    "detect_coordinated_groups",
    "fairness_goodness",
    "gaming_test",
    "inject_ring",
    "plain_average",
]
