"""Readers of the trust datasets: SNAP Bitcoin signed edges and Tang et al.'s ratings + trust.

- Bitcoin OTC / Alpha (SNAP): no header, ``source,target,rating,time``, rating -10..10.
- Epinions / Ciao (Tang et al.) and FilmTrust (Guo et al.), as in ../shared/data's
  ``ratings_epinions_ciao``: ``<dataset>_ratings.csv[.gz]`` with a header whose first three
  columns are user, item and (Epinions, Ciao: category, then) rating, and
  ``<dataset>_trust.csv[.gz]`` with ``truster_id, trustee_id[, trust_value]``.

Files may be gzipped (by name: ``.gz``). Ids of a file are mapped onto small integers shared
by every file read with the same :class:`IdIndex`.
"""

import csv
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cluetrain_analytics.reputation.fairness import SignedEdges
from cluetrain_analytics.reputation.ratings import Ratings, TrustEdges

__all__ = [
    "DATASETS",
    "IdIndex",
    "RatingsDataset",
    "read_bitcoin_rows",
    "read_ratings_dir",
    "read_signed_edges",
]

#: Dataset -> the column of the rating in its ratings file.
DATASETS: dict[str, int] = {"ciao": 3, "epinions": 3, "filmtrust": 2}


@dataclass
class IdIndex:
    """Raw id (as text) -> small integer, in order of first appearance."""

    ids: dict[str, int] = field(default_factory=dict)

    def __call__(self, raw: str) -> int:
        return self.ids.setdefault(raw.strip(), len(self.ids))

    def __len__(self) -> int:
        return len(self.ids)


def _open(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return open(path, encoding="utf-8")


def _rows(path: Path, *, header: bool) -> Iterator[list[str]]:
    with _open(path) as handle:
        reader = csv.reader(handle)
        if header:
            next(reader, None)
        for row in reader:
            if row and not row[0].startswith("#"):
                yield row


def read_bitcoin_rows(path: Path) -> list[tuple[str, str, float, float]]:
    """``(source, target, rating / 10, time)`` rows of a SNAP Bitcoin file."""
    rows: list[tuple[str, str, float, float]] = []
    for number, row in enumerate(_rows(path, header=False), start=1):
        if len(row) < 3:
            raise ValueError(f"{path}: line {number} has {len(row)} columns, expected 4")
        try:
            rating = float(row[2])
            time = float(row[3]) if len(row) > 3 else 0.0
        except ValueError as error:
            raise ValueError(f"{path}: line {number}: {error}") from None
        if not -10 <= rating <= 10:
            raise ValueError(f"{path}: line {number}: rating {rating} outside -10..10")
        rows.append((row[0].strip(), row[1].strip(), rating / 10.0, time))
    return rows


def read_signed_edges(path: Path, index: IdIndex) -> SignedEdges:
    """A SNAP Bitcoin file as :class:`SignedEdges` (weight = rating / 10)."""
    rows = read_bitcoin_rows(path)
    return SignedEdges(
        np.array([index(row[0]) for row in rows], dtype=np.int64),
        np.array([index(row[1]) for row in rows], dtype=np.int64),
        np.array([row[2] for row in rows], dtype=np.float64),
        np.array([row[3] for row in rows], dtype=np.float64),
    )


@dataclass(frozen=True)
class RatingsDataset:
    """Ratings of one folder and, when the folder has it, its trust edges."""

    ratings: Ratings
    trust: TrustEdges | None


def _find(folder: Path, name: str) -> Path | None:
    for candidate in (folder / f"{name}.csv.gz", folder / f"{name}.csv"):
        if candidate.is_file():
            return candidate
    return None


def read_ratings_dir(
    folder: Path, dataset: str, users: IdIndex, items: IdIndex, *, with_trust: bool
) -> RatingsDataset:
    """``<dataset>_ratings.csv[.gz]`` (required) and ``<dataset>_trust.csv[.gz]`` of ``folder``."""
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}; expected one of {', '.join(DATASETS)}")
    ratings_path = _find(folder, f"{dataset}_ratings")
    if ratings_path is None:
        raise FileNotFoundError(f"{folder}: no {dataset}_ratings.csv or {dataset}_ratings.csv.gz")
    column = DATASETS[dataset]
    user: list[int] = []
    item: list[int] = []
    rating: list[float] = []
    for number, row in enumerate(_rows(ratings_path, header=True), start=2):
        try:
            value = float(row[column])
        except (IndexError, ValueError):
            message = f"{ratings_path}: line {number} has no rating in column {column + 1}"
            raise ValueError(message) from None
        user.append(users(row[0]))
        item.append(items(row[1]))
        rating.append(value)
    trust: TrustEdges | None = None
    trust_path = _find(folder, f"{dataset}_trust") if with_trust else None
    if trust_path is not None:
        pairs = [(users(row[0]), users(row[1])) for row in _rows(trust_path, header=True)]
        trust = TrustEdges(
            np.array([pair[0] for pair in pairs], dtype=np.int64),
            np.array([pair[1] for pair in pairs], dtype=np.int64),
        )
    return RatingsDataset(
        Ratings(
            np.array(user, dtype=np.int64),
            np.array(item, dtype=np.int64),
            np.array(rating, dtype=np.float64),
        ),
        trust,
    )
