"""Scores of the signed-edge predictors on held-out edges (``cluetrain eval signed``)."""

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy.stats import pearsonr  # type: ignore[import-untyped]
from sklearn.metrics import f1_score, roc_auc_score  # type: ignore[import-untyped]
from sklearn.model_selection import KFold  # type: ignore[import-untyped]

from cluetrain_analytics.reputation.fairness import FloatArray, SignedEdges
from cluetrain_analytics.reputation.ratings import (
    BiasModel,
    Ratings,
    SVDModel,
    TrustBlendModel,
    TrustEdges,
)
from cluetrain_analytics.reputation.signed import (
    DegreeBaseline,
    EdgePredictions,
    EdgePredictor,
    FairnessGoodnessBaseline,
    SignedEdgeModel,
    edge_features,
    out_of_fold_features,
)

__all__ = ["COLD_START_MAX_RATINGS", "evaluate_ratings", "evaluate_signed", "signed_scores"]


def _balanced_accuracy_threshold(score: FloatArray, positive: np.ndarray) -> float:
    """The threshold with the best mean of the two classes' recalls."""
    candidates = np.unique(np.quantile(score, np.linspace(0.005, 0.995, 199)))
    best, best_value = 0.5, -1.0
    for threshold in candidates:
        predicted = score >= threshold
        value = (predicted[positive].mean() + (~predicted[~positive]).mean()) / 2
        if value > best_value:
            best, best_value = float(threshold), float(value)
    return best


def _macro_f1_threshold(score: FloatArray, positive: np.ndarray) -> float:
    """The threshold with the best macro F1."""
    candidates = np.unique(np.quantile(score, np.linspace(0.005, 0.995, 199)))
    values = [f1_score(positive, score >= t, average="macro") for t in candidates]
    return float(candidates[int(np.argmax(values))])


def _cross_validated(
    make: Callable[[], EdgePredictor], features: FloatArray, weight: FloatArray, seed: int
) -> FloatArray:
    """Sign scores of the train rows from models that did not see them (to pick thresholds)."""
    scores = np.empty(len(weight))
    for fit_rows, held_rows in KFold(3, shuffle=True, random_state=seed).split(features):
        model = make().fit(features[fit_rows], weight[fit_rows])
        scores[held_rows] = model.predict(features[held_rows]).sign_score
    return scores


def signed_scores(
    predictions: EdgePredictions,
    truth: FloatArray,
    *,
    balanced_threshold: float,
    f1_threshold: float,
    balanced_rows: np.ndarray,
) -> dict[str, Any]:
    """``{"sign": {auc, accuracy_balanced, macro_f1}, "weight": {rmse, pearson}}``. Undefined
    figures are null: the sign figures when the test edges all have one sign, the correlation
    when the predicted or the true weights are all the same."""
    positive = truth > 0
    weight = {
        "rmse": round(float(np.sqrt(np.mean((predictions.weight - truth) ** 2))), 4),
        "pearson": round(float(pearsonr(predictions.weight, truth).statistic), 4)
        if np.ptp(predictions.weight) > 0 and np.ptp(truth) > 0
        else None,
    }
    if len(np.unique(positive)) < 2:
        return {"sign": dict.fromkeys(("auc", "accuracy_balanced", "macro_f1")), "weight": weight}
    balanced_score = predictions.sign_score[balanced_rows]
    accuracy = float(np.mean((balanced_score >= balanced_threshold) == positive[balanced_rows]))
    return {
        "sign": {
            "auc": round(float(roc_auc_score(positive, predictions.sign_score)), 4),
            "accuracy_balanced": round(accuracy, 4),
            "macro_f1": round(
                float(f1_score(positive, predictions.sign_score >= f1_threshold, average="macro")),
                4,
            ),
        },
        "weight": weight,
    }


