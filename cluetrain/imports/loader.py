"""Write parsed messages into the one timeline (threads.Thread / threads.Post), in batches.

Each batch is one transaction: its posts, authors, threads, merges, counters and search
entries commit together or not at all. An import killed at any point therefore leaves whole
batches behind, and a rerun skips the messages already stored (Post.external_id is unique per
source) and writes the rest: no duplicates, nothing lost.

Reply trees: a message whose parent is already stored (or earlier in the same batch, whatever
the order within the batch) joins the parent's thread. A message whose parent is nowhere yet
starts a thread of its own and leaves a PendingReply; when the parent arrives, later in the
file or in a later import, the waiting thread is merged under it.
"""

import html
import os
import signal
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import nh3
from django.db import connection, transaction
from django.db.models import Count, Max, OuterRef, Subquery
from django.utils.text import slugify

from cluetrain.imports.fast import datetime_adapter, insert, select_by_external_id
from cluetrain.imports.models import ImportedRating, PendingReply
from cluetrain.imports.records import Message, Parsed, RowError
from cluetrain.organizations.models import Product
from cluetrain.search.indexing import bulk_index_posts, fulltext_at_end, title_to_index
from cluetrain.search.models import SearchEntry
from cluetrain.sources.models import ExternalIdentity, Source
from cluetrain.spaces.models import Space
from cluetrain.threads.models import Post, Thread

# Each batch is one transaction: larger ones spend less on commits and on SQLite's FTS5
# segment merges (10,000 took 0.1 s less database time than 2,000 on the twcs file); memory
# stays flat, bounded by the batch.
BATCH_SIZE = 10_000
OUTSIDE_SPACE_SLUG = "outside-conversations"
TITLE_LENGTH = 80
MAX_ID_LENGTH = 200  # Post.external_id
SQLITE_CACHE_KIB = 64 * 1024  # bounded: memory stays flat past it
AUTHORS_REMEMBERED = 100_000  # bounds the author cache (about 20 MB)


@dataclass
class Summary:
    read: int = 0
    imported: int = 0
    duplicates: int = 0
    errors: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


class InjectedCrash(Exception):
    """Raised by the test hook `crash_after_batches`, right after that batch committed."""


def outside_space() -> Space:
    """The public forum every imported conversation goes to, created on first import."""
    space, _ = Space.objects.get_or_create(
        slug=OUTSIDE_SPACE_SLUG,
        defaults={
            "name": "Outside conversations",
            "kind": Space.Kind.FORUM,
            "visibility": Space.Visibility.PUBLIC,
            "description": "Public messages about us from other channels, imported.",
            "position": 1000,
        },
    )
    return space


def plain_html(text: str) -> str:
    # Element content only: quotes need no escaping there.
    return "<p>" + html.escape(text, quote=False).replace("\n", "<br>") + "</p>"


def safe_html(markup: str) -> str:
    return nh3.clean(markup, link_rel="nofollow noopener noreferrer ugc")


def thread_title(message: Message) -> str:
    if message.title:
        return message.title[:200]
    first_line = message.text.strip().split("\n", 1)[0]
    if len(first_line) <= TITLE_LENGTH:
        return first_line
    return first_line[: TITLE_LENGTH - 1].rstrip() + "…"


