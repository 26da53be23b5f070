"""Early-cascade features in the spirit of Cheng et al. (WWW 2014): timing, structure, users.

One row per observed cascade, all from what was visible at ``age_min`` minutes after the root.
Counts and times enter on a log scale, so the same model serves small and large cascades.
"""

from collections.abc import Sequence
from math import log, log1p
from statistics import median

import numpy as np
import numpy.typing as npt

from cluetrain_analytics.spread.cascades import Cascade

__all__ = ["FEATURE_NAMES", "cascade_features", "feature_matrix"]

#: Fractions of the observed age at which the cumulative count is taken (the velocity profile).
_PROFILE = (0.125, 0.25, 0.5, 0.75)

FEATURE_NAMES: tuple[str, ...] = (
    "log_shares",
    "log_age",
    *(f"log_shares_at_{fraction:g}_age" for fraction in _PROFILE),
    "log_first_delay",
    "log_median_delay",
    "log_last_delay",
    "log_silence",
    "log_gap_ratio_late_early",
    "log_shares_in_last_quarter",
    "log_shares_in_last_tenth",
    "log_growth_second_half",
    "max_depth",
    "mean_depth",
    "fraction_not_from_root",
    "fraction_from_root",
    "log_max_fan_out_below_root",
    "log_distinct_parents",
    "fraction_distinct_users",
    "fraction_parent_unseen",
)


def _gap_ratio(delays: Sequence[float]) -> float:
    """log(mean gap of the later half / mean gap of the earlier half): below 0 means speeding up."""
    if len(delays) < 4:
        return 0.0
    half = len(delays) // 2
    early = (delays[half] - delays[0]) / half
    late = (delays[-1] - delays[half]) / (len(delays) - 1 - half)
    return log((late + 0.01) / (early + 0.01))


def cascade_features(cascade: Cascade, age_min: float) -> list[float]:
    """The feature row of a cascade observed ``age_min`` minutes after its root.

    Parameters
    ----------
    cascade : Cascade
        Only its shares with ``delay_min <= age_min`` should be present (the caller observes).
    age_min : float
        How long the cascade has been watched, in minutes, not negative.

    Returns
    -------
    list of float
        In the order of :data:`FEATURE_NAMES`.

    Examples
    --------
    >>> cascade = Cascade.from_shares("r", [("r", "a", 1.0), ("a", "b", 3.0), ("r", "c", 4.0)])
    >>> row = dict(zip(FEATURE_NAMES, cascade_features(cascade, 4.0)))
    >>> row["max_depth"], round(row["fraction_from_root"], 3)
    (2.0, 0.667)
    """
    if age_min < 0:
        raise ValueError(f"age_min must not be negative, got {age_min}")
    shares = cascade.shares
    count = len(shares)
    delays = [share.delay_min for share in shares]
    profile = [
        log1p(sum(1 for delay in delays if delay <= fraction * age_min)) for fraction in _PROFILE
    ]
    recent = [
        log1p(sum(1 for delay in delays if delay > fraction * age_min)) for fraction in (0.75, 0.9)
    ]
    if count == 0:
        # Nothing seen yet: only the age (and so the silence) is known.
        empty = dict.fromkeys(FEATURE_NAMES, 0.0)
        empty["log_age"] = empty["log_silence"] = log1p(age_min)
        return list(empty.values())
    depth: dict[str, int] = {cascade.root: 0}
    fan_out: dict[str, int] = {}
    unseen = 0
    for share in shares:
        if share.parent not in depth:
            unseen += 1
        # A parent not seen yet (missing, or timed after its child) is taken to be one level down.
        depth[share.child] = depth.get(share.parent, 1) + 1
        fan_out[share.parent] = fan_out.get(share.parent, 0) + 1
    depths = [depth[share.child] for share in shares]
    from_root = fan_out.get(cascade.root, 0)
    below_root = [value for parent, value in fan_out.items() if parent != cascade.root]
    users = {share.user or share.child for share in shares}
    return [
        log1p(count),
        log1p(age_min),
        *profile,
        log1p(delays[0]),
        log1p(median(delays)),
        log1p(delays[-1]),
        log1p(max(age_min - delays[-1], 0.0)),
        _gap_ratio(delays),
        *recent,
        # Growth over the second half of the window: trees cannot subtract two features.
        log1p(count) - profile[2],
        float(max(depths)),
        sum(depths) / count,
        (count - from_root) / count,
        from_root / count,
        log1p(max(below_root, default=0)),
        log1p(len(fan_out)),
        len(users) / count,
        unseen / count,
    ]


def feature_matrix(
    cascades: Sequence[Cascade], ages_min: Sequence[float]
) -> npt.NDArray[np.float64]:
    """Stack :func:`cascade_features` rows: one cascade and its age per row."""
    if len(cascades) != len(ages_min):
        raise ValueError("cascades and ages_min must have the same length")
    rows = [cascade_features(cascade, age) for cascade, age in zip(cascades, ages_min, strict=True)]
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURE_NAMES))
