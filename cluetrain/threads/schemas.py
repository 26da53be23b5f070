"""Threads and posts as the JSON API shows them, for every router that returns them."""

from datetime import datetime

from ninja import Schema

from cluetrain.api.schemas import MemberRef, member_ref
from cluetrain.threads.models import Post, Thread


class ThreadOut(Schema):
    id: int
    space: str
    title: str
    kind: str
    author: MemberRef | None
    created_at: datetime
    last_activity_at: datetime
    reply_count: int
    is_locked: bool
    is_hidden: bool
    is_held: bool = False
    is_pinned: bool
    accepted_answer_id: int | None
    tags: list[str]


class PostOut(Schema):
    id: int
    thread_id: int
    parent_id: int | None
    author: MemberRef | None
    external_author: str | None
    body_md: str
    body_html: str
    is_staff_reply: bool
    is_hidden: bool
    is_held: bool = False
    is_deleted: bool
    created_at: datetime
    edited_at: datetime | None
    score: int
    depth: int | None = None


def thread_out(thread: Thread) -> ThreadOut:
    return ThreadOut(
        id=thread.pk,
        space=thread.space.slug,
        title=thread.title,
        kind=thread.kind,
        author=member_ref(thread.author),
        created_at=thread.created_at,
        last_activity_at=thread.last_activity_at,
        reply_count=thread.reply_count,
        is_locked=thread.is_locked,
        is_hidden=thread.is_hidden,
        is_held=thread.is_held,
        is_pinned=thread.is_pinned,
        accepted_answer_id=thread.accepted_answer_id,
        tags=[tag.slug for tag in thread.tags.all()],
    )


def post_out(
    post: Post, *, show_hidden: bool = False, depth: int | None = None, viewer_id: int | None = None
) -> PostOut:
    # A hidden post keeps its place in the conversation; its words only reach moderators,
    # and the author of a post held for moderation.
    own_held = post.is_held and viewer_id is not None and post.author_id == viewer_id
    shown = show_hidden or not post.is_hidden or own_held
    external = post.external_author
    return PostOut(
        id=post.pk,
        thread_id=post.thread_id,
        parent_id=post.parent_id,
        author=member_ref(post.author),
        external_author=str(external) if external is not None else None,
        body_md=post.body_md if shown else "",
        body_html=post.body_html if shown else "",
        is_staff_reply=post.is_staff_reply,
        is_hidden=post.is_hidden,
        is_held=post.is_held,
        is_deleted=post.is_deleted,
        created_at=post.created_at,
        edited_at=post.edited_at,
        score=post.score,
        depth=depth,
    )
