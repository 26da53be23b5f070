"""What every format's parser yields: a message to import, or a row it could not read.

Parsers are pure (no database); the loader (loader.py) resolves sources, authors, parents
and products, and writes.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

ThreadKind = Literal["conversation", "article", "review"]


@dataclass(slots=True)
class Message:
    line: int  # where the message starts in the file, for error reports
    external_id: str  # unique per source; re-importing skips ids already there
    author_id: str
    created_at: datetime
    text: str  # plain text (search and body_md)
    source: str = ""  # source name from the file; empty: the import's default source
    author_name: str = ""
    is_brand: bool = False  # the account speaks for a brand (its staff)
    parent_id: str | None = None  # external id of the message this one answers
    html: str = ""  # HTML from the file (feeds); sanitized by the loader
    title: str = ""  # title of the thread this message starts, if it starts one
    url: str = ""
    language: str = ""
    rating: int | None = None  # 1..5 stars; needs a product
    product: str = ""
    kind: ThreadKind = "conversation"


Values = Mapping[str, str | int]

#: Each cue of a row error in English, with the values it names: the record (the command's
#: stderr, logs). The platform words the same cues in the reader's language
#: (cluetrain/imports/reasons.py; a test keeps the two alike).
ENGLISH: dict[str, str] = {
    "missing_columns": "missing column(s): %(columns)s",
    "too_few_columns": "too few columns",
    "columns_short": "expected at least %(width)s columns, found %(found)s",
    "empty_review": "reviewer, product and text must not be empty",
    "empty_author": "author_id is empty",
    "tweet_id_not_a_number": "tweet id %(value)s is not a number",
    "stars_not_a_whole_number": "stars %(value)s is not a whole number",
    "stars_range": "stars must be 1 to 5, not %(stars)s",
    "inbound_not_true_or_false": "inbound must be True or False, not %(value)s",
    "created_at_not_like": "created_at %(value)s is not like %(example)s",
    "time_not_iso": "time %(value)s is not a date and time (ISO 8601)",
    "unreadable_feed": "not a readable feed: %(detail)s",
    "entry_without_id": "entry has neither id nor link",
    "entry_without_text": "entry has no text",
    "entry_without_date": "no published or updated date",
    # pydantic's words; its error type and context (`type`, ...) let the platform word it.
    "invalid_json": "%(detail)s",
    "invalid_field": "%(field)s: %(detail)s",
    "rating_without_product": "rating: a rating needs a product",
    "unreadable_gz": "not a readable .gz file: %(detail)s",
    "no_source": "no source: give --source NAME",
    "id_too_long": "id longer than %(limit)s characters",
    "unknown_product": "unknown product %(product)s: no product has that name or slug",
    # A failure no cue foresaw, in Python's words.
    "unreadable_row": "%(detail)s",
}


@dataclass(slots=True, frozen=True)
class RowError:
    """A row the importer could not take: where, the cue of ENGLISH that says why, and the
    values that cue names (worded when shown: in English here, in the reader's language on
    the upload page)."""

    line: int
    cue: str
    values: Values = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """In English."""
        return ENGLISH[self.cue] % self.values

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class RowProblem(ValueError):
    """Raised inside a parser for the row it is reading: becomes that row's RowError."""

    def __init__(self, cue: str, **values: str | int) -> None:
        super().__init__(ENGLISH[cue] % values)
        self.cue = cue
        self.values = values

    def at(self, line: int) -> RowError:
        return RowError(line, self.cue, self.values)


def row_error(line: int, error: Exception) -> RowError:
    """A parser's failure on one row: its cue, or Python's own words for an unforeseen one."""
    if isinstance(error, RowProblem):
        return error.at(line)
    return RowError(line, "unreadable_row", {"detail": str(error)})


Parsed = Message | RowError
