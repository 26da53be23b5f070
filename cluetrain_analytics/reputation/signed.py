"""Predict the sign and weight of an edge ``u -> v`` from the other edges of a signed graph.

Three predictors share one feature builder:

- :class:`FairnessGoodnessBaseline`: ``fairness(u) * goodness(v)`` (Kumar et al., ICDM 2016);
- :class:`DegreeBaseline`: Leskovec, Huttenlocher and Kleinberg's degree features (WWW 2010)
  with logistic regression for the sign and ridge regression for the weight;
- :class:`SignedEdgeModel`: gradient boosting on both endpoints' fairness, goodness, signed
  degrees and mean ratings, the reverse edge, and the 16 signed triad counts.

Features of an edge u -> v at time t come only from the edges strictly before t, for the rows
a model learns from and the edges it predicts alike: never from the edge itself nor from a later
one (what the platform knows when a new rating arrives).
"""

from bisect import bisect_left
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from sklearn.ensemble import (  # type: ignore[import-untyped]
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.linear_model import LogisticRegression, Ridge  # type: ignore[import-untyped]
from sklearn.pipeline import make_pipeline  # type: ignore[import-untyped]
from sklearn.preprocessing import StandardScaler  # type: ignore[import-untyped]

from cluetrain_analytics.reputation.fairness import (
    FloatArray,
    SignedEdges,
    fairness_goodness,
)

__all__ = [
    "FEATURE_NAMES",
    "DegreeBaseline",
    "EdgePredictions",
    "FairnessGoodnessBaseline",
    "SignedEdgeModel",
    "edge_features",
]

_NODE_STATS = (
    "out_count",
    "out_positive",
    "out_negative",
    "out_mean",
    "in_count",
    "in_positive",
    "in_negative",
    "in_mean",
    "fairness",
    "goodness",
)
# The 16 triad types: how u relates to the middle node w (u->w or w->u, + or -), times how w
# relates to v (w->v or v->w, + or -).
_RELATIONS = ("out_pos", "out_neg", "in_pos", "in_neg")
_TRIADS = tuple(f"triad_{first}_{second}" for first in _RELATIONS for second in _RELATIONS)

# Ratings in the days before the edge: a node exposed as a scammer collects negative ratings in
# a burst, and a rater's mood runs in spells. (side, direction, window in days)
_WINDOWS = (
    ("v", "in", 7),
    ("v", "in", 90),
    ("u", "out", 7),
    ("u", "out", 90),
    ("u", "in", 30),
    ("v", "out", 30),
)
_TIME_FEATURES = (
    *(
        f"{side}_{direction}_{days}d_{what}"
        for side, direction, days in _WINDOWS
        for what in ("count", "mean", "negative")
    ),
    "v_in_previous_weight",
    "u_days_since_first",
    "v_days_since_first",
)
_DAY = 86400.0

FEATURE_NAMES: tuple[str, ...] = (
    *(f"u_{name}" for name in _NODE_STATS),
    *(f"v_{name}" for name in _NODE_STATS),
    "reverse_exists",
    "reverse_weight",
    "common_neighbours",
    "path_weight_sum",
    "path_weight_mean",
    *_TRIADS,
    *_TIME_FEATURES,
)
_INDEX = {name: position for position, name in enumerate(FEATURE_NAMES)}


def edge_features(
    context: SignedEdges, queries: SignedEdges, n_nodes: int, *, fairness_period_days: float = 7.0
) -> FloatArray:
    """Features (:data:`FEATURE_NAMES`) of each query edge from the context edges strictly
    before it in time.

    An edge u -> v at time t sees only the context edges with a time < t: never itself, never
    an edge of the same time, never a later one, which is what the platform knows when a new
    rating arrives. The train rows of a model are ``edge_features(train, train, n)``, the
    edges to predict ``edge_features(train, test, n)``: the same rule for both. Edges without
    a time (all 0) therefore see nothing: this predictor needs timed edges.

    Counts, means, windows, the reverse edge, paths and triads are exact as of t. Fairness and
    goodness are a global fixed point, so they are computed once per period
    (``fairness_period_days``, counted from time 0) from the edges before the period starts:
    an edge reads those of the start of its period, up to a week old by default.
    """
    history = _History(context, n_nodes, fairness_period_days)
    features = np.empty((len(queries), len(FEATURE_NAMES)))
    # Queries and context edges in time order; at equal times the queries come first, so an
    # edge never sees one of its own time.
    kind = np.concatenate([np.zeros(len(queries)), np.ones(len(context))])
    times = np.concatenate([queries.time, context.time])
    rows = np.concatenate([np.arange(len(queries)), np.arange(len(context))])
    for event in np.lexsort((kind, times)):
        row = int(rows[event])
        if kind[event]:
            history.add(row)
        else:
            features[row] = history.features(
                int(queries.source[row]), int(queries.target[row]), float(queries.time[row])
            )
    return features


class _Ratings:
    """The ratings one node gave (or received) so far, in time order, with running sums."""

    __slots__ = ("negative_sums", "positive", "times", "weight_sums", "weights")

    def __init__(self) -> None:
        self.times: list[float] = []
        self.weights: list[float] = []
        self.weight_sums = [0.0]
        self.negative_sums = [0]
        self.positive = 0

    def add(self, time: float, weight: float) -> None:
        self.times.append(time)
        self.weights.append(weight)
        self.weight_sums.append(self.weight_sums[-1] + weight)
        self.negative_sums.append(self.negative_sums[-1] + (weight < 0))
        self.positive += weight > 0

    def counts(self) -> list[float]:
        """count, positive, negative, mean."""
        count = len(self.times)
        return [
            count,
            self.positive,
            self.negative_sums[-1],
            self.weight_sums[-1] / count if count else np.nan,
        ]

    def window(self, start: float) -> list[float]:
        """count, mean and negatives of the ratings since ``start``."""
        first = bisect_left(self.times, start)
        count = len(self.times) - first
        total = self.weight_sums[-1] - self.weight_sums[first]
        negative = self.negative_sums[-1] - self.negative_sums[first]
        return [count, total / count if count else np.nan, negative]


class _History:
    """The context edges added so far (in time order) and the features they give a new edge."""

    def __init__(self, context: SignedEdges, n_nodes: int, fairness_period_days: float) -> None:
        self.context = context
        self.n_nodes = n_nodes
        self.given = [_Ratings() for _ in range(n_nodes)]
        self.received = [_Ratings() for _ in range(n_nodes)]
        # out_edges[a][b] = [positive count, negative count, weight sum] of a -> b; in_edges
        # the same indexed [b][a]. Ratings of 0 count in the node statistics only, as before.
        self.out_edges: list[dict[int, list[float]]] = [{} for _ in range(n_nodes)]
        self.in_edges: list[dict[int, list[float]]] = [{} for _ in range(n_nodes)]
        self.neighbours: list[set[int]] = [set() for _ in range(n_nodes)]
        self.first_time = [np.inf] * n_nodes
        self.fairness_period = fairness_period_days * _DAY
        self.fairness_by_period: dict[int, tuple[FloatArray, FloatArray]] = {}

    def add(self, row: int) -> None:
        u, v = int(self.context.source[row]), int(self.context.target[row])
        weight, time = float(self.context.weight[row]), float(self.context.time[row])
        self.given[u].add(time, weight)
        self.received[v].add(time, weight)
        self.first_time[u] = min(self.first_time[u], time)
        self.first_time[v] = min(self.first_time[v], time)
        if weight != 0:
            sign = 0 if weight > 0 else 1
            for table, key, other in ((self.out_edges, u, v), (self.in_edges, v, u)):
                cell = table[key].setdefault(other, [0.0, 0.0, 0.0])
                cell[sign] += 1
                cell[2] += weight
            self.neighbours[u].add(v)
            self.neighbours[v].add(u)

    def _fairness_goodness(self, time: float) -> tuple[FloatArray, FloatArray]:
        """Fairness and goodness from the context edges before the start of ``time``'s period
        (NaN for a node that had not rated, or not been rated, by then)."""
        period = int(time // self.fairness_period)
        if period not in self.fairness_by_period:
            seen = self.context.take(self.context.time < period * self.fairness_period)
            fairness, goodness = fairness_goodness(seen, self.n_nodes)
            rates = np.bincount(seen.source, minlength=self.n_nodes) > 0
            rated = np.bincount(seen.target, minlength=self.n_nodes) > 0
            self.fairness_by_period[period] = (
                np.where(rates, fairness, np.nan),
                np.where(rated, goodness, np.nan),
            )
        return self.fairness_by_period[period]

    def _relations(self, a: int, w: int) -> tuple[float, float, float, float]:
        """How a relates to w: out_pos, out_neg, in_pos, in_neg (edge counts)."""
        out = self.out_edges[a].get(w)
        into = self.in_edges[a].get(w)
        return (
            out[0] if out else 0.0,
            out[1] if out else 0.0,
            into[0] if into else 0.0,
            into[1] if into else 0.0,
        )

    def _pair(self, u: int, v: int) -> list[float]:
        """reverse_exists, reverse_weight, common_neighbours, path sum and mean, the triads."""
        reverse = self.out_edges[v].get(u)
        triads = np.zeros((4, 4))
        common = 0
        path_sum, path_count = 0.0, 0
        smaller, larger = sorted((self.neighbours[u], self.neighbours[v]), key=len)
        for w in smaller:
            if w not in larger:
                continue
            common += 1
            # How w relates to v, seen as the triad's second leg: out_* is w -> v, in_* v -> w.
            v_out_pos, v_out_neg, v_in_pos, v_in_neg = self._relations(v, w)
            triads += np.outer(self._relations(u, w), (v_in_pos, v_in_neg, v_out_pos, v_out_neg))
            first, second = self.out_edges[u].get(w), self.in_edges[v].get(w)
            if first and second:
                path_sum += first[2] * second[2]
                path_count += 1
        return [
            1.0 if reverse else 0.0,
            reverse[2] if reverse else np.nan,
            common,
            path_sum,
            path_sum / path_count if path_count else np.nan,
            *triads.ravel(),
        ]

    def features(self, u: int, v: int, time: float) -> list[float]:
        fairness, goodness = self._fairness_goodness(time)
        sides = {"u": u, "v": v}
        ratings = {"out": self.given, "in": self.received}
        windows = [
            value
            for side, direction, days in _WINDOWS
            for value in ratings[direction][sides[side]].window(time - days * _DAY)
        ]
        previous = self.received[v].weights
        return [
            *self.given[u].counts(),
            *self.received[u].counts(),
            fairness[u],
            goodness[u],
            *self.given[v].counts(),
            *self.received[v].counts(),
            fairness[v],
            goodness[v],
            *self._pair(u, v),
            *windows,
            previous[-1] if previous else np.nan,
            (time - self.first_time[u]) / _DAY if self.first_time[u] < np.inf else np.nan,
            (time - self.first_time[v]) / _DAY if self.first_time[v] < np.inf else np.nan,
        ]


@dataclass(frozen=True)
class EdgePredictions:
    """Scores of a predictor: probability (or score) that each edge is positive, and its weight."""

    sign_score: FloatArray
    weight: FloatArray


class EdgePredictor(Protocol):
    """Learns from the features of train edges, predicts from features of new ones."""

    def fit(self, features: FloatArray, weight: FloatArray) -> "EdgePredictor": ...

    def predict(self, features: FloatArray) -> EdgePredictions: ...


class FairnessGoodnessBaseline:
    """``fairness(u) * goodness(v)`` as both the sign score and the weight (no learning)."""

    def fit(self, features: FloatArray, weight: FloatArray) -> "FairnessGoodnessBaseline":
        """Remember the mean fairness and goodness, used for nodes the train edges lack."""
        self.default_fairness = float(np.nanmean(features[:, _INDEX["u_fairness"]]))
        self.default_goodness = float(np.nanmean(features[:, _INDEX["v_goodness"]]))
        return self

    def predict(self, features: FloatArray) -> EdgePredictions:
        """Predicted weight ``f(u) g(v)`` (clipped to [-1, 1]) as both outputs."""
        fairness = np.nan_to_num(features[:, _INDEX["u_fairness"]], nan=self.default_fairness)
        goodness = np.nan_to_num(features[:, _INDEX["v_goodness"]], nan=self.default_goodness)
        product = np.clip(fairness * goodness, -1.0, 1.0)
        return EdgePredictions(product, product)


#: Leskovec et al.'s degree features: d+in(v), d-in(v), d+out(u), d-out(u), C(u, v), dout(u),
#: din(v).
_DEGREE_COLUMNS = [
    _INDEX[name]
    for name in (
        "v_in_positive",
        "v_in_negative",
        "u_out_positive",
        "u_out_negative",
        "common_neighbours",
        "u_out_count",
        "v_in_count",
    )
]


class DegreeBaseline:
    """Leskovec et al.'s degree features; logistic regression (sign) and ridge (weight)."""

    def __init__(self) -> None:
        self.sign_model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        self.weight_model = make_pipeline(StandardScaler(), Ridge(alpha=1.0))

    @staticmethod
    def _columns(features: FloatArray) -> FloatArray:
        return np.log1p(np.nan_to_num(features[:, _DEGREE_COLUMNS], nan=0.0))

    def fit(self, features: FloatArray, weight: FloatArray) -> "DegreeBaseline":
        """Fit both regressions on the degree columns (log(1 + count))."""
        columns = self._columns(features)
        self.sign_model.fit(columns, weight > 0)
        self.weight_model.fit(columns, weight)
        return self

    def predict(self, features: FloatArray) -> EdgePredictions:
        """Probability of a positive sign; weight clipped to [-1, 1]."""
        columns = self._columns(features)
        return EdgePredictions(
            self.sign_model.predict_proba(columns)[:, 1],
            np.clip(self.weight_model.predict(columns), -1.0, 1.0),
        )


class SignedEdgeModel:
    """Gradient boosting on every feature (:data:`FEATURE_NAMES`) for sign and weight."""

    def __init__(self, *, seed: int = 0, max_iter: int = 400) -> None:
        common = {
            "learning_rate": 0.05,
            "max_iter": max_iter,
            "max_leaf_nodes": 31,
            "min_samples_leaf": 40,
            "l2_regularization": 1.0,
            "random_state": seed,
        }
        self.sign_model = HistGradientBoostingClassifier(**common)
        self.weight_model = HistGradientBoostingRegressor(**common)

    def fit(self, features: FloatArray, weight: FloatArray) -> "SignedEdgeModel":
        """Fit the sign classifier and the weight regressor."""
        self.sign_model.fit(features, weight > 0)
        self.weight_model.fit(features, weight)
        return self

    def predict(self, features: FloatArray) -> EdgePredictions:
        """Probability of a positive sign; weight clipped to [-1, 1]."""
        return EdgePredictions(
            self.sign_model.predict_proba(features)[:, 1],
            np.clip(self.weight_model.predict(features), -1.0, 1.0),
        )
