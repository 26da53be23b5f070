"""What every format's parser yields: a message to import, or a row it could not read.

Parsers are pure (no database); the loader (loader.py) resolves sources, authors, parents
and products, and writes.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from django.utils.translation import gettext_noop

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
#: stderr, logs) and, marked for translation, the sentence the upload page words in the
#: reader's language (cluetrain/imports/reasons.py). The unmarked ones are pydantic's or
#: Python's own words.
ENGLISH: dict[str, str] = {
    "missing_columns": gettext_noop("missing column(s): %(columns)s"),
    "too_few_columns": gettext_noop("too few columns"),
    "columns_short": gettext_noop("expected at least %(width)s columns, found %(found)s"),
    "empty_review": gettext_noop("reviewer, product and text must not be empty"),
    "empty_author": gettext_noop("author_id is empty"),
    "tweet_id_not_a_number": gettext_noop("tweet id %(value)s is not a number"),
    "stars_not_a_whole_number": gettext_noop("stars %(value)s is not a whole number"),
    "stars_range": gettext_noop("stars must be 1 to 5, not %(stars)s"),
    "inbound_not_true_or_false": gettext_noop("inbound must be True or False, not %(value)s"),
    "created_at_not_like": gettext_noop("created_at %(value)s is not like %(example)s"),
    "time_not_iso": gettext_noop("time %(value)s is not a date and time (ISO 8601)"),
    "unreadable_feed": gettext_noop("not a readable feed: %(detail)s"),
    "entry_without_id": gettext_noop("entry has neither id nor link"),
    "entry_without_text": gettext_noop("entry has no text"),
    "entry_without_date": gettext_noop("no published or updated date"),
    # pydantic's words; its error type and context (`type`, ...) let the platform word it.
    "invalid_json": "%(detail)s",
    "invalid_field": "%(field)s: %(detail)s",
    "rating_without_product": gettext_noop("rating: a rating needs a product"),
    "unreadable_gz": gettext_noop("not a readable .gz file: %(detail)s"),
    "no_source": gettext_noop("no source: give --source NAME"),
    "id_too_long": gettext_noop("id longer than %(limit)s characters"),
    "unknown_product": gettext_noop(
        "unknown product %(product)s: no product has that name or slug"
    ),
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