class Loader:
    def __init__(
        self,
        *,
        default_source: str,
        source_kind: str,
        on_error: Callable[[RowError], None],
        batch_size: int = BATCH_SIZE,
        crash_after_batches: int | None = None,
        kill_in_batch: int | None = None,
    ) -> None:
        self.default_source = default_source
        self.source_kind = source_kind
        self.on_error = on_error
        self.batch_size = batch_size
        self.crash_after_batches = crash_after_batches
        self.kill_in_batch = kill_in_batch
        self.summary = Summary()
        self.space = outside_space()
        if connection.vendor == "sqlite":
            # For this connection only. Checkpoint the WAL less often: fewer syncs; SQLite
            # checkpoints the rest when the connection closes. A larger page cache (the
            # default is 2 MiB): past ~50,000 messages the indexes looked up for every batch
            # (ids already stored, parents) outgrow the default. Durability is unchanged: WAL
            # with synchronous=NORMAL (settings) loses no committed batch to a killed process.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_autocheckpoint = 10000")
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        self.batches = 0
        self._pending: list[Message] = []
        self._sources: dict[str, int | None] = {}
        self._products: dict[str, int | None] = {}
        # Authors already stored, by source and external id: (id, is a brand account). Most
        # recur from batch to batch, and need no insert or lookup then. Those of a batch are
        # remembered once it commits.
        self._known_authors: dict[int, dict[str, tuple[int, bool]]] = {}
        self._batch_authors: dict[int, dict[str, tuple[int, bool]]] = {}

    def add(self, item: Parsed) -> None:
        self.summary.read += 1
        if isinstance(item, RowError):
            self._error(item)
            return
        self._pending.append(item)
        if len(self._pending) >= self.batch_size:
            self.flush()

    def finish(self) -> Summary:
        self.flush()
        return self.summary

    def flush(self) -> None:
        batch, self._pending = self._pending, []
        if not batch:
            return
        self._batch_authors = {}
        with transaction.atomic(), fulltext_at_end():
            # Keys are a source's external ids: most files have one source.
            for source_id, fresh in self._fresh(batch).items():
                self._write(source_id, fresh)
            if self.batches + 1 == self.kill_in_batch:
                # Test hook: die as `kill -9` would, with the batch written but not committed.
                os.kill(os.getpid(), signal.SIGKILL)
        remembered = sum(map(len, self._known_authors.values()))
        if remembered + sum(map(len, self._batch_authors.values())) > AUTHORS_REMEMBERED:
            self._known_authors.clear()
        for source_id, authors in self._batch_authors.items():
            self._known_authors.setdefault(source_id, {}).update(authors)
        self.batches += 1
        if self.batches == self.crash_after_batches:
            raise InjectedCrash(f"crash injected after batch {self.batches}")

    def _error(self, error: RowError) -> None:
        self.summary.errors += 1
        self.on_error(error)

    # -- lookups ---------------------------------------------------------------------------

    def _source_id(self, name: str) -> int | None:
        if name not in self._sources:
            slug = slugify(name)[:50]
            if not slug:
                return None
            source, _ = Source.objects.get_or_create(
                slug=slug, defaults={"name": name[:120], "kind": self.source_kind}
            )
            self._sources[name] = source.pk
        return self._sources[name]

    def _product(self, name: str) -> int | None:
        """Match by slug, then by name ignoring case; never create one (a typo would)."""
        if name not in self._products:
            product = (
                Product.objects.filter(slug=slugify(name)).first()
                or Product.objects.filter(name__iexact=name.strip()).first()
            )
            self._products[name] = product.pk if product else None
        return self._products[name]

    def _authors(self, source_id: int, fresh: dict[str, Message]) -> dict[str, int]:
        wanted: dict[str, Message] = {}
        for message in fresh.values():
            wanted.setdefault(message.author_id[:200], message)
        known = self._known_authors.get(source_id, {})
        remember = self._batch_authors.setdefault(source_id, {})
        found: dict[str, int] = {}
        promote: list[int] = []
        unknown: dict[str, Message] = {}
        for author, message in wanted.items():
            if author not in known:
                unknown[author] = message
                continue
            pk, is_brand = known[author]
            found[author] = pk
            if message.is_brand and not is_brand:
                promote.append(pk)
                remember[author] = (pk, True)
        insert(
            ExternalIdentity,
            [
                {
                    "source_id": source_id,
                    "external_id": author,
                    "handle": author,
                    "display_name": message.author_name[:200],
                    "is_brand_account": message.is_brand,
                }
                for author, message in unknown.items()
            ],
            returning=False,
            conflict="ON CONFLICT DO NOTHING",
        )
        rows = select_by_external_id(
            ExternalIdentity, ("external_id", "id", "is_brand_account"), source_id, [*unknown]
        )
        for author, pk, is_brand in rows:
            found[author] = pk
            if not is_brand and unknown[author].is_brand:
                promote.append(pk)
            remember[author] = (pk, is_brand or unknown[author].is_brand)
        if promote:
            ExternalIdentity.objects.filter(pk__in=promote).update(is_brand_account=True)
        return found

    # -- one batch -------------------------------------------------------------------------

    def _write(self, source_id: int, fresh: dict[str, Message]) -> None:
        """One source's new messages of the batch, keyed by their external ids."""
        authors = self._authors(source_id, fresh)
        known = _stored_parents(source_id, fresh)
        visibility = dict(
            Thread.objects.filter(pk__in={thread_id for _, thread_id in known.values()})
            .values_list("pk", "space__visibility")
            .order_by()
        )
        depth, cut = _depths(fresh)
        levels = _by_level(fresh, depth)

        roots: list[str] = []
        waiting: list[dict[str, object]] = []
        for key in levels[0]:
            parent_id = fresh[key].parent_id
            if key in cut or not parent_id:
                roots.append(key)
            elif parent_id not in known:
                roots.append(key)
                waiting.append(
                    {"source_id": source_id, "external_id": key, "parent_external_id": parent_id}
                )
        db_datetime = datetime_adapter()
        when = {key: db_datetime(message.created_at) for key, message in fresh.items()}
        # Counters of the new threads from the batch itself (parents come a level before
        # their replies); threads stored before are recounted from their posts below.
        top: dict[str, str] = {}
        size: dict[str, int] = {}
        latest: dict[str, str] = {}  # a thread's root -> its latest message
        for keys in levels:
            for key in keys:
                parent_id = fresh[key].parent_id
                root = top[parent_id] if depth[key] and parent_id else key
                top[key] = root
                size[root] = size.get(root, 0) + 1
                if root not in latest or fresh[key].created_at > fresh[latest[root]].created_at:
                    latest[root] = key
        titles = [thread_title(fresh[key]) for key in roots]
        thread_ids = insert(
            Thread,
            [
                {
                    **self._thread(fresh[key], title, when[key]),
                    "reply_count": size[key] - 1,
                    "last_activity_at": when[latest[key]],
                }
                for key, title in zip(roots, titles, strict=True)
            ],
        )
        new_threads = dict(zip(roots, thread_ids, strict=True))
        for thread_id in thread_ids:
            visibility[thread_id] = str(self.space.visibility)  # not the enum: see fast.insert
        insert(PendingReply, waiting, returning=False, conflict="ON CONFLICT DO NOTHING")

        posts: dict[str, dict[str, Any]] = {}
        for level, keys in enumerate(levels):
            rows = []
            parent_pk: int | None
            for key in keys:
                message = fresh[key]
                if key in new_threads:
                    thread_id, parent_pk = new_threads[key], None
                elif level == 0:
                    assert message.parent_id is not None
                    parent_pk, thread_id = known[message.parent_id]
                else:
                    assert message.parent_id is not None
                    parent = posts[message.parent_id]
                    thread_id, parent_pk = parent["thread_id"], parent["id"]
                author_id = authors[message.author_id[:200]]
                posts[key] = self._post(
                    source_id, key, message, thread_id, parent_pk, author_id, when[key]
                )
                rows.append(posts[key])
            for row, pk in zip(rows, insert(Post, rows), strict=True):
                row["id"] = pk
        _index(posts.values(), dict(zip(thread_ids, titles, strict=True)), visibility)
        insert(
            ImportedRating,
            [
                {"post_id": posts[key]["id"], "product_id": product_id, "stars": message.rating}
                for key, message in fresh.items()
                if message.rating is not None
                and (product_id := self._product(message.product)) is not None
            ],
            returning=False,
        )
        touched = {post["thread_id"] for key, post in posts.items() if top[key] not in new_threads}
        touched |= _merge_waiting(source_id, posts)
        _recount(touched)
        self.summary.imported += len(posts)

    def _fresh(self, batch: list[Message]) -> dict[int, dict[str, Message]]:
        """The batch without errors and without what is already stored, by source and id."""
        fresh: dict[int, dict[str, Message]] = {}
        for message in batch:
            if "\x00" in message.text:  # PostgreSQL refuses NUL in text
                message.text = message.text.replace("\x00", "")
            source_id = self._source_id(message.source or self.default_source)
            if source_id is None:
                self._error(RowError(message.line, "no_source"))
            elif len(message.external_id) > MAX_ID_LENGTH:
                self._error(RowError(message.line, "id_too_long", {"limit": MAX_ID_LENGTH}))
            elif message.rating is not None and self._product(message.product) is None:
                product = repr(message.product)
                self._error(RowError(message.line, "unknown_product", {"product": product}))
            elif message.external_id in (of_source := fresh.setdefault(source_id, {})):
                self.summary.duplicates += 1
            else:
                of_source[message.external_id] = message
        for source_id, of_source in fresh.items():
            stored = select_by_external_id(Post, ("external_id",), source_id, [*of_source])
            for (external_id,) in stored:
                del of_source[external_id]
                self.summary.duplicates += 1
        return {source_id: of_source for source_id, of_source in fresh.items() if of_source}

    def _thread(self, message: Message, title: str, when: datetime | str) -> dict[str, Any]:
        return {
            "space_id": self.space.pk,
            "title": title,
            "kind": message.kind,
            "created_at": when,
            "last_activity_at": when,
        }

    def _post(
        self,
        source_id: int,
        external_id: str,
        message: Message,
        thread_id: int,
        parent_id: int | None,
        author_id: int,
        created_at: datetime | str,
    ) -> dict[str, Any]:
        return {
            "thread_id": thread_id,
            "parent_id": parent_id,
            "external_author_id": author_id,
            "source_id": source_id,
            "external_id": external_id,
            "url": message.url,
            "language": message.language,
            "body_md": message.text,
            "body_html": safe_html(message.html) if message.html else plain_html(message.text),
            "is_staff_reply": message.is_brand,
            "created_at": created_at,
        }


