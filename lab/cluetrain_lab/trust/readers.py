"""Readers of the trust datasets: SNAP Bitcoin signed edges and Tang et al.'s ratings + trust.

- Bitcoin OTC / Alpha (SNAP): no header, ``source,target,rating,time``, rating -10..10.
  A header line, if a file has one, is skipped.
- Epinions / Ciao (Tang et al.) and FilmTrust (Guo et al.), as in ../shared/data's
  ``ratings_epinions_ciao``: ``<dataset>_ratings.csv[.gz]`` with a header. Columns are found
  by their names (``user_id``, ``product_id`` or ``item_id``, ``rating``), in any order; a
  header without those names falls back to the positions of the shared files: user, item and
  (Epinions, Ciao: category, then) rating. ``<dataset>_trust.csv[.gz]`` holds
  ``truster_id, trustee_id[, trust_value]``.

Files may be gzipped, with a byte-order mark or Windows line endings (cluetrain_lab.files).
Ids of a file are mapped onto small integers shared by every file read with the same
:class:`IdIndex`.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cluetrain_analytics.reputation.fairness import SignedEdges
from cluetrain_analytics.reputation.ratings import Ratings, TrustEdges
from cluetrain_lab.files import csv_rows

__all__ = [
    "DATASETS",
    "IdIndex",
    "RatingsDataset",
    "read_bitcoin_rows",
    "read_ratings_dir",
    "read_signed_edges",
]

#: Dataset -> the column of the rating in its ratings file, when the header does not name it.
DATASETS: dict[str, int] = {"ciao": 3, "epinions": 3, "filmtrust": 2}
#: Names a ratings file's header may give its user, item and rating columns.
USER_COLUMNS = ("user_id", "userid", "user")
ITEM_COLUMNS = ("product_id", "item_id", "productid", "itemid", "product", "item")
RATING_COLUMNS = ("rating", "stars", "score")


@dataclass
class IdIndex:
    """Raw id (as text) -> small integer, in order of first appearance."""

    ids: dict[str, int] = field(default_factory=dict)

    def __call__(self, raw: str) -> int:
        return self.ids.setdefault(raw.strip(), len(self.ids))

    def __len__(self) -> int:
        return len(self.ids)


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of the rows that are neither blank nor ``#`` comments."""
    for number, row in enumerate(csv_rows(path), start=1):
        if row and any(cell.strip() for cell in row) and not row[0].startswith("#"):
            yield number, row


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def read_bitcoin_rows(path: Path) -> list[tuple[str, str, float, float]]:
    """``(source, target, rating / 10, time)`` rows of a SNAP Bitcoin file."""
    rows: list[tuple[str, str, float, float]] = []
    for number, row in _rows(path):
        if not rows and not any(_is_number(cell) for cell in row):
            continue  # a header line such as source,target,rating,time
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


def _rating_columns(header: list[str], dataset: str) -> tuple[int, int, int]:
    """Positions of the user, item and rating columns: by name, else the shared layout's."""
    names = [cell.strip().lower() for cell in header]

    def named(candidates: tuple[str, ...]) -> int | None:
        return next((names.index(name) for name in candidates if name in names), None)

    user_column, item_column = named(USER_COLUMNS), named(ITEM_COLUMNS)
    rating_column = named(RATING_COLUMNS)
    if user_column is None or item_column is None or rating_column is None:
        return 0, 1, DATASETS[dataset]
    return user_column, item_column, rating_column


def read_ratings_dir(
    folder: Path, dataset: str, users: IdIndex, items: IdIndex, *, with_trust: bool
) -> RatingsDataset:
    """``<dataset>_ratings.csv[.gz]`` (required) and ``<dataset>_trust.csv[.gz]`` of ``folder``."""
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}; expected one of {', '.join(DATASETS)}")
    ratings_path = _find(folder, f"{dataset}_ratings")
    if ratings_path is None:
        raise FileNotFoundError(f"{folder}: no {dataset}_ratings.csv or {dataset}_ratings.csv.gz")
    user: list[int] = []
    item: list[int] = []
    rating: list[float] = []
    rows = list(_rows(ratings_path))
    # A file without a header (its first row all numbers) is read by the shared positions.
    header = rows[0][1] if rows and not all(_is_number(cell) for cell in rows[0][1]) else []
    user_column, item_column, column = _rating_columns(header, dataset)
    for number, row in rows[1:] if header else rows:
        try:
            value = float(row[column])
            user_id, item_id = row[user_column], row[item_column]
        except (IndexError, ValueError):
            message = f"{ratings_path}: line {number} has no rating in column {column + 1}"
            raise ValueError(message) from None
        user.append(users(user_id))
        item.append(items(item_id))
        rating.append(value)
    trust: TrustEdges | None = None
    trust_path = _find(folder, f"{dataset}_trust") if with_trust else None
    if trust_path is not None:
        edges = [row for _, row in _rows(trust_path)]
        if edges and not all(_is_number(cell) for cell in edges[0]):
            edges = edges[1:]  # the header
        pairs = [(users(row[0]), users(row[1])) for row in edges]
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
