"""`cluetrain eval text`: TweetEval-style accuracy and throughput of the text classifiers."""

import argparse
import json
import sys

from cluetrain_analytics.text.tweeteval import TASKS
from cluetrain_lab.analytics.text.evaluate import BASELINES, evaluate


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cluetrain eval text",
        description="Score a text classifier on DIR/{split}_text.txt and DIR/{split}_labels.txt "
        "(either possibly .gz); print one JSON line.",
    )
    parser.add_argument("--task", required=True, choices=TASKS)
    parser.add_argument("--data", required=True, metavar="DIR", help="one TweetEval task folder")
    parser.add_argument("--split", required=True, choices=("train", "val", "test"))
    parser.add_argument("--tier", default="fast", choices=("fast", "accurate"))
    parser.add_argument(
        "--model",
        default="default",
        choices=("default", *BASELINES),
        help="a baseline to score instead of the tier (tfidf-baseline trains on DIR's train split)",
    )
    return parser


def run(argv: list[str]) -> int:
    """Parse ``argv``, evaluate, print the JSON line; return the exit code."""
    options = _parser().parse_args(argv)
    try:
        result = evaluate(
            options.task, options.data, options.split, tier=options.tier, model=options.model
        )
    except (ImportError, FileNotFoundError, ValueError) as error:
        sys.stderr.write(f"cluetrain eval text: {error}\n")
        return 2
    sys.stdout.write(json.dumps(result) + "\n")
    return 0
