"""Predict the sign and weight of an edge ``u -> v`` from the other edges of a signed graph.

Three predictors share one feature builder:

- :class:`FairnessGoodnessBaseline`: ``fairness(u) * goodness(v)`` (Kumar et al., ICDM 2016);
- :class:`DegreeBaseline`: Leskovec, Huttenlocher and Kleinberg's degree features (WWW 2010)
  with logistic regression for the sign and ridge regression for the weight;
- :class:`SignedEdgeModel`: gradient boosting on both endpoints' fairness, goodness, signed
  degrees and mean ratings, the reverse edge, and the 16 signed triad counts.

Features of an edge never come from the edge itself: the rows a model learns from get their
features out of fold (from the other folds' edges), the edges to predict from all of them.
"""

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]
from sklearn.ensemble import (  # type: ignore[import-untyped]
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.linear_model import LogisticRegression, Ridge  # type: ignore[import-untyped]
from sklearn.pipeline import make_pipeline  # type: ignore[import-untyped]
from sklearn.preprocessing import StandardScaler  # type: ignore[import-untyped]

from cluetrain_analytics.reputation.fairness import (
    FloatArray,
    IntArray,
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
    "out_of_fold_features",
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

# Ratings near the edge's own time: a node exposed as a scammer collects negative ratings in a
# burst, and a rater's mood runs in spells. (side, direction, window in days)
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
    "v_in_next_weight",
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


def _node_stats(context: SignedEdges, n_nodes: int) -> FloatArray:
    """Per-node statistics of ``context`` as an ``(n_nodes, len(_NODE_STATS))`` array."""
    positive = (context.weight > 0).astype(np.float64)
    negative = (context.weight < 0).astype(np.float64)

    def count(nodes: IntArray, weights: FloatArray | None = None) -> FloatArray:
        return np.bincount(nodes, weights=weights, minlength=n_nodes).astype(np.float64)

    out_count, in_count = count(context.source), count(context.target)
    out_sum = count(context.source, context.weight)
    in_sum = count(context.target, context.weight)
    fairness, goodness = fairness_goodness(context, n_nodes)
    nan = np.full(n_nodes, np.nan)
    return np.column_stack(
        [
            out_count,
            count(context.source, positive),
            count(context.source, negative),
            np.divide(out_sum, out_count, out=nan.copy(), where=out_count > 0),
            in_count,
            count(context.target, positive),
            count(context.target, negative),
            np.divide(in_sum, in_count, out=nan.copy(), where=in_count > 0),
            np.where(out_count > 0, fairness, np.nan),
            np.where(in_count > 0, goodness, np.nan),
        ]
    )


def _row_dot(left: sp.csr_matrix, right: sp.csr_matrix, u: IntArray, v: IntArray) -> FloatArray:
    """``sum_w left[u, w] * right[v, w]`` for each query pair, without the full product."""
    return np.asarray(left[u].multiply(right[v]).sum(axis=1), dtype=np.float64).ravel()


def edge_features(context: SignedEdges, queries: SignedEdges, n_nodes: int) -> FloatArray:
    """Features (:data:`FEATURE_NAMES`) of each query edge, computed from ``context`` only."""
    stats = _node_stats(context, n_nodes)
    u, v = queries.source, queries.target
    shape = (n_nodes, n_nodes)

    def adjacency(mask: np.ndarray, values: FloatArray | None = None) -> sp.csr_matrix:
        data = np.ones(int(mask.sum())) if values is None else values[mask]
        matrix = sp.csr_matrix((data, (context.source[mask], context.target[mask])), shape=shape)
        matrix.sum_duplicates()
        return matrix

    out_pos = adjacency(context.weight > 0)
    out_neg = adjacency(context.weight < 0)
    # relation[name][a, w]: a relates to w that way; for the second leg we need relation of w
    # to v seen from v's row, i.e. the inverse relation indexed [v, w].
    relation = {
        "out_pos": out_pos,
        "out_neg": out_neg,
        "in_pos": out_pos.T.tocsr(),
        "in_neg": out_neg.T.tocsr(),
    }
    inverse = {"out_pos": "in_pos", "out_neg": "in_neg", "in_pos": "out_pos", "in_neg": "out_neg"}
    triads = [
        _row_dot(relation[first], relation[inverse[second]], u, v)
        for first in _RELATIONS
        for second in _RELATIONS
    ]
    signed = adjacency(np.ones(len(context), dtype=bool), context.weight)
    undirected = ((out_pos + out_neg + relation["in_pos"] + relation["in_neg"]) > 0).astype(
        np.float64
    )
    common = _row_dot(undirected, undirected, u, v)
    path_sum = _row_dot(signed, signed.T.tocsr(), u, v)
    path_count = _row_dot((signed != 0).astype(np.float64), (signed.T != 0).tocsr(), u, v)
    reverse = np.asarray(signed[v, u], dtype=np.float64).ravel()
    reverse_exists = np.asarray(
        ((out_pos + out_neg) > 0).astype(np.float64)[v, u], dtype=np.float64
    ).ravel()
    return np.column_stack(
        [
            stats[u],
            stats[v],
            reverse_exists,
            np.where(reverse_exists > 0, reverse, np.nan),
            common,
            path_sum,
            np.divide(path_sum, path_count, out=np.full(len(u), np.nan), where=path_count > 0),
            *triads,
            _time_features(context, queries, n_nodes),
        ]
    )


def _time_features(context: SignedEdges, queries: SignedEdges, n_nodes: int) -> FloatArray:
    """The :data:`_TIME_FEATURES` of each query edge (ratings around its time)."""
    columns: list[FloatArray] = []
    span = float(max(context.time.max(initial=0.0), queries.time.max(initial=0.0))) + 1.0
    sorted_by: dict[str, tuple[FloatArray, FloatArray, FloatArray, FloatArray]] = {}
    for direction, nodes in (("in", context.target), ("out", context.source)):
        key = nodes * span + context.time
        order = np.argsort(key, kind="stable")
        weights = context.weight[order]
        sorted_by[direction] = (
            key[order],
            weights,
            np.concatenate([[0.0], np.cumsum(weights)]),
            np.concatenate([[0.0], np.cumsum(weights < 0)]),
        )
    for side, direction, days in _WINDOWS:
        nodes = queries.target if side == "v" else queries.source
        keys, _, weight_sums, negative_sums = sorted_by[direction]
        centre = nodes * span + queries.time
        low = np.searchsorted(keys, centre - days * _DAY, side="left")
        high = np.searchsorted(keys, centre + days * _DAY, side="right")
        count = (high - low).astype(np.float64)
        total = weight_sums[high] - weight_sums[low]
        columns += [
            count,
            np.divide(total, count, out=np.full(len(count), np.nan), where=count > 0),
            negative_sums[high] - negative_sums[low],
        ]
    keys, weights, _, _ = sorted_by["in"]
    centre = queries.target * span + queries.time
    before = np.searchsorted(keys, centre, side="left") - 1
    after = np.searchsorted(keys, centre, side="right")
    own_node = queries.target * span
    has_before = (before >= 0) & (keys[np.clip(before, 0, None)] >= own_node)
    safe_after = np.clip(after, 0, len(keys) - 1)
    has_after = (after < len(keys)) & (keys[safe_after] < own_node + span)
    columns += [
        np.where(has_before, weights[np.clip(before, 0, None)], np.nan),
        np.where(has_after, weights[safe_after], np.nan),
    ]
    first_time = np.full(n_nodes, np.inf)
    np.minimum.at(first_time, context.source, context.time)
    np.minimum.at(first_time, context.target, context.time)
    for nodes in (queries.source, queries.target):
        first = first_time[nodes]
        columns.append(np.where(np.isfinite(first), (queries.time - first) / _DAY, np.nan))
    return np.column_stack(columns)


def out_of_fold_features(
    train: SignedEdges, n_nodes: int, *, folds: int = 10, seed: int = 0
) -> FloatArray:
    """Features of every train edge, each computed from the edges of the other folds."""
    rng = np.random.default_rng(seed)
    assignment = rng.integers(0, folds, size=len(train))
    features = np.empty((len(train), len(FEATURE_NAMES)))
    for fold in range(folds):
        held = assignment == fold
        if held.any():
            features[held] = edge_features(train.take(~held), train.take(held), n_nodes)
    return features


@dataclass(frozen=True)
class EdgePredictions:
    """Scores of a predictor: probability (or score) that each edge is positive, and its weight."""

    sign_score: FloatArray
    weight: FloatArray


class EdgePredictor(Protocol):
    """Learns from out-of-fold features of train edges, predicts from features of new ones."""

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
