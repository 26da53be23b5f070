"""`cluetrain eval experts`: who will give a question's accepted answer (Stack Exchange dump)."""

import argparse
import json
import sys
import time
from pathlib import Path

from cluetrain_lab.expertise.evaluate import evaluate_experts
from cluetrain_lab.expertise.stackexchange import read_dump


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cluetrain eval experts",
        description="Learn from the --train Stack Exchange dump, rank candidates for every "
        "--test question whose accepted answer comes from a train answerer; print one JSON "
        "line with our ranking and the tag-overlap and BM25 baselines. Folders hold Posts.xml "
        "(and Comments, Votes, Users, Tags), possibly gzipped.",
    )
    parser.add_argument("--train", required=True, metavar="DIR", type=Path)
    parser.add_argument("--test", required=True, metavar="DIR", type=Path)
    return parser


def run(argv: list[str]) -> int:
    options = _parser().parse_args(argv)
    started = time.perf_counter()
    if options.train.resolve() == options.test.resolve():
        sys.stderr.write(
            "warning: --train and --test are the same folder, so every test question is in "
            "train too (split a dump with cluetrain_lab.expertise.stackexchange.split_dump)\n"
        )
    try:
        train, test = read_dump(options.train), read_dump(options.test)
    except (OSError, ValueError) as error:
        sys.stderr.write(f"cluetrain eval experts: {error}\n")
        return 2
    result = evaluate_experts(train, test)
    sys.stderr.write(
        f"evaluated {result['n']} questions in {time.perf_counter() - started:.1f} s\n"
    )
    if not result["n"]:
        sys.stderr.write(
            "no test question has an accepted answer by a train answerer: the figures are null\n"
        )
    sys.stdout.write(json.dumps(result) + "\n")
    return 0
