"""What every format's parser yields: a message to import, or a row it could not read.

Parsers are pure (no database); the loader (loader.py) resolves sources, authors, parents
and products, and writes.
"""

from dataclasses import dataclass
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


@dataclass(slots=True, frozen=True)
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


Parsed = Message | RowError
