"""`cluetrain eval influence`: who gets retweeted next, on SNAP Higgs activity logs."""

import argparse
import json
import sys

from cluetrain_analytics.graph.exceptions import GraphError
from cluetrain_lab.analytics.graph.higgs import (
    DEFAULT_FOLDS,
    evaluate_influence,
    read_higgs_activity,
    split_actions,
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cluetrain eval influence",
        description="Score users from the train actions (SNAP Higgs layout: 'userA userB "
        "unix_time RT|MT|RE', possibly .gz) and rank them against the retweets they receive "
        "afterwards; print one JSON line.",
    )
    parser.add_argument("--train", required=True, metavar="PATH", help="activity file")
    after = parser.add_mutually_exclusive_group(required=True)
    after.add_argument("--test", metavar="PATH", help="activity file of the later actions")
    after.add_argument(
        "--split-at",
        type=int,
        metavar="UNIX_TIME",
        help="split --train by time: train before, test at or after",
    )
    parser.add_argument(
        "--folds",
        type=int,
        default=DEFAULT_FOLDS,
        metavar="K",
        help="split points inside the train period for choosing the settings (rolling origin; "
        f"default {DEFAULT_FOLDS}); each one's figures are under settings.folds",
    )
    return parser


def run(argv: list[str]) -> int:
    """Parse ``argv``, evaluate, print the JSON line; return the exit code."""
    options = _parser().parse_args(argv)
    try:
        train = read_higgs_activity(options.train)
        if options.test is not None:
            test = read_higgs_activity(options.test)
        else:
            train, test = split_actions(train, options.split_at)
        result = evaluate_influence(train, test, folds=options.folds)
    except (OSError, GraphError) as error:
        sys.stderr.write(f"cluetrain eval influence: {error}\n")
        return 2
    sys.stdout.write(json.dumps(result) + "\n")
    return 0
