"""A seeded development split of a cascades folder; run it with ``python -m`` (below).

Whole source tweets go to one side: a root id found in two datasets (Twitter15 and Twitter16 share
some) lands in train or test in both, so no test cascade has its twin in train.

    python -m cluetrain_lab.analytics.spread.split ../shared/data/cascades_twitter1516 \
        /tmp/spread-split --test-fraction 0.2 --seed 0
"""

import argparse
import csv
import gzip
import io
import sys
from contextlib import ExitStack
from pathlib import Path

import numpy as np

from cluetrain_analytics.spread.cascades import EDGE_COLUMNS, LABEL_COLUMNS, _find, _rows

__all__ = ["split_folder"]


def split_folder(
    source: str | Path, destination: str | Path, *, test_fraction: float = 0.2, seed: int = 0
) -> dict[str, int]:
    """Write ``destination/train`` and ``destination/test`` in the layout of ``source``.

    Parameters
    ----------
    source : str or Path
        A folder with ``edges.csv[.gz]`` and ``labels.csv[.gz]``.
    destination : str or Path
        Where the two folders go (made if missing; files in them are replaced).
    test_fraction : float
        Share of root tweet ids drawn for test, in (0, 1).
    seed : int
        Seed of the draw: the same seed and source give the same split.

    Returns
    -------
    dict
        Cascades (``(dataset, root)`` pairs) and edges written on each side.
    """
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction}")
    source = Path(source)
    edges_path = _find(source, "edges", required=True)
    labels_path = _find(source, "labels", required=True)
    # required=True raises instead of returning None.
    assert edges_path is not None
    assert labels_path is not None
    labels = [row for _line, row in _rows(labels_path, LABEL_COLUMNS)]
    roots = sorted({row["root_tweet_id"] for row in labels})
    rng = np.random.default_rng(seed)
    drawn = rng.permutation(len(roots))[: round(test_fraction * len(roots))]
    test_roots = {roots[index] for index in drawn}
    counts = {"train_cascades": 0, "test_cascades": 0, "train_edges": 0, "test_edges": 0}
    with ExitStack() as stack:
        writers: dict[str, dict[str, csv.DictWriter[str]]] = {}
        for side in ("train", "test"):
            folder = Path(destination) / side
            folder.mkdir(parents=True, exist_ok=True)
            writers[side] = {}
            for stem, columns in (("edges", EDGE_COLUMNS), ("labels", LABEL_COLUMNS)):
                raw = stack.enter_context(gzip.open(folder / f"{stem}.csv.gz", "wb"))
                text = stack.enter_context(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
                writers[side][stem] = csv.DictWriter(text, columns, lineterminator="\n")
                writers[side][stem].writeheader()
        for row in labels:
            side = "test" if row["root_tweet_id"] in test_roots else "train"
            writers[side]["labels"].writerow({name: row[name] for name in LABEL_COLUMNS})
            counts[f"{side}_cascades"] += 1
        for _line, row in _rows(edges_path, EDGE_COLUMNS):
            side = "test" if row["root_tweet_id"] in test_roots else "train"
            writers[side]["edges"].writerow({name: row[name] for name in EDGE_COLUMNS})
            counts[f"{side}_edges"] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    """Command line: ``SOURCE DESTINATION [--test-fraction F] [--seed S]``."""
    parser = argparse.ArgumentParser(prog="python -m cluetrain_lab.analytics.spread.split")
    parser.add_argument("source", help="folder in the cascades_twitter1516 layout")
    parser.add_argument("destination", help="where train/ and test/ are written")
    parser.add_argument("--test-fraction", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args(argv)
    try:
        counts = split_folder(
            options.source,
            options.destination,
            test_fraction=options.test_fraction,
            seed=options.seed,
        )
    except (FileNotFoundError, ValueError) as error:
        sys.stderr.write(f"split: {error}\n")
        return 2
    sys.stdout.write(" ".join(f"{name}={value}" for name, value in counts.items()) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
