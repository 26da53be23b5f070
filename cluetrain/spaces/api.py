"""Spaces in the JSON API: list, get, follow. A space's threads are in cluetrain.threads.api."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from ninja import Query, Router, Schema

from cluetrain.api.auth import READ_AUTH, member, viewer
from cluetrain.api.pagination import PageParams, paginate
from cluetrain.api.schemas import Page
from cluetrain.members.models import Member
from cluetrain.spaces.access import access_space, readable_spaces
from cluetrain.spaces.actions import check_follow_space
from cluetrain.spaces.models import Space, SpaceFollow

router = Router(tags=["spaces"])


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


class SpaceFollowOut(Schema):
    slug: str
    following: bool
    follower_count: int


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


def _follower_count() -> Coalesce:
    # A correlated count: joining followers beside threads would count threads x followers
    # rows per space (seconds on the demo community).
    follows = SpaceFollow.objects.filter(space=OuterRef("pk")).order_by().values("space")
    total = follows.annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


@router.get("/spaces", response=SpacePage, auth=READ_AUTH)
def list_spaces(request: HttpRequest, page: Query[PageParams]) -> SpacePage:
    spaces = (
        readable_spaces(viewer(request))
        .select_related("product")
        .annotate(
            thread_total=Count("threads", filter=Q(threads__is_hidden=False)),
            follower_total=_follower_count(),
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


def _follow(request: HttpRequest, slug: str, follow: bool) -> SpaceFollowOut:
    space = access_space(viewer(request), slug)
    following = check_follow_space(member(request), space, follow=follow)
    return SpaceFollowOut(slug=slug, following=following, follower_count=space.followers.count())


@router.post("/spaces/{slug}/follow", response=SpaceFollowOut)
def follow_space(request: HttpRequest, slug: str) -> SpaceFollowOut:
    return _follow(request, slug, True)


@router.delete("/spaces/{slug}/follow", response=SpaceFollowOut)
def unfollow_space(request: HttpRequest, slug: str) -> SpaceFollowOut:
    return _follow(request, slug, False)
