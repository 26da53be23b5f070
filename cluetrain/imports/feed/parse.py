"""RSS and Atom feeds through feedparser: each entry is a blog post that starts a thread;
an entry with Atom threading's `thr:in-reply-to` (comment feeds of WordPress, Blogger...)
is a comment on the entry it names.

feedparser reads the whole document (feeds are small), so errors are reported by entry
number, counted from 1 in document order, not by line.
"""

import calendar
import html
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, TextIO

import feedparser
import nh3

from cluetrain.imports.records import Message, Parsed, RowError, RowProblem, row_error


def _when(entry: Any) -> datetime:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed is None:
        raise RowProblem("entry_without_date")
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)


def _html(entry: Any) -> str:
    """The entry's HTML; empty when the feed says it is plain text."""
    content = (entry.get("content") or [None])[0] or entry.get("summary_detail") or {}
    if content.get("type") == "text/plain":
        return ""
    return str(content.get("value") or entry.get("summary", ""))


def _plain_content(entry: Any) -> str:
    content = (entry.get("content") or [None])[0] or entry.get("summary_detail") or {}
    return str(content.get("value", "")).strip()


def plain_text(markup: str) -> str:
    return html.unescape(nh3.clean(markup, tags=set())).strip()


def parse(stream: TextIO) -> Iterator[Parsed]:
    document = feedparser.parse(stream.read())
    if document.bozo and not document.entries:
        yield RowError(1, "unreadable_feed", {"detail": str(document.get("bozo_exception"))})
        return
    feed_title = str(document.feed.get("title", "")).strip()
    for number, entry in enumerate(document.entries, 1):
        try:
            external_id = str(entry.get("id") or entry.get("link") or "").strip()
            if not external_id:
                raise RowProblem("entry_without_id")
            markup = _html(entry)
            text = plain_text(markup) if markup else _plain_content(entry)
            text = text or str(entry.get("title", "")).strip()
            if not text:
                raise RowProblem("entry_without_text")
            reply_to = entry.get("thr_in-reply-to") or {}
            link = str(entry.get("link", ""))
            author = str(entry.get("author", "")).strip()
            yield Message(
                line=number,
                external_id=external_id[:200],
                source=feed_title,
                author_id=author or feed_title or "unknown",
                author_name=author,
                created_at=_when(entry),
                text=text,
                html=markup,
                parent_id=str(reply_to["ref"]) if reply_to.get("ref") else None,
                title=str(entry.get("title", "")).strip()[:200],
                url=link if link.startswith(("http://", "https://")) and len(link) <= 200 else "",
                kind="article",
            )
        except ValueError as error:
            yield row_error(number, error)
