"""`cluetrain eval abstention`: the confidence below which listening says "unsure".

For sentiment and emotion, the tier reads a TweetEval split (``DIR/<task>/<split>_*.txt``,
possibly gzipped); ``choose_threshold`` finds the lowest confidence at which the labels given
reach ``--target`` accuracy. One JSON line: per task ``threshold``, ``coverage``, ``accuracy``
(on the covered messages) and ``accuracy_all`` (without abstaining), and the thresholds the
platform ships (``shipped``) with their coverage and accuracy on the same split.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from cluetrain_analytics.text.abstain import UNSURE_BELOW, choose_threshold
from cluetrain_analytics.text.tweeteval import LABELS
from cluetrain_lab.analytics.text.tweeteval import load_split

TASKS = ("sentiment", "emotion")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cluetrain eval abstention",
        description="Choose the confidence below which listening says 'unsure', per task, on "
        "a TweetEval split; print one JSON line.",
    )
    parser.add_argument("--data", required=True, type=Path, metavar="DIR", help="TweetEval root")
    parser.add_argument("--split", default="val", choices=("train", "val", "test"))
    parser.add_argument("--tier", default="fast", choices=("fast", "accurate"))
    parser.add_argument("--target", type=float, default=0.8, help="accuracy wanted (0.8)")
    return parser


def _tier(name: str) -> Any:
    if name == "accurate":
        from cluetrain_analytics.text.accurate import load_accurate_tier

        return load_accurate_tier()
    from cluetrain_analytics.text.fast import load_fast_tier

    return load_fast_tier()


def run(argv: list[str]) -> int:
    """Parse ``argv``, evaluate, print the JSON line; return the exit code."""
    options = _parser().parse_args(argv)
    if not 0 < options.target <= 1:
        sys.stderr.write("cluetrain eval abstention: --target must be in (0, 1]\n")
        return 2
    try:
        tier = _tier(options.tier)
        result: dict[str, Any] = {"tier": options.tier, "target": options.target}
        for task in TASKS:
            texts, labels = load_split(options.data / task, options.split, task=task)
            read = tier.analyze(texts)
            given = [getattr(a, task) for a in read]
            confidence = np.array([getattr(a, f"{task}_confidence") for a in read])
            correct = np.array([g == LABELS[task][y] for g, y in zip(given, labels, strict=True)])
            chosen = choose_threshold(confidence.tolist(), correct.tolist(), options.target)
            shipped = confidence >= UNSURE_BELOW[task]
            result[task] = {
                **chosen.__dict__,
                "n": len(texts),
                "shipped": {
                    "threshold": UNSURE_BELOW[task],
                    "coverage": round(float(shipped.mean()), 4),
                    "accuracy": round(float(correct[shipped].mean()), 4) if shipped.any() else 0.0,
                },
            }
    except (ImportError, FileNotFoundError, ValueError) as error:
        sys.stderr.write(f"cluetrain eval abstention: {error}\n")
        return 2
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1:]))
