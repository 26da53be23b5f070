"""TrustSVD against the shipped rating model, for development (docs/reputation.md, section 2).

    python -m cluetrain_lab.trust.trustsvd --train DIR --test DIR --dataset NAME
        [--factors 10] [--reg 2] [--bias-reg 2] [--trust-reg 0.5] [--iterations 200]
        [--learning-rate 0.01] [--seed 0] [--blend]

Fits surprise's SVD (the ``svd`` baseline of ``cluetrain eval ratings``) and
``TrustSVDModel`` (Guo, Zhang and Yorke-Smith, AAAI 2015; vectorised, in
``cluetrain_analytics.reputation.ratings``) on the train ratings and trust edges, and prints
one JSON line with their MAE and RMSE on the test ratings, overall and in cold start (users
with at most 5 train ratings). ``--blend`` adds the shipped ``TrustBlendModel`` (``ours``) and
the same with its TrustSVD few-ratings term (``ours_trust_svd``, ``trust_svd=True``). Run it on
validation carves of a train side (``python -m cluetrain_lab.trust.split ratings <OUT>/train
<DATASET> <DEV> --seed 100``), not on a test side.
"""

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from cluetrain_analytics.reputation.fairness import FloatArray
from cluetrain_analytics.reputation.ratings import (
    BiasModel,
    SVDModel,
    TrustBlendModel,
    TrustEdges,
    TrustSVDModel,
)
from cluetrain_lab.trust.readers import DATASETS, IdIndex, read_ratings_dir
from cluetrain_lab.trust.scoring import COLD_START_MAX_RATINGS

__all__ = ["main"]


def _errors(predicted: FloatArray, truth: FloatArray, cold: np.ndarray) -> dict[str, Any]:
    error = predicted - truth

    def summary(part: np.ndarray) -> dict[str, Any]:
        return {
            "n": int(part.size),
            "mae": round(float(np.mean(np.abs(part))), 4) if part.size else None,
            "rmse": round(float(np.sqrt(np.mean(part**2))), 4) if part.size else None,
        }

    return {**summary(error), "cold_start": summary(error[cold])}


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(prog="python -m cluetrain_lab.trust.trustsvd")
    parser.add_argument("--train", required=True, type=Path)
    parser.add_argument("--test", required=True, type=Path)
    parser.add_argument("--dataset", required=True, choices=sorted(DATASETS))
    parser.add_argument("--factors", type=int, default=10)
    parser.add_argument("--reg", type=float, default=2.0)
    parser.add_argument("--bias-reg", type=float, default=2.0)
    parser.add_argument("--trust-reg", type=float, default=0.5)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--learning-rate", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--blend", action="store_true", help="also ours, without and with it")
    options = parser.parse_args(argv)
    try:
        users, items = IdIndex(), IdIndex()
        train = read_ratings_dir(options.train, options.dataset, users, items, with_trust=True)
        test = read_ratings_dir(options.test, options.dataset, users, items, with_trust=False)
    except (OSError, ValueError) as error:
        sys.stderr.write(f"trustsvd: {error}\n")
        return 2
    empty = np.zeros(0, dtype=np.int64)
    trust = train.trust if train.trust is not None else TrustEdges(empty, empty)
    n_users, n_items = len(users), len(items)
    train_count = np.bincount(train.ratings.user, minlength=n_users)
    cold = train_count[test.ratings.user] <= COLD_START_MAX_RATINGS
    query, truth = (test.ratings.user, test.ratings.item), test.ratings.rating
    with threadpool_limits(1):
        svd = SVDModel(seed=options.seed).fit(train.ratings, n_users, n_items)
        started = time.process_time()
        model = TrustSVDModel(
            factors=options.factors,
            reg=options.reg,
            bias_reg=options.bias_reg,
            trust_reg=options.trust_reg,
            iterations=options.iterations,
            learning_rate=options.learning_rate,
            seed=options.seed,
        ).fit(train.ratings, trust, n_users, n_items)
        cpu = time.process_time() - started
        result: dict[str, Any] = {
            "trustsvd": _errors(model.predict(*query), truth, cold),
            "svd": _errors(svd.predict(*query), truth, cold),
            "trustsvd_cpu_s": round(cpu, 1),
        }
        if options.blend:
            bias = BiasModel().fit(train.ratings, n_users, n_items)
            for name, with_trust_svd in (("ours", False), ("ours_trust_svd", True)):
                ours = TrustBlendModel(seed=options.seed, trust_svd=with_trust_svd).fit(
                    train.ratings, trust, n_users, n_items, fitted=(bias, svd)
                )
                errors = _errors(ours.predict(*query), truth, cold)
                result[name] = {**errors, "trust_svd_share": round(ours.trust_svd_share, 3)}
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
