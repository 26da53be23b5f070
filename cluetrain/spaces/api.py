"""Spaces in the JSON API: list, get, follow, and a space's threads (list, create)."""

from typing import Annotated, Literal

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from cluetrain.api.auth import READ_AUTH, member, viewer
from cluetrain.api.pagination import PageParams, paginate
from cluetrain.api.schemas import Input, Page, ThreadOut, thread_out
from cluetrain.core.errors import ActionError
from cluetrain.members.models import Member
from cluetrain.spaces.access import access_space, readable_spaces
from cluetrain.spaces.actions import check_follow_space
from cluetrain.spaces.models import Space, SpaceFollow
from cluetrain.threads.actions import TAG_MAX_CHARS, TAGS_MAX, TITLE_MAX_CHARS, check_start_thread
from cluetrain.threads.models import Thread

router = Router(tags=["spaces"])
TagName = Annotated[str, Field(min_length=1, max_length=TAG_MAX_CHARS)]


class SpaceOut(Schema):
    slug: str
    name: str
    kind: str
    visibility: str
    description: str
    product: str | None
    thread_count: int
    follower_count: int
    following: bool


class SpacePage(Page):
    items: list[SpaceOut]


class FollowOut(Schema):
    slug: str
    following: bool
    follower_count: int


class ThreadPage(Page):
    items: list[ThreadOut]


class ThreadFilters(PageParams):
    kind: Literal["discussion", "question", "idea", "review", "article", "conversation"] | None = (
        None
    )
    tag: str | None = Field(None, max_length=80)
    unanswered: bool = False


class ThreadIn(Input):
    title: str = Field(min_length=1, max_length=TITLE_MAX_CHARS)
    body: str = Field(min_length=1, max_length=100_000)
    tags: list[TagName] = Field(default_factory=list, max_length=TAGS_MAX)


def _space_out(
    space: Space, following: set[int], thread_count: int, follower_count: int
) -> SpaceOut:
    return SpaceOut(
        slug=space.slug,
        name=space.name,
        kind=space.kind,
        visibility=space.visibility,
        description=space.description,
        product=space.product.slug if space.product else None,
        thread_count=thread_count,
        follower_count=follower_count,
        following=space.pk in following,
    )


def _followed(request: HttpRequest) -> set[int]:
    who = viewer(request)
    if not isinstance(who, Member):
        return set()
    return set(SpaceFollow.objects.filter(member=who).values_list("space_id", flat=True))


@router.get("/spaces", response=SpacePage, auth=READ_AUTH)
def list_spaces(request: HttpRequest, page: Query[PageParams]) -> SpacePage:
    spaces = (
        readable_spaces(viewer(request))
        .select_related("product")
        .annotate(
            thread_total=Count("threads", filter=Q(threads__is_hidden=False), distinct=True),
            follower_total=Count("followers", distinct=True),
        )
    )
    rows, next_cursor = paginate(spaces, ("position", "name", "pk"), page)
    following = _followed(request)
    items = [
        _space_out(s, following, s.thread_total, s.follower_total)  # type: ignore[attr-defined]
        for s in rows
    ]
    return SpacePage(items=items, next=next_cursor)


@router.get("/spaces/{slug}", response=SpaceOut, auth=READ_AUTH)
def get_space(request: HttpRequest, slug: str) -> SpaceOut:
    space = access_space(viewer(request), slug)
    count = space.threads.filter(is_hidden=False).count()
    return _space_out(space, _followed(request), count, space.followers.count())


def _follow(request: HttpRequest, slug: str, follow: bool) -> FollowOut:
    space = access_space(viewer(request), slug)
    following = check_follow_space(member(request), space, follow=follow)
    return FollowOut(slug=slug, following=following, follower_count=space.followers.count())


@router.post("/spaces/{slug}/follow", response=FollowOut)
def follow_space(request: HttpRequest, slug: str) -> FollowOut:
    return _follow(request, slug, True)


@router.delete("/spaces/{slug}/follow", response=FollowOut)
def unfollow_space(request: HttpRequest, slug: str) -> FollowOut:
    return _follow(request, slug, False)


@router.get("/spaces/{slug}/threads", response=ThreadPage, auth=READ_AUTH)
def list_threads(request: HttpRequest, slug: str, filters: Query[ThreadFilters]) -> ThreadPage:
    who = viewer(request)
    space = access_space(who, slug)
    threads = space.threads.select_related("space", "author").prefetch_related("tags")
    if not (isinstance(who, Member) and who.can_moderate):
        threads = threads.filter(is_hidden=False)
    if filters.kind:
        threads = threads.filter(kind=filters.kind)
    if filters.tag:
        threads = threads.filter(tags__slug=filters.tag)
    if filters.unanswered:
        threads = threads.filter(reply_count=0)
    order = ("-is_pinned", "-last_activity_at", "-pk")
    rows, next_cursor = paginate(threads, order, filters)
    return ThreadPage(items=[thread_out(t) for t in rows], next=next_cursor)


@router.post("/spaces/{slug}/threads", response={201: ThreadOut})
def create_thread(request: HttpRequest, slug: str, payload: ThreadIn) -> Status[ThreadOut]:
    space = access_space(viewer(request), slug)
    if space.kind in (Space.Kind.IDEAS, Space.Kind.REVIEWS):
        # As in the pages: ideas and reviews have forms (and endpoints) of their own.
        where = (
            "POST /api/ideas" if space.kind == Space.Kind.IDEAS else "POST /api/products/…/reviews"
        )
        raise ActionError(f"Post this with {where}.", field="slug")
    thread = check_start_thread(
        member(request),
        space,
        title=payload.title,
        body_md=payload.body,
        tag_text=",".join(payload.tags),
    )
    return Status(
        201, thread_out(Thread.objects.select_related("space", "author").get(pk=thread.pk))
    )
