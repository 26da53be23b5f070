"""The home feed: threads a member cares about, newest or hottest first.

A member's own feed holds threads in spaces they follow, started by people they follow or are
connected with, threads they have posted in, and what apps above add (`register_feed_filter`:
the posts of blogs one follows). Visitors, and members whose feed is empty,
get the community-wide feed. Only threads in spaces the viewer may read, never hidden ones.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from cluetrain.core.fragments import ago, fragment_key
from cluetrain.members.models import Connection, Member
from cluetrain.spaces.access import Viewer, readable_space_filter
from cluetrain.spaces.models import SpaceFollow
from cluetrain.threads.models import Post, Reaction, Thread
from cluetrain_analytics.ranking import hot_points, rank_hot

PAGE_SIZE = 25
# "Hot" ranks only this many of the most recently active threads, so its cost stays bounded.
HOT_CANDIDATES = 300
MAX_PAGE = 40

NEW = "new"
HOT = "hot"
TABS = (NEW, HOT)


# Apps above threads add what a member follows there, as a filter on Thread.
FeedFilter = Callable[[Member], Q]
_FEED_FILTERS: list[FeedFilter] = []


def register_feed_filter(feed_filter: FeedFilter) -> None:
    """Call from an AppConfig.ready(): the threads `feed_filter(member)` matches join the
    member's own feed."""
    if feed_filter not in _FEED_FILTERS:
        _FEED_FILTERS.append(feed_filter)


@dataclass(frozen=True)
class Feed:
    threads: list[Thread]
    tab: str
    page: int
    has_next: bool
    # False: the community-wide feed, shown to visitors and to members who follow nothing.
    personal: bool


def readable_threads(viewer: Viewer) -> QuerySet[Thread]:
    return Thread.objects.filter(readable_space_filter(viewer), is_hidden=False)


def personal_filter(member: Member) -> Q:
    """Threads in followed spaces, by followed or connected people, or with the member's posts."""
    followed_spaces = SpaceFollow.objects.filter(member=member).values("space_id")
    followed_people = Connection.objects.filter(
        from_member=member,
        kind__in=[Connection.Kind.FOLLOW, Connection.Kind.CONNECT],
        status=Connection.Status.ACCEPTED,
    ).values("to_member_id")
    connected_people = Connection.objects.filter(
        to_member=member, kind=Connection.Kind.CONNECT, status=Connection.Status.ACCEPTED
    ).values("from_member_id")
    taken_part = Post.objects.filter(author=member, is_deleted=False).values("thread_id")
    mine = (
        Q(space_id__in=followed_spaces)
        | Q(author_id__in=followed_people)
        | Q(author_id__in=connected_people)
        | Q(pk__in=taken_part)
    )
    for feed_filter in _FEED_FILTERS:
        mine |= feed_filter(member)
    return mine


def _with_display_fields(threads: QuerySet[Thread]) -> QuerySet[Thread]:
    # A reply, not the opening post: staff starting a thread is not "staff replied".
    staff_reply = Post.objects.filter(
        thread=OuterRef("pk"),
        parent__isnull=False,
        is_staff_reply=True,
        is_hidden=False,
        is_deleted=False,
    )
    # A thread without an author was imported (its opening post has an outside author) or
    # its author deleted their account: the feed says which, as the thread page does.
    imported = Post.objects.filter(
        thread=OuterRef("pk"), parent__isnull=True, external_author__isnull=False
    )
    return threads.select_related("space", "author").annotate(
        has_staff_reply=Exists(staff_reply), is_imported=Exists(imported)
    )


def _reaction_count() -> Subquery:
    reactions = (
        Reaction.objects.filter(post__thread=OuterRef("pk"), post__is_hidden=False)
        .order_by()
        .values("post__thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(reactions, output_field=IntegerField())


def _hot_order(threads: QuerySet[Thread], now: datetime) -> list[int]:
    """Thread ids, hottest first, among the HOT_CANDIDATES most recently active."""
    candidates = (
        threads.order_by("-last_activity_at", "-pk")
        .annotate(
            reactions=Coalesce(_reaction_count(), Value(0)),
            votes=Coalesce("idea__vote_count", Value(0)),
        )
        .values_list("pk", "reply_count", "reactions", "votes", "created_at")[:HOT_CANDIDATES]
    )
    return rank_hot(
        (
            pk,
            hot_points(replies=replies, reactions=reactions, votes=votes),
            (now - created_at).total_seconds() / 3600,
        )
        for pk, replies, reactions, votes, created_at in candidates
    )


def build_feed(viewer: Viewer, *, tab: str = NEW, page: int = 1) -> Feed:
    tab = tab if tab in TABS else NEW
    page = min(max(page, 1), MAX_PAGE)
    threads = readable_threads(viewer)
    if isinstance(viewer, Member):
        mine = threads.filter(personal_filter(viewer))
        # The page first: a personal feed with threads on it needs no separate "any?" query.
        items, has_next = _page(mine, tab, page)
        if items or (page > 1 and mine.exists()):
            return Feed(threads=items, tab=tab, page=page, has_next=has_next, personal=True)
    items, has_next = _page(threads, tab, page)
    return Feed(threads=items, tab=tab, page=page, has_next=has_next, personal=False)


def _page(threads: QuerySet[Thread], tab: str, page: int) -> tuple[list[Thread], bool]:
    """The threads of one page, in the tab's order, and whether a next page has any."""
    start = (page - 1) * PAGE_SIZE
    if tab == HOT:
        ranked = _hot_order(threads, timezone.now())
        page_ids = ranked[start : start + PAGE_SIZE]
        by_id = _with_display_fields(Thread.objects.filter(pk__in=page_ids)).in_bulk()
        return [by_id[pk] for pk in page_ids if pk in by_id], len(ranked) > start + PAGE_SIZE
    window = list(
        _with_display_fields(threads).order_by("-last_activity_at", "-pk")[
            start : start + PAGE_SIZE + 1
        ]
    )
    return window[:PAGE_SIZE], len(window) > PAGE_SIZE


@dataclass(frozen=True)
class FeedItem:
    """A thread as the feed shows it, with the key its cached HTML is kept under."""

    thread: Thread
    active: str  # how long ago it was last active ("3 hours")
    fragment_key: str


def feed_items(threads: list[Thread]) -> list[FeedItem]:
    now = timezone.now()
    items = []
    for thread in threads:
        active = ago(thread.last_activity_at, now)
        author = thread.author
        shown = (
            thread.pk,
            thread.title,
            thread.kind,
            thread.reply_count,
            thread.space.slug,
            thread.space.name,
            (author.username, author.name) if author else None,
            thread.last_activity_at.isoformat(),
            active,
            thread.has_staff_reply,  # type: ignore[attr-defined]  # annotated by build_feed
            thread.accepted_answer_id is not None,
            thread.is_imported,  # type: ignore[attr-defined]  # annotated by build_feed
        )
        items.append(FeedItem(thread, active, fragment_key("feed-item", shown)))
    return items
