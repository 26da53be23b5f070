"""`cluetrain eval signed`: predict the sign and weight of held-out Bitcoin trust edges."""

import argparse
import json
import sys
from pathlib import Path

from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from cluetrain_lab.trust.readers import IdIndex, read_signed_edges
from cluetrain_lab.trust.scoring import evaluate_signed


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cluetrain eval signed",
        description="Learn from the --train edges, predict the sign and weight (rating / 10) of "
        "the --test edges; print one JSON line with ours and both baselines. Files in the SNAP "
        "Bitcoin layout: source,target,rating,time, no header, optionally gzipped.",
    )
    parser.add_argument("--train", required=True, type=Path, metavar="PATH")
    parser.add_argument("--test", required=True, type=Path, metavar="PATH")
    parser.add_argument("--seed", type=int, default=0, help="seed of folds, resample, boosting")
    parser.add_argument(
        "--boosting-rounds",
        type=int,
        default=400,
        help="rounds of our gradient boosting (default 400; fewer for quick checks)",
    )
    return parser


def run(argv: list[str]) -> int:
    """Parse ``argv``, evaluate, print the JSON line; return the exit code."""
    options = _parser().parse_args(argv)
    try:
        index = IdIndex()
        train = read_signed_edges(options.train, index)
        test = read_signed_edges(options.test, index)
        # One thread: boosting's OpenMP threads spin-wait and slow down a shared machine.
        with threadpool_limits(1):
            result = evaluate_signed(
                train, test, seed=options.seed, boosting_rounds=options.boosting_rounds
            )
    except (OSError, ValueError) as error:
        sys.stderr.write(f"cluetrain eval signed: {error}\n")
        return 2
    if result["sign"]["auc"] is None:
        sys.stderr.write("the test edges all have one sign: the sign figures are null\n")
    sys.stdout.write(json.dumps(result) + "\n")
    return 0
