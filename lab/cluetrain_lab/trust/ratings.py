"""`cluetrain eval ratings`: predict held-out ratings with and without the trust network."""

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from cluetrain_analytics.reputation.ratings import TrustEdges
from cluetrain_lab.trust.readers import DATASETS, IdIndex, read_ratings_dir
from cluetrain_lab.trust.scoring import evaluate_ratings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cluetrain eval ratings",
        description="Fit on the ratings and trust edges of --train, predict the ratings of "
        "--test; print one JSON line with ours and the bias and svd baselines. Each folder "
        "holds <dataset>_ratings.csv[.gz]; --train also <dataset>_trust.csv[.gz]. Trust edges "
        "are read from --train only: a trust file beside the test ratings is ignored, so no "
        "edge that appeared with the held-out ratings can help predict them.",
    )
    parser.add_argument("--train", required=True, type=Path, metavar="DIR")
    parser.add_argument("--test", required=True, type=Path, metavar="DIR")
    parser.add_argument("--dataset", required=True, choices=sorted(DATASETS))
    parser.add_argument("--seed", type=int, default=0, help="seed of folds and models")
    return parser


def run(argv: list[str]) -> int:
    """Parse ``argv``, evaluate, print the JSON line; return the exit code."""
    options = _parser().parse_args(argv)
    try:
        users, items = IdIndex(), IdIndex()
        train = read_ratings_dir(options.train, options.dataset, users, items, with_trust=True)
        test = read_ratings_dir(options.test, options.dataset, users, items, with_trust=False)
        empty = np.zeros(0, dtype=np.int64)
        trust = train.trust if train.trust is not None else TrustEdges(empty, empty)
        with threadpool_limits(1):
            result = evaluate_ratings(
                train.ratings, test.ratings, trust, len(users), len(items), seed=options.seed
            )
    except (OSError, ValueError) as error:
        sys.stderr.write(f"cluetrain eval ratings: {error}\n")
        return 2
    sys.stdout.write(json.dumps(result) + "\n")
    return 0
