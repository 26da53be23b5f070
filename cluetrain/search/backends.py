"""Site search over SearchEntry: SQLite FTS5 or PostgreSQL full-text, behind one interface.

The vendor is picked per call from `connection.vendor`. Both backends:
- never raise on user input (SQLite gets a quoted FTS5 expression, PostgreSQL uses
  `websearch_to_tsquery`, which accepts anything);
- filter by the viewer's readable visibilities, so private-space posts never leak;
- return snippets as safe HTML in which only the <mark> highlights are markup.
"""

import re
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cluetrain.members.models import Member
from cluetrain.search.models import SearchEntry
from cluetrain.spaces.access import Viewer, readable_visibilities
from cluetrain.threads.models import Post

QUERY_MAX_CHARS = 200
QUERY_MAX_TERMS = 16
# Private-use characters mark highlights inside the database's snippet, so that the whole
# snippet can be HTML-escaped first and only then get its <mark> tags.
_MARK_START = "\ue000"
_MARK_END = "\ue001"
_TERM_RE = re.compile(r"\w+", re.UNICODE)
_TITLE_WEIGHT = 10.0
_BODY_WEIGHT = 1.0
# Must be EXACTLY the expression of the GIN index search_entry_fts_idx (migration 0002).
_PG_VECTOR = (
    "(setweight(to_tsvector('english', e.title), 'A') || "
    "setweight(to_tsvector('english', e.body), 'B'))"
)
_PG_HEADLINE_OPTIONS = (
    f'StartSel="{_MARK_START}", StopSel="{_MARK_END}", MaxWords=30, MinWords=12, '
    'MaxFragments=2, FragmentDelimiter=" … "'
)


@dataclass
class Hit:
    object_id: int
    rank: float
    snippet: SafeString


@dataclass
class PostHit(Hit):
    post: Post | None = None


@dataclass
class MemberHit(Hit):
    member: Member | None = None


H = TypeVar("H", bound=Hit)


@dataclass
class SearchResults(Generic[H]):
    query: str
    total: int
    hits: list[H] = field(default_factory=list)


def clean_query(query: str) -> str:
    """The user's text, bounded and without characters no database accepts."""
    return (
        query.replace("\x00", " ")
        .replace(_MARK_START, " ")
        .replace(_MARK_END, " ")[:QUERY_MAX_CHARS]
        .strip()
    )


def fts5_expression(query: str) -> str:
    """Each word quoted as an FTS5 string, so no user text is ever FTS5 syntax.

    Words are ANDed (FTS5's implicit operator); the porter tokenizer still stems each one.
    """
    terms = _TERM_RE.findall(clean_query(query))[:QUERY_MAX_TERMS]
    return " ".join(f'"{term}"' for term in terms)


def highlight(snippet: str) -> SafeString:
    """Escape the database's snippet, then turn its highlight markers into <mark> tags."""
    escaped = str(escape(snippet))
    if escaped.count(_MARK_START) != escaped.count(_MARK_END):
        escaped = escaped.replace(_MARK_START, "").replace(_MARK_END, "")
    return mark_safe(  # noqa: S308 - escaped above; only our own <mark> tags are added
        escaped.replace(_MARK_START, "<mark>").replace(_MARK_END, "</mark>")
    )


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _search_entries(
    kind: str, query: str, visibilities: list[str], limit: int, offset: int
) -> tuple[int, list[tuple[int, float, str]]]:
    """(total, [(object_id, rank, snippet)]) for one kind of entry, best first."""
    limit = max(0, min(limit, 100))
    offset = max(0, offset)
    placeholders = ", ".join(["%s"] * len(visibilities))
    if connection.vendor == "postgresql":
        text = clean_query(query)
        if not text:
            return 0, []
        where = (
            f"{_PG_VECTOR} @@ websearch_to_tsquery('english', %s) "
            f"AND e.kind = %s AND e.visibility IN ({placeholders})"
        )
        where_params: list[Any] = [text, kind, *visibilities]
        count = _rows(f"SELECT count(*) FROM search_searchentry e WHERE {where}", where_params)  # noqa: S608 - only placeholders are interpolated
        page_sql = f"""
            SELECT page.object_id, page.rank,
                   ts_headline('english', page.body, websearch_to_tsquery('english', %s), %s)
            FROM (
                SELECT e.object_id, e.body, e.created_at,
                       ts_rank({_PG_VECTOR}, websearch_to_tsquery('english', %s)) AS rank
                FROM search_searchentry e WHERE {where}
                ORDER BY rank DESC, e.created_at DESC, e.id DESC
                LIMIT %s OFFSET %s
            ) page
            ORDER BY page.rank DESC, page.created_at DESC
        """  # noqa: S608 - only placeholders are interpolated
        params = [text, _PG_HEADLINE_OPTIONS, text, *where_params, limit, offset]
    else:
        expression = fts5_expression(query)
        if not expression:
            return 0, []
        where = f"search_fts MATCH %s AND e.kind = %s AND e.visibility IN ({placeholders})"
        where_params = [expression, kind, *visibilities]
        join = "search_fts JOIN search_searchentry e ON e.id = search_fts.rowid"
        count = _rows(f"SELECT count(*) FROM {join} WHERE {where}", where_params)  # noqa: S608 - only placeholders are interpolated
        page_sql = f"""
            SELECT e.object_id, bm25(search_fts, {_TITLE_WEIGHT}, {_BODY_WEIGHT}) AS rank,
                   snippet(search_fts, 1, '{_MARK_START}', '{_MARK_END}', ' … ', 24)
            FROM {join} WHERE {where}
            ORDER BY rank, e.created_at DESC, e.id DESC
            LIMIT %s OFFSET %s
        """  # noqa: S608 - only constants and placeholders are interpolated
        params = [*where_params, limit, offset]
    total = int(count[0][0])
    if total == 0 or limit == 0:
        return total, []
    rows = _rows(page_sql, params)
    return total, [
        (
            int(row[0]),
            float(row[1]),
            str(row[2] or ""),
        )
        for row in rows
    ]


def search_posts(
    viewer: Viewer, query: str, *, limit: int = 20, offset: int = 0
) -> SearchResults[PostHit]:
    """Posts the viewer may read that match `query`, best first, with their thread loaded."""
    total, rows = _search_entries(
        SearchEntry.Kind.POST, query, readable_visibilities(viewer), limit, offset
    )
    posts = Post.objects.select_related("thread__space", "author").in_bulk([row[0] for row in rows])
    hits = []
    for object_id, rank, snippet in rows:
        post = posts.get(object_id)
        # Belt and braces: the index should already have dropped hidden or deleted posts.
        if post is None or post.is_hidden or post.is_deleted or post.thread.is_hidden:
            continue
        if post.thread.space.visibility not in readable_visibilities(viewer):
            continue
        hits.append(PostHit(object_id, rank, highlight(snippet), post=post))
    return SearchResults(query=query, total=total, hits=hits)


def search_members(query: str, *, limit: int = 20, offset: int = 0) -> SearchResults[MemberHit]:
    """Active members whose name, username or profile match `query`, best first."""
    total, rows = _search_entries(SearchEntry.Kind.MEMBER, query, ["public"], limit, offset)
    members = Member.objects.select_related("profile").in_bulk([row[0] for row in rows])
    hits = []
    for object_id, rank, snippet in rows:
        member = members.get(object_id)
        if member is None or not member.is_active:
            continue
        hits.append(MemberHit(object_id, rank, highlight(snippet), member=member))
    return SearchResults(query=query, total=total, hits=hits)
