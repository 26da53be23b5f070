"""`cluetrain eval deception`: our deception model against TF-IDF + logistic regression.

With ``--train`` and ``--test`` both models are fitted on the train file and scored on the
test file; the last line of output is one JSON line with ``n``, ``accuracy``, ``f1`` (of the
deceptive class) and ``baseline`` with the same two keys. With ``--cv`` instead of ``--test``,
both are scored by cross-validation on the train file with whole hotels held out (the way
the corpus's authors evaluate, and the way the command is scored: on hotels never seen),
per polarity and overall, repeated over several shufflings of the hotels.

Read from the file: the label, the polarity and the text; the hotel only to group the
folds. The ``source`` column gives the label away and is never read.
"""

import argparse
import json
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.metrics import accuracy_score, f1_score  # type: ignore[import-untyped]
from sklearn.pipeline import make_pipeline  # type: ignore[import-untyped]

from cluetrain_analytics.text.deception import DeceptionModel
from cluetrain_lab.datasets import shown_path
from cluetrain_lab.deception.reviews import POLARITIES, Review, read_reviews

__all__ = [
    "BASELINE_C",
    "fit_baseline",
    "fit_model",
    "grouped_cv",
    "hotel_folds",
    "out_of_fold",
    "run",
    "score_holdout",
]

#: The baseline's C: the setting that reproduces the 0.876 of grouped cross-validation quoted
#: in issue 13 (scikit-learn's default C=1 scores 0.860 there: a weaker yardstick).
BASELINE_C = 100.0
FOLDS = 4
Labels = npt.NDArray[np.int_]


def _texts(reviews: Sequence[Review]) -> list[str]:
    return [r.text for r in reviews]


def _labels(reviews: Sequence[Review]) -> Labels:
    return np.array([r.deceptive for r in reviews], dtype=int)


def fit_model(train: Sequence[Review], **params: Any) -> DeceptionModel:
    """Our model (cluetrain_analytics.text.deception) fitted on ``train``."""
    model = DeceptionModel(**params)
    return model.fit(_texts(train), [r.polarity for r in train], _labels(train))


def fit_baseline(train: Sequence[Review]) -> Any:
    """TF-IDF of word 1-2-grams, then logistic regression: the issue's yardstick."""
    pipeline = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2)), LogisticRegression(C=BASELINE_C, max_iter=5000)
    )
    return pipeline.fit(_texts(train), _labels(train))


def _decisions(train: Sequence[Review], test: Sequence[Review]) -> tuple[Any, Any]:
    """Decision values (above 0: deceptive) of our model and of the baseline on ``test``."""
    ours = fit_model(train).decision(_texts(test), [r.polarity for r in test])
    baseline = fit_baseline(train).decision_function(_texts(test))
    return ours, baseline


def _scores(truth: Labels, decision: npt.NDArray[np.float64]) -> dict[str, float]:
    predicted = (decision > 0).astype(int)
    return {
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "f1": round(float(f1_score(truth, predicted, zero_division=0)), 4),
    }


def score_holdout(train: Sequence[Review], test: Sequence[Review]) -> dict[str, Any]:
    """Fit on ``train``, score on ``test``: the command's JSON line."""
    ours, baseline = _decisions(train, test)
    truth = _labels(test)
    return {"n": len(test), **_scores(truth, ours), "baseline": _scores(truth, baseline)}


def hotel_folds(
    reviews: Sequence[Review], folds: int = FOLDS, seed: int = 0
) -> list[tuple[list[int], list[int]]]:
    """(train, test) indices with whole hotels held out: the sorted hotels shuffled by
    ``seed`` and dealt into ``folds`` groups."""
    hotels = sorted({r.hotel for r in reviews})
    if "" in hotels:
        raise ValueError("cross-validation by hotel needs the hotel column")
    if len(hotels) < folds:
        raise ValueError(f"{len(hotels)} hotels cannot make {folds} folds")
    random.Random(f"deception-{seed}").shuffle(hotels)
    group = {hotel: i % folds for i, hotel in enumerate(hotels)}
    return [
        (
            [i for i, r in enumerate(reviews) if group[r.hotel] != fold],
            [i for i, r in enumerate(reviews) if group[r.hotel] == fold],
        )
        for fold in range(folds)
    ]


