"""Reader of the Deceptive Opinion Spam layout (Ott et al.; reviews_deceptive_opinion/).

Columns ``id, deceptive, hotel, polarity, source, text`` in any order (others are ignored),
possibly gzipped (see cluetrain_lab.files).
Only ``deceptive`` (the label), ``polarity`` and ``text`` are read as data; ``hotel`` only to
group the cross-validation folds. ``source`` (MTurk, TripAdvisor, Web) gives the label away and
is never read.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from cluetrain_lab.files import text_lines

__all__ = ["LABELS", "POLARITIES", "Review", "read_reviews"]

#: Label value -> deceptive?
LABELS = {"deceptive": True, "truthful": False}
POLARITIES = ("positive", "negative")
REQUIRED = ("deceptive", "polarity", "text")


@dataclass(frozen=True)
class Review:
    text: str
    polarity: str
    deceptive: bool
    #: Only for grouping folds; "" when the file has no hotel column.
    hotel: str = ""


def read_reviews(path: Path) -> list[Review]:
    """Every row of ``path``; ``ValueError`` naming the row for a missing column or bad value.
    Column names are matched without regard to case or surrounding spaces."""
    reader = csv.DictReader(text_lines(path))
    if reader.fieldnames is not None:
        reader.fieldnames = [name.strip().lower() for name in reader.fieldnames]
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or ())]
    if missing:
        raise ValueError(f"{path.name} lacks the column(s) {', '.join(missing)}")
    reviews = []
    for row in reader:
        line = reader.line_num
        label = (row["deceptive"] or "").strip().lower()
        polarity = (row["polarity"] or "").strip().lower()
        if label not in LABELS:
            raise ValueError(
                f"{path.name} line {line}: deceptive must be deceptive or truthful, "
                f"not {row['deceptive']!r}"
            )
        if polarity not in POLARITIES:
            raise ValueError(
                f"{path.name} line {line}: polarity must be positive or negative, "
                f"not {row['polarity']!r}"
            )
        reviews.append(
            Review(
                text=row["text"] or "",
                polarity=polarity,
                deceptive=LABELS[label],
                hotel=(row.get("hotel") or "").strip().lower(),
            )
        )
    if not reviews:
        raise ValueError(f"{path.name} has no reviews")
    return reviews
