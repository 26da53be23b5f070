"""Keep SearchEntry rows in step with posts and members.

The `on_*` handlers follow the domain events (subscribed in SearchConfig.ready(), inside the
publishing transaction, so a row and its search entry commit or roll back together); the demo
and the importers call the bulk functions themselves.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from cluetrain.members.events import MemberDeleted, MemberJoined, ProfileEdited
from cluetrain.members.models import Member
from cluetrain.moderation.events import PostHiddenChanged, ThreadHiddenChanged, ThreadMoved
from cluetrain.search.models import SearchEntry
from cluetrain.threads.events import PostCreated, PostDeleted, PostEdited
from cluetrain.threads.models import Post


def title_to_index(title: str, body: str) -> str:
    """The title, unless it only repeats the body's opening (imported conversations, whose
    title is cut from their first line): its words are indexed with the body already."""
    return "" if body.startswith(title.removesuffix("…")) else title


@contextmanager
def fulltext_at_end() -> Iterator[None]:
    """Search entries written inside go into SQLite's full-text index in one statement at
    the end, not a trigger run per row (migration search/0003 says how, and what it saves).
    One savepoint: all of it happens or none. Nested inside another, it leaves the indexing
    to the outer one. PostgreSQL keeps its GIN index itself."""
    with transaction.atomic():
        if connection.vendor != "sqlite" or _fulltext_deferred():
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) + 1 FROM search_searchentry")
            (first_id,) = cursor.fetchone()
            cursor.execute("INSERT INTO search_fts_pending (first_id) VALUES (%s)", [first_id])
        yield
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO search_fts (rowid, title, body) "
                "SELECT id, title, body FROM search_searchentry WHERE id >= %s",
                [first_id],
            )
            cursor.execute("DELETE FROM search_fts_pending")


def _fulltext_deferred() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM search_fts_pending")
        return cursor.fetchone() is not None


def _post_entry(post: Post) -> SearchEntry:
    thread = post.thread
    return SearchEntry(
        kind=SearchEntry.Kind.POST,
        object_id=post.pk,
        title=title_to_index(thread.title, post.body_md) if post.parent_id is None else "",
        body=post.body_md,
        visibility=thread.space.visibility,
        created_at=post.created_at,
    )


def _member_entry(member: Member) -> SearchEntry:
    profile = getattr(member, "profile", None)
    parts = [member.name, member.username]
    if profile is not None:
        parts += [profile.headline, profile.location, profile.bio]
        parts += [topic.name for topic in profile.expertise.all()]
        parts += [topic.name for topic in profile.interests.all()]
    return SearchEntry(
        kind=SearchEntry.Kind.MEMBER,
        object_id=member.pk,
        title=member.name,
        body=" ".join(part for part in parts if part),
        visibility="public",
        created_at=member.date_joined,
    )


def index_post(post: Post) -> None:
    if post.is_hidden or post.is_deleted or post.thread.is_hidden:
        remove_posts([post.pk])
        return
    # One upsert (INSERT ... ON CONFLICT DO UPDATE): the entry is written or refreshed in one
    # statement, where update_or_create took a look-up and two savepoints besides, on every
    # new post inside the posting transaction.
    SearchEntry.objects.bulk_create(
        [_post_entry(post)],
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=["title", "body", "visibility", "created_at"],
    )


def index_member(member: Member) -> None:
    entry = _member_entry(member)
    SearchEntry.objects.update_or_create(
        kind=entry.kind,
        object_id=entry.object_id,
        defaults={"title": entry.title, "body": entry.body, "created_at": entry.created_at},
    )


def remove_posts(post_ids: Iterable[int]) -> None:
    SearchEntry.objects.filter(kind=SearchEntry.Kind.POST, object_id__in=list(post_ids)).delete()


def remove_member(member_id: int) -> None:
    SearchEntry.objects.filter(kind=SearchEntry.Kind.MEMBER, object_id=member_id).delete()


def bulk_index_posts(posts: Iterable[Post], batch_size: int = 2000) -> int:
    """Index many posts at once (the demo and imports). Posts need thread and space loaded."""
    entries = [_post_entry(p) for p in posts if not (p.is_hidden or p.is_deleted)]
    _bulk_write(entries, batch_size)
    return len(entries)


def bulk_index_members(members: Iterable[Member], batch_size: int = 2000) -> int:
    """Index many members; they need profile, expertise and interests prefetched."""
    entries = [_member_entry(m) for m in members]
    _bulk_write(entries, batch_size)
    return len(entries)


def _bulk_write(entries: list[SearchEntry], batch_size: int) -> None:
    with fulltext_at_end():
        SearchEntry.objects.bulk_create(
            entries,
            batch_size=batch_size,
            update_conflicts=True,
            unique_fields=["kind", "object_id"],
            update_fields=["title", "body", "visibility", "created_at"],
        )


def reindex_thread(thread_id: int) -> None:
    """Every post of a thread again: its visibility or its space (hence theirs) changed."""
    posts = Post.objects.filter(thread_id=thread_id).select_related("thread__space")
    remove_posts(posts.values_list("pk", flat=True))
    bulk_index_posts(post for post in posts if not post.thread.is_hidden)


def on_post_changed(event: PostCreated | PostEdited | PostHiddenChanged) -> None:
    # index_post drops hidden posts and posts in hidden threads, and restores the rest.
    post = Post.objects.select_related("thread__space").filter(pk=event.post_id).first()
    if post is not None:
        index_post(post)


def on_post_deleted(event: PostDeleted) -> None:
    remove_posts([event.post_id])


def on_thread_changed(event: ThreadHiddenChanged | ThreadMoved) -> None:
    # Search rows copy the thread's visibility and its space's: refresh them.
    reindex_thread(event.thread_id)


def on_member_changed(event: MemberJoined | ProfileEdited) -> None:
    member = (
        Member.objects.select_related("profile")
        .prefetch_related("profile__expertise", "profile__interests")
        .filter(pk=event.member_id)
        .first()
    )
    if member is not None:
        index_member(member)


def on_member_deleted(event: MemberDeleted) -> None:
    remove_member(event.member_id)
