"""Cascades as plain data: who shared from whom and when, read from the Twitter15/16 layout.

A cascade is a root message and the shares that followed it. Each share is one
:class:`Share` ``(parent, child, delay_min, user)``: the node it was shared from, its own node id,
the minutes after the root, and who made it. The platform builds the same structure from its
reply, share and mention trees; :func:`read_cascades` builds it from a folder in the layout of
``cascades_twitter1516`` (``edges.csv[.gz]`` and, optionally, ``labels.csv[.gz]``).

How raw edges become shares (see docs/spread.md):

- the ``ROOT`` row names the source tweet; it is the root node, not a share;
- a node is ``uid:tweet_id``; a node that appears again as a child (the tree files repeat some)
  counts once, at its earliest delay, so the final size is the number of distinct shares;
- rows come in any order: shares are sorted by delay (ties keep file order);
- a negative delay (a clock artefact in the source) counts as 0: the share is there at once;
- a share whose delay is below its parent's keeps its own delay: the time is what was observed,
  the inferred parent is what the source tree guessed.
"""

import csv
import gzip
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, TextIO

__all__ = [
    "EDGE_COLUMNS",
    "LABEL_COLUMNS",
    "Cascade",
    "CascadeKey",
    "Share",
    "first_shares",
    "observe",
    "read_cascades",
]

EDGE_COLUMNS = (
    "dataset",
    "root_tweet_id",
    "parent_uid",
    "parent_tweet_id",
    "parent_delay_min",
    "child_uid",
    "child_tweet_id",
    "child_delay_min",
)
LABEL_COLUMNS = ("dataset", "root_tweet_id", "label")
_ROOT = "ROOT"

#: ``(dataset, root_tweet_id)``: the same source tweet in two datasets is two cascades.
CascadeKey = tuple[str, str]


class Share(NamedTuple):
    """One share: ``child`` shared ``parent``'s message ``delay_min`` minutes after the root."""

    parent: str
    child: str
    delay_min: float
    #: Who shared; empty means "the child node's own id is the user".
    user: str = ""


@dataclass(frozen=True)
class Cascade:
    """A root message and its shares, sorted by delay.

    Examples
    --------
    >>> cascade = Cascade.from_shares("r", [("r", "a", 2.0), ("a", "b", 1.0), ("r", "a", 5.0)])
    >>> [share.child for share in cascade.shares], cascade.size
    (['b', 'a'], 2)
    """

    root: str
    shares: tuple[Share, ...]
    label: str = field(default="", compare=False)

    @classmethod
    def from_shares(
        cls,
        root: str,
        shares: Iterable[Share | tuple[str, str, float] | tuple[str, str, float, str]],
        *,
        label: str = "",
    ) -> "Cascade":
        """Clean raw ``(parent, child, delay_min[, user])`` rows into a cascade.

        Negative delays become 0, a child seen twice keeps its earliest share, a share of the
        root by the root itself is dropped, and the shares are sorted by delay.
        """
        earliest: dict[str, Share] = {}
        for row in shares:
            share = Share(*row)
            if share.child == root:
                continue
            share = share._replace(delay_min=max(float(share.delay_min), 0.0))
            known = earliest.get(share.child)
            if known is None or share.delay_min < known.delay_min:
                earliest[share.child] = share
        ordered = sorted(earliest.values(), key=lambda share: share.delay_min)
        return cls(root=root, shares=tuple(ordered), label=label)

    @property
    def size(self) -> int:
        """The number of distinct shares (the root not counted)."""
        return len(self.shares)


def observe(cascade: Cascade, minutes: float) -> Cascade:
    """The cascade as seen ``minutes`` after its root: the shares with ``delay_min <= minutes``.

    Examples
    --------
    >>> cascade = Cascade.from_shares("r", [("r", "a", 2.0), ("a", "b", 9.0)])
    >>> observe(cascade, 5).size
    1
    """
    kept = tuple(share for share in cascade.shares if share.delay_min <= minutes)
    return Cascade(root=cascade.root, shares=kept, label=cascade.label)


