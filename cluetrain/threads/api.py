"""Threads and posts in the JSON API: read, reply, edit, delete, react, accept, revisions."""

from datetime import datetime
from typing import Annotated, Literal

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from pydantic import Field

from cluetrain.api.auth import READ_AUTH, member, viewer
from cluetrain.api.errors import fields_named
from cluetrain.api.pagination import PageParams, page_after, paginate
from cluetrain.api.schemas import BodyMd, Input, MemberRef, Page, member_ref
from cluetrain.core.errors import ActionError
from cluetrain.members.models import Member
from cluetrain.spaces.access import Viewer, access_space
from cluetrain.spaces.models import Space
from cluetrain.threads.access import access_post, access_thread
from cluetrain.threads.actions import (
    TAG_MAX_CHARS,
    TAGS_MAX,
    TITLE_MAX_CHARS,
    check_accept_answer,
    check_delete_post,
    check_edit_post,
    check_react,
    check_reply,
    check_start_thread,
)
from cluetrain.threads.follow import check_follow_thread
from cluetrain.threads.models import Post, Thread
from cluetrain.threads.schemas import PostOut, ThreadOut, post_out, thread_out
from cluetrain.threads.tree import PostNode, build_tree
from cluetrain.topics.models import Topic

router = Router(tags=["threads"])
TagName = Annotated[str, Field(min_length=1, max_length=TAG_MAX_CHARS)]


class ThreadPage(Page):
    items: list[ThreadOut]


class ThreadFilters(PageParams):
    kind: Literal["discussion", "question", "idea", "review", "article", "conversation"] | None = (
        None
    )
    tag: str | None = Field(
        None, max_length=80, description="a tag's slug (an unknown one is a 400)"
    )
    unanswered: bool = False


class ThreadIn(Input):
    title: str = Field(min_length=1, max_length=TITLE_MAX_CHARS)
    body_md: BodyMd
    tags: list[TagName] = Field(default_factory=list, max_length=TAGS_MAX)


class PostPage(Page):
    items: list[PostOut]


class PostFilters(PageParams):
    layout: Literal["flat", "tree"] = "flat"


class ReplyIn(Input):
    body_md: BodyMd
    parent_id: int | None = Field(None, ge=1, le=2**53)


class EditIn(Input):
    body_md: BodyMd
    title: str | None = Field(None, min_length=1, max_length=TITLE_MAX_CHARS)


class ReactIn(Input):
    kind: Literal["like", "helpful"]


class ReactionOut(Schema):
    post_id: int
    kind: str
    on: bool
    score: int


class AcceptOut(Schema):
    thread_id: int
    accepted_answer_id: int | None


class RevisionOut(Schema):
    id: int
    body_md: str
    edited_by: MemberRef | None
    created_at: datetime


class RevisionPage(Page):
    items: list[RevisionOut]


def _may_see_hidden(who: Viewer) -> bool:
    return isinstance(who, Member) and who.can_moderate


@router.get("/threads/{int:thread_id}", response=ThreadOut, auth=READ_AUTH)
def get_thread(request: HttpRequest, thread_id: int) -> ThreadOut:
    return thread_out(access_thread(viewer(request), thread_id))


class ThreadFollowOut(Schema):
    thread_id: int
    following: bool


@router.post("/threads/{int:thread_id}/follow", response=ThreadFollowOut)
def follow_thread(request: HttpRequest, thread_id: int) -> ThreadFollowOut:
    """Follow a thread you may read: its replies reach your notifications and digests."""
    thread = access_thread(viewer(request), thread_id)
    check_follow_thread(member(request), thread, follow=True)
    return ThreadFollowOut(thread_id=thread.pk, following=True)


@router.delete("/threads/{int:thread_id}/follow", response=ThreadFollowOut)
def unfollow_thread(request: HttpRequest, thread_id: int) -> ThreadFollowOut:
    """Stop following a thread (following it or not, the answer says you do not)."""
    thread = access_thread(viewer(request), thread_id)
    check_follow_thread(member(request), thread, follow=False)
    return ThreadFollowOut(thread_id=thread.pk, following=False)


@router.get("/threads/{int:thread_id}/posts", response=PostPage, auth=READ_AUTH)
def list_posts(request: HttpRequest, thread_id: int, filters: Query[PostFilters]) -> PostPage:
    """`flat`: in the order written; `tree`: depth first, each reply under its parent."""
    who = viewer(request)
    thread = access_thread(who, thread_id)
    show_hidden = _may_see_hidden(who)
    posts = Post.objects.filter(thread=thread).select_related("author", "external_author")
    if not show_hidden:
        # Awaiting moderation: only its author (and moderators) know it is there.
        own = Q(author_id=who.pk) if isinstance(who, Member) else Q(pk__in=[])
        posts = posts.filter(Q(is_held=False) | own)
    who_id = who.pk if isinstance(who, Member) else None
    if filters.layout == "flat":
        rows, next_cursor = paginate(posts, ("created_at", "pk"), filters)
        items = [post_out(p, show_hidden=show_hidden, viewer_id=who_id) for p in rows]
        return PostPage(items=items, next=next_cursor)
    tree = build_tree(posts)
    nodes = ([tree.root] if tree.root else []) + _depth_first(tree.replies)
    start, end, next_cursor = page_after(filters, [n.post.pk for n in nodes])
    shown = [
        post_out(n.post, show_hidden=show_hidden, depth=n.depth, viewer_id=who_id)
        for n in nodes[start:end]
    ]
    return PostPage(items=shown, next=next_cursor)


