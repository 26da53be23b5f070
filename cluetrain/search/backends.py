"""Site search over SearchEntry: SQLite FTS5 or PostgreSQL full-text, behind one interface.

The vendor is picked per call from `connection.vendor`. SQLite queries its FTS5 table in SQL
(Django has no FTS5 support); PostgreSQL goes through django.contrib.postgres.search. Both:
- never raise on user input (SQLite gets a quoted FTS5 expression, PostgreSQL a websearch
  query, which accepts anything);
- filter by the viewer's readable visibilities, so private-space posts never leak;
- return snippets as safe HTML in which only the <mark> highlights are markup.
"""

import re
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import CombinedExpression
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
_PG_CONFIG = "english"


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


def postgres_search_vector() -> CombinedExpression:
    """Title (weight A) and body (weight B) as one tsvector.

    Must stay EXACTLY the expression of the GIN index search_entry_fts_idx (migration
    search/0004 builds it from the same Django expression), or PostgreSQL stops using it.
    """
    return SearchVector("title", weight="A", config=_PG_CONFIG) + SearchVector(
        "body", weight="B", config=_PG_CONFIG
    )


def postgres_search_query(text: str) -> SearchQuery:
    """The user's words as a websearch query: quotes, OR and -word work, nothing raises."""
    return SearchQuery(text, config=_PG_CONFIG, search_type="websearch")


def postgres_matching_entries(search_query: SearchQuery) -> QuerySet[SearchEntry]:
    """Entries matching the query, through the GIN index, with their `vector` annotated."""
    return SearchEntry.objects.annotate(vector=postgres_search_vector()).filter(vector=search_query)


def _search_entries(
    kind: str, query: str, visibilities: list[str], limit: int, offset: int
) -> tuple[int, list[tuple[int, float, str]]]:
    """(total, [(object_id, rank, snippet)]) for one kind of entry, best first."""
    limit = max(0, min(limit, 100))
    offset = max(0, offset)
    if connection.vendor == "postgresql":
        return _search_entries_postgres(kind, query, visibilities, limit, offset)
    return _search_entries_sqlite(kind, query, visibilities, limit, offset)


def _search_entries_postgres(
    kind: str, query: str, visibilities: list[str], limit: int, offset: int
) -> tuple[int, list[tuple[int, float, str]]]:
    text = clean_query(query)
    if not text:
        return 0, []
    search_query = postgres_search_query(text)
    entries = postgres_matching_entries(search_query).filter(kind=kind, visibility__in=visibilities)
    total = entries.count()
    if total == 0 or limit == 0:
        return total, []
    page = (
        entries.annotate(
            rank=SearchRank(F("vector"), search_query),
            # PostgreSQL makes headlines only for the rows the LIMIT keeps (it is costly).
            snippet=SearchHeadline(
                "body",
                search_query,
                config=_PG_CONFIG,
                start_sel=_MARK_START,
                stop_sel=_MARK_END,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", "-created_at", "-id")
        .values_list("object_id", "rank", "snippet")[offset : offset + limit]
    )
    return total, [(object_id, float(rank), snippet or "") for object_id, rank, snippet in page]


def _search_entries_sqlite(
    kind: str, query: str, visibilities: list[str], limit: int, offset: int
) -> tuple[int, list[tuple[int, float, str]]]:
    expression = fts5_expression(query)
    if not expression:
        return 0, []
    placeholders = ", ".join(["%s"] * len(visibilities))
    where = f"search_fts MATCH %s AND e.kind = %s AND e.visibility IN ({placeholders})"
    where_params: list[Any] = [expression, kind, *visibilities]
    join = "search_fts JOIN search_searchentry e ON e.id = search_fts.rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {join} WHERE {where}", where_params)  # noqa: S608 - only placeholders are interpolated
        total = int(cursor.fetchone()[0])
        if total == 0 or limit == 0:
            return total, []
        cursor.execute(
            f"""
            SELECT e.object_id, bm25(search_fts, {_TITLE_WEIGHT}, {_BODY_WEIGHT}) AS rank,
                   snippet(search_fts, 1, '{_MARK_START}', '{_MARK_END}', ' … ', 24)
            FROM {join} WHERE {where}
            ORDER BY rank, e.created_at DESC, e.id DESC
            LIMIT %s OFFSET %s
            """,  # noqa: S608 - only constants and placeholders are interpolated
            [*where_params, limit, offset],
        )
        rows = cursor.fetchall()
    return total, [(int(row[0]), float(row[1]), str(row[2] or "")) for row in rows]


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
