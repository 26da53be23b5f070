"""Spread: cascades as plain data, early features, forecasts of final size and doubling.

>>> from cluetrain_analytics.spread import Cascade, observe
>>> observe(Cascade.from_shares("r", [("r", "a", 1.0), ("a", "b", 90.0)]), 60).size
1
"""

from cluetrain_analytics.spread.cascades import (
    Cascade,
    CascadeKey,
    Share,
    first_shares,
    observe,
    read_cascades,
)
from cluetrain_analytics.spread.features import FEATURE_NAMES, cascade_features, feature_matrix
from cluetrain_analytics.spread.forecast import CascadeForecaster, SzaboHubermanBaseline
from cluetrain_analytics.spread.metrics import (
    DOUBLING_KS,
    doubling_score,
    evaluate_spread,
    rmsle,
    size_scores,
)

__all__ = [
    "DOUBLING_KS",
    "FEATURE_NAMES",
    "Cascade",
    "CascadeForecaster",
    "CascadeKey",
    "Share",
    "SzaboHubermanBaseline",
    "cascade_features",
    "doubling_score",
    "evaluate_spread",
    "feature_matrix",
    "first_shares",
    "observe",
    "read_cascades",
    "rmsle",
    "size_scores",
]