def _depth_first(replies: list[PostNode[Post]]) -> list[PostNode[Post]]:
    ordered: list[PostNode[Post]] = []
    stack = list(reversed(replies))
    while stack:
        node = stack.pop()
        ordered.append(node)
        stack.extend(reversed(node.children))
    return ordered


@router.post("/threads/{int:thread_id}/posts", response={201: PostOut})
def reply(request: HttpRequest, thread_id: int, payload: ReplyIn) -> Status[PostOut]:
    thread = access_thread(viewer(request), thread_id)
    parent = None
    if payload.parent_id is not None:
        parent = access_post(viewer(request), payload.parent_id)
        if parent.thread_id != thread.pk:
            raise ActionError(
                gettext("You can only reply to a post in this thread."), field="parent_id"
            )
    with fields_named(body="body_md"):
        post = check_reply(member(request), thread, body_md=payload.body_md, parent=parent)
    post.refresh_from_db(fields=["is_hidden", "is_held"])  # the spam filter may have held it
    return Status(201, post_out(post, viewer_id=post.author_id))


@router.get("/posts/{int:post_id}", response=PostOut, auth=READ_AUTH)
def get_post(request: HttpRequest, post_id: int) -> PostOut:
    who = viewer(request)
    who_id = who.pk if isinstance(who, Member) else None
    return post_out(access_post(who, post_id), show_hidden=_may_see_hidden(who), viewer_id=who_id)


@router.patch("/posts/{int:post_id}", response=PostOut)
def edit_post(request: HttpRequest, post_id: int, payload: EditIn) -> PostOut:
    post = access_post(viewer(request), post_id)
    with fields_named(body="body_md"):
        edited = check_edit_post(
            member(request), post, body_md=payload.body_md, title=payload.title
        )
    return post_out(edited, show_hidden=True)


@router.delete("/posts/{int:post_id}", response=PostOut)
def delete_post(request: HttpRequest, post_id: int) -> PostOut:
    post = access_post(viewer(request), post_id)
    return post_out(check_delete_post(member(request), post))


@router.post("/posts/{int:post_id}/reactions", response=ReactionOut)
def react(request: HttpRequest, post_id: int, payload: ReactIn) -> ReactionOut:
    """Toggle a reaction: `on` says whether it is now there."""
    post = access_post(viewer(request), post_id)
    on = check_react(member(request), post, payload.kind)
    post.refresh_from_db(fields=["score"])
    return ReactionOut(post_id=post.pk, kind=payload.kind, on=on, score=post.score)


@router.post("/posts/{int:post_id}/accept", response=AcceptOut)
def accept_answer(request: HttpRequest, post_id: int) -> AcceptOut:
    """Accept this answer, or un-accept it when it already is the accepted one."""
    post = access_post(viewer(request), post_id)
    thread = check_accept_answer(member(request), post)
    return AcceptOut(thread_id=thread.pk, accepted_answer_id=thread.accepted_answer_id)


@router.get("/posts/{int:post_id}/revisions", response=RevisionPage, auth=READ_AUTH)
def list_revisions(request: HttpRequest, post_id: int, page: Query[PageParams]) -> RevisionPage:
    post = access_post(viewer(request), post_id)
    revisions = post.revisions.select_related("edited_by")
    rows, next_cursor = paginate(revisions, ("-created_at", "-pk"), page)
    items = [
        RevisionOut(
            id=r.pk, body_md=r.body_md, edited_by=member_ref(r.edited_by), created_at=r.created_at
        )
        for r in rows
    ]
    return RevisionPage(items=items, next=next_cursor)


# A space's threads: here, not in the spaces router, because threads build on spaces.


@router.get("/spaces/{slug}/threads", response=ThreadPage, auth=READ_AUTH, tags=["spaces"])
def list_threads(request: HttpRequest, slug: str, filters: Query[ThreadFilters]) -> ThreadPage:
    who = viewer(request)
    space = access_space(who, slug)
    threads = space.threads.select_related("space", "author").prefetch_related("tags")
    if not (isinstance(who, Member) and who.can_moderate):
        threads = threads.filter(is_hidden=False)
    if filters.kind:
        threads = threads.filter(kind=filters.kind)
    if filters.tag:
        if not Topic.objects.filter(slug=filters.tag).exists():
            raise ActionError(gettext("No tag “%(slug)s”.") % {"slug": filters.tag}, field="tag")
        threads = threads.filter(tags__slug=filters.tag)
    if filters.unanswered:
        threads = threads.filter(reply_count=0)
    order = ("-is_pinned", "-last_activity_at", "-pk")
    rows, next_cursor = paginate(threads, order, filters)
    return ThreadPage(items=[thread_out(t) for t in rows], next=next_cursor)


@router.post("/spaces/{slug}/threads", response={201: ThreadOut}, tags=["spaces"])
def create_thread(request: HttpRequest, slug: str, payload: ThreadIn) -> Status[ThreadOut]:
    space = access_space(viewer(request), slug)
    if space.kind in (Space.Kind.IDEAS, Space.Kind.REVIEWS):
        # As in the pages: ideas and reviews have forms (and endpoints) of their own.
        where = (
            "POST /api/ideas" if space.kind == Space.Kind.IDEAS else "POST /api/products/…/reviews"
        )
        raise ActionError(
            gettext("Post this with %(endpoint)s.") % {"endpoint": where}, field="slug"
        )
    with fields_named(body="body_md"):
        thread = check_start_thread(
            member(request),
            space,
            title=payload.title,
            body_md=payload.body_md,
            tag_text=",".join(payload.tags),
        )
    return Status(
        201, thread_out(Thread.objects.select_related("space", "author").get(pk=thread.pk))
    )