def _stored_parents(source_id: int, fresh: dict[str, Message]) -> dict[str, tuple[int, int]]:
    """(post id, thread id) of the parents that were stored before this batch."""
    outside = {
        message.parent_id
        for message in fresh.values()
        if message.parent_id and message.parent_id not in fresh
    }
    stored = select_by_external_id(Post, ("external_id", "id", "thread_id"), source_id, [*outside])
    return {external_id: (pk, thread_id) for external_id, pk, thread_id in stored}


def _merge_waiting(source_id: int, posts: dict[str, dict[str, Any]]) -> set[int]:
    """Merge the threads that waited for a parent which this batch brought; returns the
    threads that grew. The merges are worked out first, then written with a few queries
    for the whole batch."""
    merged_into: dict[int, int] = {}  # a thread merged away -> the thread it went into

    def current(thread_id: int) -> int:
        """Where a thread's posts are now: an earlier merge may have moved them."""
        while thread_id in merged_into:
            thread_id = merged_into[thread_id]
        return thread_id

    reparented: list[Post] = []
    answered: list[int] = []
    found = select_by_external_id(
        PendingReply,
        ("id", "external_id", "parent_external_id"),
        source_id,
        [*posts],
        key="parent_external_id",
    )
    if not found:
        return set()
    children = {
        external_id: (pk, thread_id)
        for external_id, pk, thread_id in select_by_external_id(
            Post, ("external_id", "id", "thread_id"), source_id, [row[1] for row in found]
        )
    }
    for pending_id, child_id, parent_id in found:
        answered.append(pending_id)
        parent = posts[parent_id]
        if child_id not in children:
            continue
        child_pk, child_thread = children[child_id]
        child_thread, parent_thread = current(child_thread), current(parent["thread_id"])
        # The same thread: the parent was filed under its own child (a loop).
        if child_thread == parent_thread:
            continue
        merged_into[child_thread] = parent_thread
        reparented.append(Post(pk=child_pk, parent_id=parent["id"]))
    PendingReply.objects.filter(pk__in=answered).delete()
    if not merged_into:
        return set()
    moved = list(Post.objects.filter(thread_id__in=merged_into).values_list("pk", flat=True))
    grown: dict[int, list[int]] = {}  # thread -> the threads merged into it
    for thread_id in merged_into:
        grown.setdefault(current(thread_id), []).append(thread_id)
    for thread_id, merged in grown.items():
        Post.objects.filter(thread_id__in=merged).update(thread_id=thread_id)
    Post.objects.bulk_update(reparented, ["parent"])
    Thread.objects.filter(pk__in=merged_into).delete()
    bulk_index_posts(Post.objects.filter(pk__in=moved).select_related("thread__space"))
    return set(grown)


