"""Model choice by cross-validation on train only; run it with ``python -m`` (below).

Features are computed once; scikit-learn's ``GridSearchCV`` then compares the candidate models
on the same folds (5, shuffled with ``--seed``). The size task scores negated RMSE of
``log(1 + final size)`` (that is RMSLE); the doubling tasks score ROC AUC. The winners are the
defaults of :class:`~cluetrain_analytics.spread.forecast.CascadeForecaster`: see docs/spread.md.

    python -m cluetrain_lab.analytics.spread.select --train /tmp/spread-split/train \
        --observe-minutes 60 --ks 50 100 200
"""

import argparse
import json
import sys
import time
from typing import Any

import numpy as np
from sklearn.ensemble import (  # type: ignore[import-untyped]
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.linear_model import LogisticRegression, Ridge  # type: ignore[import-untyped]
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold  # type: ignore[import-untyped]
from sklearn.pipeline import make_pipeline  # type: ignore[import-untyped]
from sklearn.preprocessing import StandardScaler  # type: ignore[import-untyped]
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from cluetrain_analytics.spread.cascades import observe, read_cascades
from cluetrain_analytics.spread.features import feature_matrix
from cluetrain_analytics.spread.forecast import _doubling_view

__all__ = ["main"]

_BOOSTING_GRID: dict[str, list[Any]] = {
    "learning_rate": [0.03, 0.1],
    "max_iter": [100, 300],
    "max_leaf_nodes": [15],
    "min_samples_leaf": [20, 50],
}


def _search(
    estimator: Any, grid: dict[str, list[Any]], X: Any, y: Any, cv: Any, scoring: str
) -> list[dict[str, Any]]:
    search = GridSearchCV(estimator, grid, scoring=scoring, cv=cv, n_jobs=1).fit(X, y)
    results = search.cv_results_
    # A pipeline is named by its last step (the model after the scaler).
    name = estimator.steps[-1][0] if hasattr(estimator, "steps") else type(estimator).__name__
    return [
        {
            "model": name,
            "params": results["params"][index],
            "mean": round(float(results["mean_test_score"][index]), 4),
            "std": round(float(results["std_test_score"][index]), 4),
        }
        for index in np.argsort(-results["mean_test_score"])
    ]


def main(argv: list[str] | None = None) -> int:
    """Print one JSON line: the cross-validated candidates of each task, best first."""
    parser = argparse.ArgumentParser(prog="python -m cluetrain_lab.analytics.spread.select")
    parser.add_argument("--train", required=True, metavar="DIR")
    parser.add_argument("--observe-minutes", type=float, default=60.0)
    parser.add_argument("--ks", type=int, nargs="*", default=[50, 100, 200])
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args(argv)
    # One thread: OpenMP spin-waiting made boosting far slower on a shared 2-core machine.
    with threadpool_limits(1):
        return _select(options)


def _select(options: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        cascades = list(read_cascades(options.train).values())
    except (FileNotFoundError, ValueError) as error:
        sys.stderr.write(f"select: {error}\n")
        return 2
    minutes = options.observe_minutes
    early = [observe(cascade, minutes) for cascade in cascades]
    X = feature_matrix(early, [minutes] * len(early))
    final = np.log1p([cascade.size for cascade in cascades])
    seen = np.log1p([cascade.size for cascade in early])
    folds = KFold(5, shuffle=True, random_state=options.seed)
    report: dict[str, Any] = {"n": len(cascades), "observe_minutes": minutes}
    # Growth (what the forecaster predicts) and the final size itself; scored as RMSLE either way.
    rmsle_of_growth = "neg_root_mean_squared_error"
    boosting = HistGradientBoostingRegressor(early_stopping=False, random_state=options.seed)
    linear = make_pipeline(StandardScaler(), Ridge())
    report["size_growth_target"] = (
        _search(boosting, _BOOSTING_GRID, X, final - seen, folds, rmsle_of_growth)[:3]
        + _search(
            linear, {"ridge__alpha": [0.1, 1.0, 10.0]}, X, final - seen, folds, rmsle_of_growth
        )[:1]
    )
    report["size_final_target"] = _search(
        boosting, _BOOSTING_GRID, X, final, folds, rmsle_of_growth
    )[:3]
    for k in options.ks:
        eligible = [cascade for cascade in cascades if cascade.size >= k]
        cut, ages = _doubling_view(eligible, k)
        Xk = feature_matrix(cut, ages)
        doubled = np.asarray([cascade.size >= 2 * k for cascade in eligible])
        if doubled.all() or not doubled.any():
            report[f"doubling_{k}"] = "one class only: nothing to choose"
            continue
        stratified = StratifiedKFold(5, shuffle=True, random_state=options.seed)
        classifier = HistGradientBoostingClassifier(early_stopping=False, random_state=options.seed)
        logistic = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
        report[f"doubling_{k}"] = (
            _search(classifier, _BOOSTING_GRID, Xk, doubled, stratified, "roc_auc")[:3]
            + _search(
                logistic,
                {"logisticregression__C": [0.1, 1.0, 10.0]},
                Xk,
                doubled,
                stratified,
                "roc_auc",
            )[:1]
        )
    report["seconds"] = round(time.perf_counter() - started, 1)
    sys.stdout.write(json.dumps(report) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
