"""How far will a cascade go? A learned forecaster and the Szabo-Huberman baseline.

>>> from cluetrain_analytics.spread.cascades import Cascade, observe
>>> train = [
...     Cascade.from_shares("r", [("r", f"u{i}", float(i * step)) for i in range(size)])
...     for size, step in [(40, 1), (80, 1), (60, 3), (120, 2), (30, 5), (90, 1)] * 5
... ]
>>> model = CascadeForecaster(observe_minutes=30, doubling_ks=(10,)).fit(train)
>>> sizes = model.predict_final_size([observe(train[0], 30)])
>>> sizes.shape, bool(sizes[0] >= 30)
((1,), True)
"""

from collections.abc import Sequence
from math import log1p
from typing import Any, Self

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator  # type: ignore[import-untyped]
from sklearn.ensemble import (  # type: ignore[import-untyped]
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)

from cluetrain_analytics.spread.cascades import Cascade, first_shares, observe
from cluetrain_analytics.spread.features import feature_matrix

__all__ = ["CascadeForecaster", "SzaboHubermanBaseline"]

FloatArray = npt.NDArray[np.float64]


def _final_sizes(cascades: Sequence[Cascade]) -> FloatArray:
    return np.asarray([cascade.size for cascade in cascades], dtype=np.float64)


def _check_cascades(cascades: Sequence[Cascade]) -> None:
    if len(cascades) == 0:
        raise ValueError("no cascades to fit on")


def _doubling_view(cascades: Sequence[Cascade], k: int) -> tuple[list[Cascade], list[float]]:
    """Each cascade cut at its first ``k`` shares, and its age then (the k-th share's delay)."""
    cut = [first_shares(cascade, k) for cascade in cascades]
    ages = [cascade.shares[-1].delay_min if cascade.shares else 0.0 for cascade in cut]
    return cut, ages


class CascadeForecaster(BaseEstimator):  # type: ignore[misc]
    """Gradient-boosted forecasts of a cascade's final size and of its doubling.

    Parameters
    ----------
    observe_minutes : float
        The age at which :meth:`predict_final_size` sees cascades: fit learns from every training
        cascade cut at this age, so predict must be given cascades watched for as long.
    doubling_ks : tuple of int
        The ``k`` for which :meth:`predict_doubling` answers "given the first k shares, will it
        reach 2k?"; one classifier each.
    size_max_iter, doubling_max_iter : int
        Boosting rounds of the size model and of each doubling classifier.
    learning_rate, max_leaf_nodes, min_samples_leaf, l2_regularization
        Passed to scikit-learn's histogram gradient boosting, for both tasks. The defaults were
        chosen by 5-fold cross-validation on training cascades only (docs/spread.md).
    random_state : int
        Seed of the boosting.

    Attributes
    ----------
    size_model_ : HistGradientBoostingRegressor
        Predicts ``log(1 + final) - log(1 + observed)``: the growth still to come.
    doubling_models_ : dict
        ``k`` to a fitted classifier, or to a float where every training cascade with ``k``
        shares answered the same (that answer's probability).
    """

    def __init__(
        self,
        observe_minutes: float = 60.0,
        doubling_ks: tuple[int, ...] = (5, 10, 20),
        *,
        size_max_iter: int = 300,
        doubling_max_iter: int = 100,
        learning_rate: float = 0.03,
        max_leaf_nodes: int = 15,
        min_samples_leaf: int = 20,
        l2_regularization: float = 1.0,
        random_state: int = 0,
    ) -> None:
        self.observe_minutes = observe_minutes
        self.doubling_ks = doubling_ks
        self.size_max_iter = size_max_iter
        self.doubling_max_iter = doubling_max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.random_state = random_state

    def _boosting_params(self, max_iter: int) -> dict[str, Any]:
        return {
            "max_iter": max_iter,
            "learning_rate": self.learning_rate,
            "max_leaf_nodes": self.max_leaf_nodes,
            "min_samples_leaf": self.min_samples_leaf,
            "l2_regularization": self.l2_regularization,
            "early_stopping": False,
            "random_state": self.random_state,
        }

    def fit(self, cascades: Sequence[Cascade]) -> Self:
        """Learn from complete cascades: their final sizes are the truth."""
        _check_cascades(cascades)
        if self.observe_minutes < 0:
            raise ValueError(f"observe_minutes must not be negative, got {self.observe_minutes}")
        if any(k < 1 for k in self.doubling_ks):
            raise ValueError(f"every k of doubling_ks must be at least 1, got {self.doubling_ks}")
        final = _final_sizes(cascades)
        early = [observe(cascade, self.observe_minutes) for cascade in cascades]
        X = feature_matrix(early, [self.observe_minutes] * len(early))
        growth = np.log1p(final) - np.log1p(_final_sizes(early))
        self.size_model_ = HistGradientBoostingRegressor(
            **self._boosting_params(self.size_max_iter)
        ).fit(X, growth)
        self.doubling_models_: dict[int, HistGradientBoostingClassifier | float] = {}
        for k in self.doubling_ks:
            eligible = [cascade for cascade in cascades if cascade.size >= k]
            if not eligible:
                raise ValueError(f"no training cascade has {k} shares: cannot learn doubling")
            doubled = _final_sizes(eligible) >= 2 * k
            if doubled.all() or not doubled.any():
                self.doubling_models_[k] = float(doubled[0])
                continue
            cut, ages = _doubling_view(eligible, k)
            classifier = HistGradientBoostingClassifier(
                **self._boosting_params(self.doubling_max_iter)
            )
            self.doubling_models_[k] = classifier.fit(feature_matrix(cut, ages), doubled)
        return self

    def predict_final_size(self, observed: Sequence[Cascade]) -> FloatArray:
        """Forecast final sizes of cascades watched for ``observe_minutes``.

        Later shares, if any, are ignored. A forecast is never below the shares already seen.
        """
        early = [observe(cascade, self.observe_minutes) for cascade in observed]
        if not early:
            return np.zeros(0)
        X = feature_matrix(early, [self.observe_minutes] * len(early))
        seen = _final_sizes(early)
        growth = np.maximum(self.size_model_.predict(X), 0.0)
        return np.asarray(np.expm1(np.log1p(seen) + growth), dtype=np.float64)

    def predict_doubling(self, observed: Sequence[Cascade], k: int) -> FloatArray:
        """P(the cascade reaches ``2 * k`` shares), from its first ``k`` shares only."""
        if k not in getattr(self, "doubling_models_", {}):
            raise ValueError(f"k={k} was not among doubling_ks when fitting")
        model = self.doubling_models_[k]
        if isinstance(model, float):
            return np.full(len(observed), model)
        if not observed:
            return np.zeros(0)
        cut, ages = _doubling_view(observed, k)
        return np.asarray(model.predict_proba(feature_matrix(cut, ages))[:, 1], dtype=np.float64)


