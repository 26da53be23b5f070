"""`cluetrain eval teams`: a team for each test question, its tags as the skills (Stack Exchange
dump)."""

import argparse
import json
import sys
import time
from pathlib import Path

from cluetrain_analytics.teams import METHODS
from cluetrain_lab.expertise.stackexchange import read_dump
from cluetrain_lab.expertise.teams import evaluate_teams


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cluetrain eval teams",
        description="Build the collaboration graph and the expert finder from the --train Stack "
        "Exchange dump, propose a team for every --test question (its tags as the skills) and "
        "print one JSON line: coverage, diameter, sum_distance, size and hit of our teams and of "
        "the top-expert-per-skill and random-qualified baselines. Folders hold Posts.xml (and "
        "Comments, Votes, Users, Tags), possibly gzipped.",
    )
    parser.add_argument("--train", required=True, metavar="DIR", type=Path)
    parser.add_argument("--test", required=True, metavar="DIR", type=Path)
    parser.add_argument("--method", choices=METHODS, default="sum_distance")
    parser.add_argument(
        "--expertise-weight",
        type=float,
        default=2.0,
        help="cost of a member per unit of missing expertise, in hops (default 2)",
    )
    parser.add_argument(
        "--top", type=int, default=10, help="holders considered per skill (default 10)"
    )
    parser.add_argument(
        "--free-size",
        action="store_true",
        help="let the builder choose the team size (default: the size of the "
        "top-expert-per-skill team for the same question)",
    )
    parser.add_argument("--seed", type=int, default=0)
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
        sys.stderr.write(f"cluetrain eval teams: {error}\n")
        return 2
    result, details = evaluate_teams(
        train,
        test,
        method=options.method,
        expertise_weight=options.expertise_weight,
        top=options.top,
        match_size=not options.free_size,
        seed=options.seed,
    )
    sys.stderr.write(
        f"evaluated {result['n']} questions in {time.perf_counter() - started:.1f} s: "
        f"{json.dumps(details)}\n"
    )
    if not result["n"]:
        sys.stderr.write(
            "no test question has a coverable tag and an answerer seen in train: "
            "the figures are null\n"
        )
    sys.stdout.write(json.dumps(result) + "\n")
    return 0