def _depths(fresh: dict[str, Message]) -> tuple[dict[str, int], set[str]]:
    """Depth of each message below the first of its ancestors in the batch (0: its parent
    is not in the batch). A loop of replies is cut: the message where it closes counts as
    having no parent (returned in the second set)."""
    depth: dict[str, int] = {}
    cut: set[str] = set()

    def parent_of(key: str) -> str | None:
        parent_id = fresh[key].parent_id
        if key in cut or not parent_id or parent_id not in fresh:
            return None
        return parent_id

    for start in fresh:
        while start not in depth:
            chain: list[str] = []
            seen: set[str] = set()
            key: str | None = start
            while key is not None and key not in depth:
                if key in seen:
                    cut.add(key)
                    break
                seen.add(key)
                chain.append(key)
                key = parent_of(key)
            else:
                level = depth[key] if key is not None else -1
                for link in reversed(chain):
                    level += 1
                    depth[link] = level
    return depth, cut


def _by_level(fresh: dict[str, Message], depth: dict[str, int]) -> list[list[str]]:
    """The batch's keys grouped by depth, each level in file order."""
    levels: list[list[str]] = [[] for _ in range(max(depth.values()) + 1)]
    for key in fresh:
        levels[depth[key]].append(key)
    return levels


def _index(
    posts: Iterable[dict[str, Any]], titles: dict[int, str], visibility: dict[int, str]
) -> None:
    """Search entries for new posts, as search.indexing.bulk_index_posts writes them (a test
    checks they match) but from the rows in hand, without loading models."""
    insert(
        SearchEntry,
        [
            {
                "kind": SearchEntry.Kind.POST.value,
                "object_id": post["id"],
                "title": (
                    title_to_index(titles[post["thread_id"]], post["body_md"])
                    if post["parent_id"] is None
                    else ""
                ),
                "body": post["body_md"],
                "visibility": visibility[post["thread_id"]],
                "created_at": post["created_at"],
            }
            for post in posts
        ],
        returning=False,
        conflict="ON CONFLICT (kind, object_id) DO UPDATE SET title = excluded.title, "
        "body = excluded.body, visibility = excluded.visibility, "
        "created_at = excluded.created_at",
    )


def _recount(thread_ids: set[int]) -> None:
    """Reply count and last activity from the stored posts: right however often it runs."""
    if not thread_ids:
        return
    posts = Post.objects.filter(thread=OuterRef("pk")).order_by().values("thread")
    Thread.objects.filter(pk__in=thread_ids).update(
        reply_count=Subquery(posts.annotate(n=Count("pk")).values("n")) - 1,
        last_activity_at=Subquery(posts.annotate(last=Max("created_at")).values("last")),
    )