class SzaboHubermanBaseline:
    """Szabo & Huberman (2010): log final size is linear in log early size.

    Fitted by least squares on ``log(1 + size)`` at ``observe_minutes``. For doubling, every
    cascade is seen at exactly ``k`` shares, so the baseline forecasts the same size for all of
    them: the mean log final size of the training cascades that reached ``k``.

    Examples
    --------
    Cascades that had ``n`` shares in their first minute and ``4 n`` in the end:

    >>> train = [
    ...     Cascade.from_shares("r", [("r", f"u{i}", 1.0 if i < n else 99.0) for i in range(4 * n)])
    ...     for n in (5, 10, 20)
    ... ]
    >>> baseline = SzaboHubermanBaseline(observe_minutes=10).fit(train)
    >>> [round(size) for size in baseline.predict_final_size(train)], round(baseline.slope_, 2)
    ([20, 40, 80], 1.08)
    """

    def __init__(self, observe_minutes: float = 60.0) -> None:
        self.observe_minutes = observe_minutes

    def fit(self, cascades: Sequence[Cascade]) -> Self:
        """Fit ``log(1 + final) = intercept + slope * log(1 + early)``."""
        _check_cascades(cascades)
        x = np.log1p(_final_sizes([observe(c, self.observe_minutes) for c in cascades]))
        y = np.log1p(_final_sizes(cascades))
        self.log_final_ = y
        if np.ptp(x) == 0:
            # Every cascade had the same early size: the fit degenerates to the mean.
            self.slope_, self.intercept_ = 0.0, float(y.mean())
        else:
            slope, intercept = np.polyfit(x, y, 1)
            self.slope_, self.intercept_ = float(slope), float(intercept)
        return self

    def predict_final_size(self, observed: Sequence[Cascade]) -> FloatArray:
        """Forecast final sizes from the early sizes at ``observe_minutes``."""
        x = np.log1p(_final_sizes([observe(c, self.observe_minutes) for c in observed]))
        return np.asarray(np.expm1(self.intercept_ + self.slope_ * x), dtype=np.float64)

    def doubling_log_size(self, k: int) -> float:
        """The forecast ``log(1 + final)`` of any cascade seen at its first ``k`` shares."""
        reached = self.log_final_[self.log_final_ >= log1p(k)]
        if reached.size == 0:
            raise ValueError(f"no training cascade has {k} shares")
        return float(reached.mean())

    def predict_doubling(self, observed: Sequence[Cascade], k: int) -> FloatArray:
        """A score per cascade (the same for all): 1 if the forecast size is at least ``2 * k``."""
        doubles = self.doubling_log_size(k) >= log1p(2 * k)
        return np.full(len(observed), float(doubles))
