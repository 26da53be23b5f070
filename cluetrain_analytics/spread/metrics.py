"""Scores of spread forecasts: size (Spearman, RMSLE) and doubling (accuracy, AUC)."""

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

import numpy as np
import numpy.typing as npt
from scipy.stats import spearmanr  # type: ignore[import-untyped]
from sklearn.metrics import roc_auc_score  # type: ignore[import-untyped]

from cluetrain_analytics.spread.cascades import Cascade, CascadeKey, first_shares, observe
from cluetrain_analytics.spread.forecast import CascadeForecaster, SzaboHubermanBaseline

__all__ = [
    "DOUBLING_KS",
    "DoublingScore",
    "doubling_score",
    "evaluate_spread",
    "rmsle",
    "size_scores",
]

#: The k of the doubling question that the evaluation reports (Cheng et al. 2014).
DOUBLING_KS = (5, 10, 20)

ArrayLike = Sequence[float] | npt.NDArray[np.float64]


class DoublingScore(TypedDict):
    """How well "given the first k shares, will it reach 2k?" was answered."""

    n: int
    #: Share of cascades whose answer (probability at least 0.5) was right; None when n is 0.
    accuracy: float | None
    #: None when the truth has a single class: AUC is undefined then.
    auc: float | None
    #: Share of the n cascades that did reach 2k (an extra key).
    base_rate: float | None


def rmsle(predicted: ArrayLike, true: ArrayLike) -> float:
    """Root mean squared error of ``log(1 + size)``.

    Examples
    --------
    >>> round(rmsle([0.0, 99.0], [0.0, 9.0]), 4)
    1.6282
    """
    predicted_log = np.log1p(np.asarray(predicted, dtype=np.float64))
    true_log = np.log1p(np.asarray(true, dtype=np.float64))
    return float(np.sqrt(np.mean((predicted_log - true_log) ** 2)))


def size_scores(predicted: ArrayLike, true: ArrayLike) -> dict[str, float | None]:
    """``{"spearman", "rmsle"}`` of forecast against final sizes (Spearman None if undefined)."""
    predicted_array = np.asarray(predicted, dtype=np.float64)
    true_array = np.asarray(true, dtype=np.float64)
    spearman: float | None = None
    if len(true_array) > 1 and np.ptp(true_array) > 0 and np.ptp(predicted_array) > 0:
        spearman = round(float(spearmanr(predicted_array, true_array).statistic), 4)
    return {"spearman": spearman, "rmsle": round(rmsle(predicted_array, true_array), 4)}


def doubling_score(probability: ArrayLike, doubled: Sequence[bool]) -> DoublingScore:
    """Accuracy at 0.5 and ROC AUC of doubling probabilities against what happened.

    Examples
    --------
    >>> doubling_score([0.9, 0.2, 0.6], [True, False, False])
    {'n': 3, 'accuracy': 0.6667, 'auc': 1.0, 'base_rate': 0.3333}
    """
    scores = np.asarray(probability, dtype=np.float64)
    truth = np.asarray(doubled, dtype=bool)
    if truth.size == 0:
        return {"n": 0, "accuracy": None, "auc": None, "base_rate": None}
    accuracy = float(np.mean((scores >= 0.5) == truth))
    auc = None
    if truth.any() and not truth.all():
        auc = round(float(roc_auc_score(truth, scores)), 4)
    return {
        "n": int(truth.size),
        "accuracy": round(accuracy, 4),
        "auc": auc,
        "base_rate": round(float(truth.mean()), 4),
    }


def _scores(
    model: CascadeForecaster | SzaboHubermanBaseline,
    test: Sequence[Cascade],
    observe_minutes: float,
    ks: Sequence[int],
    fitted_ks: Sequence[int],
) -> dict[str, Any]:
    final = [cascade.size for cascade in test]
    early = [observe(cascade, observe_minutes) for cascade in test]
    result: dict[str, Any] = size_scores(model.predict_final_size(early), final)
    result["doubling"] = {}
    for k in ks:
        eligible = [cascade for cascade in test if cascade.size >= k]
        cut = [first_shares(cascade, k) for cascade in eligible]
        doubled = [cascade.size >= 2 * k for cascade in eligible]
        if k not in fitted_ks:
            # No training cascade reached k: there is nothing to answer with.
            result["doubling"][str(k)] = {
                **doubling_score(np.zeros(len(doubled)), doubled),
                "accuracy": None,
                "auc": None,
            }
            continue
        probability = model.predict_doubling(cut, k) if cut else np.zeros(0)
        result["doubling"][str(k)] = doubling_score(probability, doubled)
    return result


def evaluate_spread(
    train: Mapping[CascadeKey, Cascade],
    test: Mapping[CascadeKey, Cascade],
    *,
    observe_minutes: float,
    ks: Sequence[int] = DOUBLING_KS,
    extra_ks: Sequence[int] = (),
    forecaster: CascadeForecaster | None = None,
) -> dict[str, Any]:
    """Fit on ``train``, score on ``test`` seen for ``observe_minutes``, beside Szabo-Huberman.

    Returns the keys of ``cluetrain eval spread``: ``n``, ``spearman``, ``rmsle``, ``doubling``
    (keyed by ``str(k)``), ``baseline`` with the same keys, and, when ``extra_ks`` is given,
    ``doubling_extra`` (in both) for those larger ``k``.
    """
    if not train:
        raise ValueError("the train set has no cascades")
    if not test:
        raise ValueError("the test set has no cascades")
    all_ks = tuple(dict.fromkeys([*ks, *extra_ks]))
    train_cascades = list(train.values())
    test_cascades = list(test.values())
    largest = max(cascade.size for cascade in train_cascades)
    fitted_ks = tuple(k for k in all_ks if k <= largest)
    model = forecaster if forecaster is not None else CascadeForecaster()
    model.set_params(observe_minutes=observe_minutes, doubling_ks=fitted_ks)
    model.fit(train_cascades)
    baseline = SzaboHubermanBaseline(observe_minutes=observe_minutes).fit(train_cascades)
    result: dict[str, Any] = {"n": len(test_cascades), "observe_minutes": observe_minutes}
    for name, fitted in (("model", model), ("baseline", baseline)):
        scores = _scores(fitted, test_cascades, observe_minutes, all_ks, fitted_ks)
        doubling = scores.pop("doubling")
        scores["doubling"] = {str(k): doubling[str(k)] for k in ks}
        if extra_ks:
            scores["doubling_extra"] = {str(k): doubling[str(k)] for k in extra_ks}
        if name == "model":
            result.update(scores)
        else:
            result["baseline"] = scores
    return result