def out_of_fold(
    reviews: Sequence[Review], folds: int = FOLDS, seed: int = 0
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Every review's decision value from models that never saw its hotel (ours, baseline)."""
    ours = np.zeros(len(reviews))
    baseline = np.zeros(len(reviews))
    for train, test in hotel_folds(reviews, folds, seed):
        fold_ours, fold_baseline = _decisions(
            [reviews[i] for i in train], [reviews[i] for i in test]
        )
        ours[test] = fold_ours
        baseline[test] = fold_baseline
    return ours, baseline


def grouped_cv(
    reviews: Sequence[Review], folds: int = FOLDS, repeats: int = 3, first_seed: int = 0
) -> dict[str, Any]:
    """Leave-hotels-out cross-validation, overall and per polarity, mean over ``repeats``
    shufflings of the hotels, seeds ``first_seed`` onwards (with the lowest and highest
    repeat's accuracy)."""
    truth = _labels(reviews)
    parts: dict[str, npt.NDArray[np.bool_]] = {"all": np.ones(len(reviews), dtype=bool)}
    for polarity in POLARITIES:
        parts[polarity] = np.array([r.polarity == polarity for r in reviews])
    runs: dict[str, dict[str, list[dict[str, float]]]] = {
        part: {"ours": [], "baseline": []} for part in parts
    }
    for seed in range(first_seed, first_seed + repeats):
        decisions = dict(zip(("ours", "baseline"), out_of_fold(reviews, folds, seed), strict=True))
        for part, mask in parts.items():
            for name, decision in decisions.items():
                runs[part][name].append(_scores(truth[mask], decision[mask]))

    def summary(scores: list[dict[str, float]]) -> dict[str, Any]:
        accuracies = [s["accuracy"] for s in scores]
        return {
            "accuracy": round(float(np.mean(accuracies)), 4),
            "f1": round(float(np.mean([s["f1"] for s in scores])), 4),
            "accuracy_range": [min(accuracies), max(accuracies)],
        }

    result: dict[str, Any] = {}
    for part in parts:
        ours = summary(runs[part]["ours"])
        entry = {"n": int(parts[part].sum()), **ours, "baseline": summary(runs[part]["baseline"])}
        if part == "all":
            result.update(entry)
        else:
            result.setdefault("by_polarity", {})[part] = entry
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cluetrain eval deception",
        description="Fit our deception model and a TF-IDF + logistic regression baseline on "
        "--train; score both on --test (or by leave-hotels-out cross-validation with --cv); "
        "print one JSON line.",
    )
    parser.add_argument("--train", required=True, type=Path, metavar="PATH")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--test", type=Path, metavar="PATH")
    target.add_argument(
        "--cv", action="store_true", help="cross-validate on --train, whole hotels held out"
    )
    parser.add_argument("--folds", type=int, default=FOLDS, help="folds of hotels (default 4)")
    parser.add_argument(
        "--repeats", type=int, default=3, help="shufflings of the hotels with --cv (default 3)"
    )
    parser.add_argument(
        "--first-seed",
        type=int,
        default=0,
        help="seed of the first shuffling with --cv (default 0; later draws confirm a choice "
        "made on the first ones)",
    )
    parser.add_argument("--out", type=Path, metavar="JSON", help="also write the result here")
    return parser


def run(argv: Sequence[str]) -> int:
    """The command; 0 on success, 2 on unreadable input (with a one-line message)."""
    args = _parser().parse_args(list(argv))
    started = time.perf_counter()
    try:
        train = read_reviews(args.train)
        test = read_reviews(args.test) if args.test else None
        if test is None:
            sys.stderr.write(
                f"cross-validation: {len(train)} reviews, {args.folds} folds of hotels, "
                f"{args.repeats} repeats from seed {args.first_seed}\n"
            )
            result = grouped_cv(train, args.folds, args.repeats, args.first_seed)
        else:
            result = score_holdout(train, test)
    except (OSError, ValueError) as error:
        sys.stderr.write(f"cluetrain eval deception: {error}\n")
        return 2
    if args.out:
        record = {
            "train": shown_path(args.train),
            "test": shown_path(args.test) if args.test else None,
            "mode": "holdout" if args.test else "grouped_cv",
            "folds": args.folds,
            "repeats": args.repeats if not args.test else None,
            "first_seed": args.first_seed if not args.test else None,
            "seconds": round(time.perf_counter() - started, 1),
            "result": result,
        }
        args.out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    sys.stdout.write(json.dumps(result) + "\n")
    return 0
