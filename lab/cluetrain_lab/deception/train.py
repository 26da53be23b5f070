"""Train the shipped deception model: ``python -m cluetrain_lab.deception.train``.

Fits :class:`~cluetrain_analytics.text.deception.DeceptionModel` on every review of the
train file and its Platt scaling on out-of-fold decisions (leave-hotels-out, so that the
probabilities hold for a business the model never saw), then writes
``deception.joblib`` (with its versions manifest), ``deception-report.json`` and
``deception-report.md`` into ``--out``.
"""

import argparse
import json
import platform
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

from cluetrain_analytics.text.deception import (
    DEFAULT_PARAMS,
    MODEL_PATH,
    DeceptionModel,
    save_deception_model,
)
from cluetrain_lab.datasets import default_data, missing_data_message, shown_path
from cluetrain_lab.deception.evaluate import FOLDS, fit_model, out_of_fold
from cluetrain_lab.deception.reviews import Review, read_reviews

__all__ = ["DATA_FILE", "calibrate", "main", "train"]

DATA_FILE = "reviews_deceptive_opinion/deceptive-opinion.csv.gz"


def calibrate(decisions: npt.NDArray[np.float64], deceptive: Sequence[bool]) -> tuple[float, float]:
    """Platt scaling: (a, b) with P(deceptive) = sigmoid(a * decision + b)."""
    platt = LogisticRegression(C=1e6, max_iter=1000)
    platt.fit(decisions.reshape(-1, 1), np.asarray(deceptive, dtype=int))
    return float(platt.coef_[0, 0]), float(platt.intercept_[0])


def _accuracy(truth: npt.NDArray[np.int_], decision: npt.NDArray[np.float64]) -> float:
    return round(float(np.mean((decision > 0).astype(int) == truth)), 4)


def train(reviews: Sequence[Review], *, seed: int = 0) -> DeceptionModel:
    """The shipped model: fitted on all of ``reviews``, calibrated out of fold."""
    started = time.perf_counter()
    truth = np.array([r.deceptive for r in reviews], dtype=int)
    ours, baseline = out_of_fold(reviews, FOLDS, seed)
    slope, intercept = calibrate(ours, truth.astype(bool).tolist())
    probability = 1 / (1 + np.exp(-(slope * ours + intercept)))
    model = fit_model(reviews, random_state=seed)
    model.calibration = (slope, intercept)
    model.version = f"deception-{datetime.now(UTC):%Y%m%d}"
    polarity = np.array([r.polarity for r in reviews])
    model.report = {
        "params": {**DEFAULT_PARAMS, "random_state": seed},
        "train_size": len(reviews),
        "hotels": len({r.hotel for r in reviews}),
        "n_features": int(model.regression_.coef_.shape[1])
        + (int(model.token_regression_.coef_.shape[1]) if model.token_regression_ else 0)
        + (int(model.edge_regression_.coef_.shape[1]) if model.edge_regression_ else 0),
        "calibration": {"slope": round(slope, 4), "intercept": round(intercept, 4)},
        "out_of_fold": {
            "folds": FOLDS,
            "seed": seed,
            "accuracy": _accuracy(truth, ours),
            "positive": _accuracy(truth[polarity == "positive"], ours[polarity == "positive"]),
            "negative": _accuracy(truth[polarity == "negative"], ours[polarity == "negative"]),
            "baseline_accuracy": _accuracy(truth, baseline),
            "brier": round(float(np.mean((probability - truth) ** 2)), 4),
        },
        "fit_seconds": round(time.perf_counter() - started, 1),
        "trained_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "python": platform.python_version(),
        "scikit_learn": metadata.version("scikit-learn"),
    }
    return model


def _markdown(report: dict[str, Any]) -> str:
    oof = report["out_of_fold"]
    return f"""# Deception model: training report

Model `{report["model"]}` ({report["size_bytes"] / 1e6:.1f} MB), version `{report["version"]}`,
trained {report["trained_at"]} in {report["fit_seconds"]} s (Python {report["python"]},
scikit-learn {report["scikit_learn"]}) on all {report["train_size"]} reviews of
{report["hotels"]} hotels in `{report["data"]}`; {report["n_features"]} features.
Made by `python -m cluetrain_lab.deception.train --data {report["data"]}`.

Out of fold (each review scored by a model that never saw its hotel; {oof["folds"]} folds of
hotels, seed {oof["seed"]}), at decision 0:

| | accuracy |
|---|---|
| all | {oof["accuracy"]} |
| positive reviews | {oof["positive"]} |
| negative reviews | {oof["negative"]} |
| baseline (TF-IDF words 1-2 + logistic regression) | {oof["baseline_accuracy"]} |

Probabilities: Platt scaling fitted on those out-of-fold decisions, slope
{report["calibration"]["slope"]}, intercept {report["calibration"]["intercept"]}; Brier score
{oof["brier"]}. Parameters: `{json.dumps(report["params"])}`.
The repeated cross-validation and the comparison with published figures are in
docs/spam-and-deception.md.
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cluetrain_lab.deception.train")
    parser.add_argument(
        "--data", type=Path, metavar="PATH", help=f"default $CLUETRAIN_DATA/{DATA_FILE}"
    )
    parser.add_argument("--out", type=Path, default=MODEL_PATH.parent, metavar="DIR")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    data = args.data or default_data(DATA_FILE)
    if data is None:
        sys.stderr.write(missing_data_message("--data", DATA_FILE) + "\n")
        return 2
    model = train(read_reviews(data), seed=args.seed)
    path = save_deception_model(model, args.out / MODEL_PATH.name)
    report = {
        "model": path.name,
        "version": model.version,
        "size_bytes": path.stat().st_size,
        "data": shown_path(data),
        **model.report,
    }
    (args.out / "deception-report.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "deception-report.md").write_text(_markdown(report))
    sys.stdout.write(json.dumps(report["out_of_fold"]) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