def first_shares(cascade: Cascade, k: int) -> Cascade:
    """The cascade as seen when it had its first ``k`` shares (all of them if it has fewer).

    Examples
    --------
    >>> cascade = Cascade.from_shares("r", [("r", "a", 2.0), ("a", "b", 9.0)])
    >>> [share.child for share in first_shares(cascade, 1).shares]
    ['a']
    """
    if k < 0:
        raise ValueError(f"k must not be negative, got {k}")
    return Cascade(root=cascade.root, shares=cascade.shares[:k], label=cascade.label)


def _find(folder: Path, stem: str, *, required: bool) -> Path | None:
    for name in (f"{stem}.csv.gz", f"{stem}.csv"):
        if (folder / name).is_file():
            return folder / name
    if required:
        raise FileNotFoundError(f"{folder} has no {stem}.csv.gz or {stem}.csv")
    return None


def _open_text(path: Path) -> TextIO:
    """UTF-8 text, a byte-order mark dropped (it hid the first column's name); a gzip file
    told by its first bytes, whatever its name."""
    with path.open("rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
    if gzipped:
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def _rows(path: Path, columns: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    with _open_text(path) as file:
        reader = csv.DictReader(file)
        missing = [name for name in columns if name not in (reader.fieldnames or ())]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
        for row in reader:
            yield reader.line_num, row


def _minutes(path: Path, line: int, row: dict[str, str], column: str) -> float:
    try:
        return float(row[column])
    except (TypeError, ValueError):
        raise ValueError(f"{path}:{line}: {column} is not a number: {row[column]!r}") from None


def read_cascades(folder: str | Path) -> dict[CascadeKey, Cascade]:
    """Read every cascade of a folder in the ``cascades_twitter1516`` layout.

    Parameters
    ----------
    folder : str or Path
        Holds ``edges.csv.gz`` or ``edges.csv`` and, optionally, ``labels.csv.gz`` or
        ``labels.csv``. A cascade listed in the labels with no edges has no shares.

    Returns
    -------
    dict
        ``(dataset, root_tweet_id)`` to :class:`Cascade`, in the order first seen.

    Raises
    ------
    FileNotFoundError
        If the folder or its edges file is missing.
    ValueError
        If a column is missing, a delay is not a number, or a cascade has no ``ROOT`` row.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder")
    edges_path = _find(folder, "edges", required=True)
    assert edges_path is not None  # required=True raises instead of returning None
    raw: dict[CascadeKey, list[Share]] = {}
    roots: dict[CascadeKey, str] = {}
    for line, row in _rows(edges_path, EDGE_COLUMNS):
        key = (row["dataset"], row["root_tweet_id"])
        child = f"{row['child_uid']}:{row['child_tweet_id']}"
        delay = _minutes(edges_path, line, row, "child_delay_min")
        if row["parent_uid"] == _ROOT:
            roots[key] = child
            raw.setdefault(key, [])
            continue
        parent = f"{row['parent_uid']}:{row['parent_tweet_id']}"
        raw.setdefault(key, []).append(Share(parent, child, delay, row["child_uid"]))
    labels: dict[CascadeKey, str] = {}
    labels_path = _find(folder, "labels", required=False)
    if labels_path is not None:
        for _line, row in _rows(labels_path, LABEL_COLUMNS):
            labels[(row["dataset"], row["root_tweet_id"])] = row["label"]
    cascades: dict[CascadeKey, Cascade] = {}
    for key, shares in raw.items():
        if key not in roots:
            raise ValueError(f"{edges_path}: cascade {key[0]}/{key[1]} has no ROOT row")
        cascades[key] = Cascade.from_shares(roots[key], shares, label=labels.get(key, ""))
    for key, label in labels.items():
        if key not in cascades:
            cascades[key] = Cascade(root=f"{key[1]}", shares=(), label=label)
    return cascades
