"""The fresh twcs sample of issue #17 (``labels/twcs-fresh.csv``): how its ids were drawn.

``python -m cluetrain_lab.evaluation.intent_fresh --data ../../shared/data/twcs --root ..``
prints the 200 ids, one per line, in numeric order. The draw: the inbound rows of the twcs
folder whose id is in none of the earlier label files (``docs/experience/*.csv`` and
``lab/cluetrain_lab/evaluation/labels/*.csv`` but this sample's own file) and whose cleaned
text is not empty; per subset, in tweet-id order, ``random.Random("intent-fresh-<subset>")
.sample``: 100 of ``random_sample``, 50 of ``prefix``, 50 of ``spotify_inbound`` (the weights
of the unseen sample). It was drawn and labelled before any code was changed or any prediction
on it was looked at (docs/experience.md, section 5).

``--sample fresh2`` prints the second fresh sample (``labels/twcs-fresh2.csv``, drawn the same
way but seeded ``"intent-fresh2-<subset>"`` and excluding every earlier label file, the first
fresh sample's included): 200 more ids, drawn and labelled by hand before the reader was run on
them (docs/experience.md, section 6). ``--sample fresh3`` prints the third
(``labels/twcs-fresh3.csv``, seeded ``"intent-fresh3-<subset>"``, excluding both earlier fresh
samples and every other label file), labelled by hand before the reader was run on it.
"""

import argparse
import csv
import random
import sys
from collections.abc import Sequence
from pathlib import Path

from cluetrain_lab.evaluation.intent import read_tweets

FRESH_PER_SUBSET = {"random_sample": 100, "prefix": 50, "spotify_inbound": 50}
FRESH_FILE = "twcs-fresh.csv"
#: The fresh samples: their labels file and the seed's prefix (``<prefix>-<subset>``).
SAMPLES = {
    "fresh": (FRESH_FILE, "intent-fresh"),
    "fresh2": ("twcs-fresh2.csv", "intent-fresh2"),
    "fresh3": ("twcs-fresh3.csv", "intent-fresh3"),
}


def labelled_ids(root: Path, own_file: str = FRESH_FILE) -> set[str]:
    """Every tweet id in a label file under ``root`` (the repository) but ``own_file``.

    The files of the fresh samples drawn after ``own_file``'s are left out too: a draw excludes
    what was labelled before it, so adding a later sample does not change an earlier one's draw.
    """
    fresh_files = [name for name, _ in SAMPLES.values()]
    skipped = set(fresh_files[fresh_files.index(own_file) :]) if own_file in fresh_files else set()
    skipped.add(own_file)
    # A second annotator's file of a sample ("twcs-fresh3-second.csv") holds that sample's ids.
    skipped_stems = tuple(name.removesuffix(".csv") + "-" for name in skipped)
    files = [
        *sorted((root / "docs" / "experience").glob("*.csv")),
        *sorted((root / "lab" / "cluetrain_lab" / "evaluation" / "labels").glob("*.csv")),
    ]
    ids: set[str] = set()
    for path in files:
        if path.name in skipped or path.name.startswith(skipped_stems):
            continue
        with path.open(encoding="utf-8", newline="") as file:
            ids.update(row["tweet_id"] for row in csv.DictReader(file))
    return ids


def draw_fresh(
    rows: Sequence[dict[str, str]],
    exclude: set[str],
    per_subset: dict[str, int] = FRESH_PER_SUBSET,
    seed: str = "intent-fresh",
) -> list[str]:
    """The fresh sample's ids (see the module docstring), in numeric order.

    >>> rows = [
    ...     {"tweet_id": str(i), "inbound": "True", "subset": "prefix", "text": "x"}
    ...     for i in range(9)
    ... ]
    >>> ids = draw_fresh(rows, {"0", "1"}, {"prefix": 3})
    >>> len(ids), "0" in ids, ids == draw_fresh(rows[::-1], {"0", "1"}, {"prefix": 3})
    (3, False, True)
    """
    ids: list[str] = []
    for subset, size in sorted(per_subset.items()):
        pool = sorted(
            (
                row
                for row in rows
                if row["inbound"] == "True"
                and row.get("subset", "") == subset
                and row["tweet_id"] not in exclude
                and row["text"].strip()
            ),
            key=lambda row: int(row["tweet_id"]),
        )
        chosen = random.Random(f"{seed}-{subset}").sample(pool, min(size, len(pool)))
        ids.extend(row["tweet_id"] for row in chosen)
    return sorted(ids, key=int)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", required=True, type=Path, help="the twcs folder")
    parser.add_argument("--root", default=Path(), type=Path, help="the repository root")
    parser.add_argument("--sample", default="fresh", choices=tuple(SAMPLES), help="which sample")
    options = parser.parse_args(argv)
    own_file, seed = SAMPLES[options.sample]
    rows = list(read_tweets(options.data))
    ids = draw_fresh(rows, labelled_ids(options.root, own_file), seed=seed)
    sys.stdout.write("".join(f"{tweet_id}\n" for tweet_id in ids))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
