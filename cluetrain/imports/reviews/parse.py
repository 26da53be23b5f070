"""Review CSV: reviewer, product, stars, title, text, time (optional: id, url).

Without an `id` column a review is known by a hash of reviewer, product, time and title,
so importing the same file again finds the same ids.
"""

import csv
import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TextIO

from cluetrain.imports.records import Message, Parsed, RowError, RowProblem, row_error

REQUIRED = ("reviewer", "product", "stars", "title", "text", "time")


def parse_time(value: str) -> datetime:
    """ISO 8601; a date or time without a zone is taken as UTC."""
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        raise RowProblem("time_not_iso", value=repr(value)) from None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _stars(value: str) -> int:
    try:
        stars = int(value.strip())
    except ValueError:
        raise RowProblem("stars_not_a_whole_number", value=repr(value)) from None
    if not 1 <= stars <= 5:
        raise RowProblem("stars_range", stars=stars)
    return stars


def parse(stream: TextIO) -> Iterator[Parsed]:
    reader = csv.DictReader(stream)
    missing = [name for name in REQUIRED if name not in (reader.fieldnames or [])]
    if missing:
        yield RowError(1, "missing_columns", {"columns": ", ".join(missing)})
        return
    line = reader.line_num + 1
    for row in reader:
        start, line = line, reader.line_num + 1
        try:
            if None in row.values():
                raise RowProblem("too_few_columns")
            reviewer, product = row["reviewer"].strip(), row["product"].strip()
            text = row["text"].strip()
            if not reviewer or not product or not text:
                raise RowProblem("empty_review")
            external_id = (row.get("id") or "").strip() or hashlib.sha1(
                "\x1f".join((reviewer, product, row["time"].strip(), row["title"])).encode(),
                usedforsecurity=False,
            ).hexdigest()
            url = (row.get("url") or "").strip()
            yield Message(
                line=start,
                external_id=external_id,
                author_id=reviewer,
                created_at=parse_time(row["time"]),
                text=text,
                title=row["title"].strip()[:200],
                url=url if len(url) <= 200 else "",
                rating=_stars(row["stars"]),
                product=product,
                kind="review",
            )
        except ValueError as error:
            yield row_error(start, error)
