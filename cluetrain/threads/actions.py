"""Verbs on threads and posts. `check_*` validates and refuses; `do_*` writes.

Views call `check_*`; the demo and importers, whose input is already trusted, may call `do_*`.
"""

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cluetrain.core.errors import ActionError
from cluetrain.core.markdown import render_markdown
from cluetrain.core.tasks import enqueue_on_commit
from cluetrain.members.models import Member
from cluetrain.notifications.tasks import send_post_notifications
from cluetrain.search.indexing import index_post
from cluetrain.sources.lookup import community_source
from cluetrain.spaces.access import can_read_space
from cluetrain.spaces.models import Space
from cluetrain.threads.models import Mention, Post, Thread
from cluetrain.topics.models import Topic

TITLE_MAX_CHARS = 200
MENTION_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9_.+-]{2,150})")


def _check_body(body_md: str) -> str:
    body = body_md.strip()
    if not body:
        raise ActionError("Write something before posting.", field="body")
    if len(body) > settings.POST_MAX_CHARS:
        raise ActionError(
            f"Posts are limited to {settings.POST_MAX_CHARS:,} characters; "
            f"this one has {len(body):,}.",
            field="body",
        )
    return body


def _check_rate(author: Member) -> None:
    if author.can_moderate:
        return
    since = timezone.now() - timedelta(minutes=1)
    recent = Post.objects.filter(author=author, created_at__gte=since).count()
    if recent >= settings.POST_RATE_LIMIT_PER_MINUTE:
        raise ActionError(
            "You are posting too fast. Please wait a minute and try again.", status=429
        )


def _check_can_post_in(author: Member, space: Space) -> None:
    if not can_read_space(author, space):
        raise ActionError("You may not post in this space.", status=403)


def check_create_thread(
    author: Member,
    space: Space,
    *,
    title: str,
    body_md: str,
    kind: str | None = None,
    tags: Iterable[Topic] = (),
) -> Thread:
    _check_can_post_in(author, space)
    title = title.strip()
    if not title:
        raise ActionError("Give your thread a title.", field="title")
    if len(title) > TITLE_MAX_CHARS:
        raise ActionError(f"Titles are limited to {TITLE_MAX_CHARS} characters.", field="title")
    body = _check_body(body_md)
    _check_rate(author)
    if kind is None:
        kind = Thread.Kind.QUESTION if space.kind == Space.Kind.QA else Thread.Kind.DISCUSSION
    return do_create_thread(author, space, title=title, body_md=body, kind=kind, tags=tags)


@transaction.atomic
def do_create_thread(
    author: Member,
    space: Space,
    *,
    title: str,
    body_md: str,
    kind: str,
    tags: Iterable[Topic] = (),
    created_at: datetime | None = None,
) -> Thread:
    now = created_at or timezone.now()
    thread = Thread.objects.create(
        space=space, title=title, kind=kind, author=author, created_at=now, last_activity_at=now
    )
    thread.tags.set(list(tags))
    _write_post(thread, author, body_md, parent=None, created_at=now)
    return thread


def check_reply(
    author: Member, thread: Thread, *, body_md: str, parent: Post | None = None
) -> Post:
    _check_can_post_in(author, thread.space)
    if thread.is_locked and not author.can_moderate:
        raise ActionError("This thread is locked: no new replies.", status=403)
    if thread.is_hidden and not author.can_moderate:
        raise ActionError("This thread is hidden.", status=403)
    if parent is not None and parent.thread_id != thread.pk:
        raise ActionError("You can only reply to a post in this thread.", field="parent")
    body = _check_body(body_md)
    _check_rate(author)
    return do_reply(author, thread, body_md=body, parent=parent)


@transaction.atomic
def do_reply(
    author: Member,
    thread: Thread,
    *,
    body_md: str,
    parent: Post | None = None,
    created_at: datetime | None = None,
) -> Post:
    now = created_at or timezone.now()
    if parent is None:
        parent = thread.posts.order_by("created_at", "pk").first()
    post = _write_post(thread, author, body_md, parent=parent, created_at=now)
    Thread.objects.filter(pk=thread.pk).update(
        reply_count=F("reply_count") + 1, last_activity_at=now
    )
    return post


def _write_post(
    thread: Thread, author: Member, body_md: str, *, parent: Post | None, created_at: datetime
) -> Post:
    post = Post.objects.create(
        thread=thread,
        parent=parent,
        author=author,
        source=community_source(),
        body_md=body_md,
        body_html=render_markdown(body_md),
        is_staff_reply=author.is_company_staff,
        created_at=created_at,
    )
    record_mentions(post)
    index_post(post)
    enqueue_on_commit(send_post_notifications, post.pk)
    return post


def record_mentions(post: Post) -> None:
    usernames = {match.group(1).rstrip(".") for match in MENTION_RE.finditer(post.body_md)}
    if not usernames:
        return
    members = Member.objects.filter(username__in=usernames, is_active=True)
    if post.author_id is not None:
        members = members.exclude(pk=post.author_id)
    Mention.objects.bulk_create(
        [Mention(post=post, member=m, created_at=post.created_at) for m in members],
        ignore_conflicts=True,
    )
