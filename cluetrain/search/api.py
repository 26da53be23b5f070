"""Site search in the JSON API: posts and people, ranked by the search backend."""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from cluetrain.api.auth import READ_AUTH, viewer
from cluetrain.api.pagination import PageParams, offset_page
from cluetrain.api.schemas import MemberRef, Page, member_ref
from cluetrain.search.backends import search_members, search_posts

router = Router(tags=["search"])


class SearchParams(PageParams):
    q: str = Field(min_length=1, max_length=200)


class PostHitOut(Schema):
    post_id: int
    thread_id: int
    thread_title: str
    space: str
    author: MemberRef | None
    snippet: str


class PostHitPage(Page):
    total: int
    items: list[PostHitOut]


class MemberHitOut(Schema):
    member: MemberRef
    snippet: str


class MemberHitPage(Page):
    total: int
    items: list[MemberHitOut]


@router.get("/search/posts", response=PostHitPage, auth=READ_AUTH)
def search_post_hits(request: HttpRequest, params: Query[SearchParams]) -> PostHitPage:
    """Posts the caller may read; `snippet` is HTML with the matches in <mark>."""
    items: list[PostHitOut] = []
    total = 0

    def fetch(offset: int, limit: int) -> int:
        nonlocal total
        results = search_posts(viewer(request), params.q, limit=limit, offset=offset)
        total = results.total
        for hit in results.hits:
            assert hit.post is not None
            items.append(
                PostHitOut(
                    post_id=hit.post.pk,
                    thread_id=hit.post.thread_id,
                    thread_title=hit.post.thread.title,
                    space=hit.post.thread.space.slug,
                    author=member_ref(hit.post.author),
                    snippet=str(hit.snippet),
                )
            )
        return total

    next_cursor = offset_page(params, fetch)
    return PostHitPage(total=total, items=items, next=next_cursor)


@router.get("/search/people", response=MemberHitPage, auth=READ_AUTH)
def search_people(request: HttpRequest, params: Query[SearchParams]) -> MemberHitPage:
    items: list[MemberHitOut] = []
    total = 0

    def fetch(offset: int, limit: int) -> int:
        nonlocal total
        results = search_members(params.q, limit=limit, offset=offset)
        total = results.total
        for hit in results.hits:
            ref = member_ref(hit.member)
            assert ref is not None
            items.append(MemberHitOut(member=ref, snippet=str(hit.snippet)))
        return total

    next_cursor = offset_page(params, fetch)
    return MemberHitPage(total=total, items=items, next=next_cursor)
