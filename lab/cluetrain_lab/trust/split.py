"""Seeded random splits of the trust datasets, for developing on data the evaluators keep.

    python -m cluetrain_lab.trust.split bitcoin FILE OUT [--test-fraction 0.2] [--seed 0]
        [--by-time]
        -> OUT/train.csv.gz, OUT/test.csv.gz (rows of a SNAP Bitcoin file); with --by-time the
           test file is the last 20 % of the edges by time (ties in file order), a forward split
    python -m cluetrain_lab.trust.split ratings DIR DATASET OUT [--test-fraction 0.2] [--seed 0]
        -> OUT/train/<dataset>_ratings.csv.gz and a copy of <dataset>_trust.csv[.gz],
           OUT/test/<dataset>_ratings.csv.gz (ratings drawn, trust edges all on the train side)

Prints one line of counts.
"""

import argparse
import gzip
import shutil
import sys
from pathlib import Path

import numpy as np


def _lines(path: Path) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [line for line in handle.read().splitlines() if line.strip()]


def _write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


def _held_out(count: int, fraction: float, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).random(count) < fraction


def _latest(lines: list[str], fraction: float, source: Path) -> np.ndarray:
    """The last ``fraction`` of the edges by time (the 4th column; ties in file order)."""
    try:
        times = np.array([float(line.split(",")[3]) for line in lines])
    except (IndexError, ValueError):
        raise ValueError(
            f"{source}: --by-time needs a time in the 4th column of every line"
        ) from None
    order = np.argsort(times, kind="stable")
    test = np.zeros(len(lines), dtype=bool)
    test[order[len(lines) - round(len(lines) * fraction) :]] = True
    return test


def split_bitcoin(
    source: Path, out: Path, fraction: float, seed: int, *, by_time: bool = False
) -> str:
    """Split a SNAP Bitcoin file's edges (at random, or the latest as test); the counts line."""
    lines = _lines(source)
    test = _latest(lines, fraction, source) if by_time else _held_out(len(lines), fraction, seed)
    _write(out / "train.csv.gz", [line for line, t in zip(lines, test, strict=True) if not t])
    _write(out / "test.csv.gz", [line for line, t in zip(lines, test, strict=True) if t])
    return f"train_edges={int((~test).sum())} test_edges={int(test.sum())}"


def split_ratings(source: Path, dataset: str, out: Path, fraction: float, seed: int) -> str:
    """Split a dataset's ratings (the trust file goes to the train side); the counts line."""
    candidates = [source / f"{dataset}_ratings.csv.gz", source / f"{dataset}_ratings.csv"]
    ratings = next((path for path in candidates if path.is_file()), None)
    if ratings is None:
        raise FileNotFoundError(f"{source}: no {dataset}_ratings.csv[.gz]")
    header, *rows = _lines(ratings)
    test = _held_out(len(rows), fraction, seed)
    _write(
        out / "train" / f"{dataset}_ratings.csv.gz",
        [header, *(row for row, t in zip(rows, test, strict=True) if not t)],
    )
    _write(
        out / "test" / f"{dataset}_ratings.csv.gz",
        [header, *(row for row, t in zip(rows, test, strict=True) if t)],
    )
    for trust in (source / f"{dataset}_trust.csv.gz", source / f"{dataset}_trust.csv"):
        if trust.is_file():
            shutil.copyfile(trust, out / "train" / trust.name)
            break
    return f"train_ratings={int((~test).sum())} test_ratings={int(test.sum())}"


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(prog="python -m cluetrain_lab.trust.split")
    kinds = parser.add_subparsers(dest="kind", required=True)
    bitcoin = kinds.add_parser("bitcoin")
    bitcoin.add_argument("source", type=Path)
    bitcoin.add_argument("out", type=Path)
    bitcoin.add_argument(
        "--by-time", action="store_true", help="test = the latest edges (a forward split)"
    )
    ratings = kinds.add_parser("ratings")
    ratings.add_argument("source", type=Path)
    ratings.add_argument("dataset")
    ratings.add_argument("out", type=Path)
    for sub in (bitcoin, ratings):
        sub.add_argument("--test-fraction", type=float, default=0.2)
        sub.add_argument("--seed", type=int, default=0)
    options = parser.parse_args(argv)
    try:
        if options.kind == "bitcoin":
            line = split_bitcoin(
                options.source,
                options.out,
                options.test_fraction,
                options.seed,
                by_time=options.by_time,
            )
        else:
            line = split_ratings(
                options.source, options.dataset, options.out, options.test_fraction, options.seed
            )
    except (OSError, ValueError) as error:
        sys.stderr.write(f"split: {error}\n")
        return 2
    sys.stdout.write(line + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