def _balanced_rows(truth: FloatArray, seed: int) -> np.ndarray:
    """All edges of the smaller sign class and as many, drawn without replacement, of the other."""
    rng = np.random.default_rng(seed)
    positive_rows = np.flatnonzero(truth > 0)
    negative_rows = np.flatnonzero(truth <= 0)
    size = min(len(positive_rows), len(negative_rows))
    return np.concatenate(
        [
            rng.choice(positive_rows, size, replace=False),
            rng.choice(negative_rows, size, replace=False),
        ]
    )


def evaluate_signed(
    train: SignedEdges, test: SignedEdges, *, seed: int = 0, boosting_rounds: int = 400
) -> dict[str, Any]:
    """Learn from ``train``, predict ``test``'s signs and weights; scores of ours and baselines.

    Weights are in [-1, 1] (the Bitcoin rating / 10). Thresholds for the balanced accuracy and
    macro F1 are chosen on cross-validated train predictions, for every predictor the same way.
    """
    if not len(train) or not len(test):
        raise ValueError("both the train and the test file need at least one edge")
    n_nodes = max(train.node_count(), test.node_count())
    train_features = out_of_fold_features(train, n_nodes, seed=seed)
    test_features = edge_features(train, test, n_nodes)
    balanced_rows = _balanced_rows(test.weight, seed)

    def score(make: Callable[[], EdgePredictor]) -> dict[str, Any]:
        cross_validated = _cross_validated(make, train_features, train.weight, seed)
        positive = train.weight > 0
        predictions = make().fit(train_features, train.weight).predict(test_features)
        return signed_scores(
            predictions,
            test.weight,
            balanced_threshold=_balanced_accuracy_threshold(cross_validated, positive),
            f1_threshold=_macro_f1_threshold(cross_validated, positive),
            balanced_rows=balanced_rows,
        )

    def ours_model() -> SignedEdgeModel:
        return SignedEdgeModel(seed=seed, max_iter=boosting_rounds)

    ours = score(ours_model)
    return {
        "n": len(test),
        **ours,
        "baselines": {
            "fairness_goodness": score(FairnessGoodnessBaseline),
            "degree_logistic": score(DegreeBaseline),
        },
    }


#: Users with at most this many train ratings are the cold-start users of the evaluation.
COLD_START_MAX_RATINGS = 5


def _rating_errors(predicted: FloatArray, truth: FloatArray) -> dict[str, Any]:
    if not len(truth):
        return {"n": 0, "mae": None, "rmse": None}
    error = predicted - truth
    return {
        "n": len(truth),
        "mae": round(float(np.mean(np.abs(error))), 4),
        "rmse": round(float(np.sqrt(np.mean(error**2))), 4),
    }


def evaluate_ratings(
    train: Ratings, test: Ratings, trust: TrustEdges, n_users: int, n_items: int, *, seed: int = 0
) -> dict[str, Any]:
    """Fit the bias, SVD and trust models on ``train`` (+ ``trust``); errors on ``test``."""
    if not len(train) or not len(test):
        raise ValueError("both the train and the test ratings need at least one row")
    train_count = np.bincount(train.user, minlength=n_users)
    cold = train_count[test.user] <= COLD_START_MAX_RATINGS

    def errors(predicted: FloatArray) -> dict[str, Any]:
        overall = _rating_errors(predicted, test.rating)
        return {
            "n": overall["n"],
            "mae": overall["mae"],
            "rmse": overall["rmse"],
            "cold_start": _rating_errors(predicted[cold], test.rating[cold]),
        }

    bias = BiasModel().fit(train, n_users, n_items)
    svd = SVDModel(seed=seed).fit(train, n_users, n_items)
    ours = TrustBlendModel(seed=seed).fit(train, trust, n_users, n_items, fitted=(bias, svd))
    return {
        **errors(ours.predict(test.user, test.item)),
        "baselines": {
            "bias": errors(bias.predict(test.user, test.item)),
            "svd": errors(svd.predict(test.user, test.item)),
        },
    }
