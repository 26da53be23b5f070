"""Ideas in the JSON API: the board, post an idea, vote, and staff status changes."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from cluetrain.api.auth import READ_AUTH, member, viewer
from cluetrain.api.pagination import PageParams, paginate
from cluetrain.api.schemas import BodyMd, Input, MemberRef, Page, member_ref
from cluetrain.core.errors import ActionError
from cluetrain.ideas.access import access_idea, readable_ideas
from cluetrain.ideas.actions import (
    EXPLANATION_MAX_CHARS,
    check_change_idea_status,
    check_create_idea,
    check_unvote_idea,
    check_vote_idea,
)
from cluetrain.ideas.models import Idea, IdeaVote
from cluetrain.ideas.views import SORTS
from cluetrain.members.models import Member
from cluetrain.organizations.models import Product
from cluetrain.spaces.access import readable_spaces
from cluetrain.threads.actions import TITLE_MAX_CHARS

router = Router(tags=["ideas"])

IdeaStatus = Literal["new", "under_review", "planned", "in_progress", "done", "declined"]


class IdeaOut(Schema):
    id: int
    thread_id: int
    space: str
    title: str
    author: MemberRef | None
    product: str | None
    status: str
    vote_count: int
    voted: bool
    created_at: datetime
    status_changed_at: datetime | None


class IdeaPage(Page):
    items: list[IdeaOut]


class IdeaFilters(PageParams):
    status: IdeaStatus | None = None
    product: str | None = Field(None, max_length=80)
    sort: Literal["top", "newest"] = "top"


class IdeaIn(Input):
    space: str = Field(min_length=1, max_length=80)
    title: str = Field(min_length=1, max_length=TITLE_MAX_CHARS)
    body_md: BodyMd
    product: str | None = Field(None, max_length=80)


class StatusIn(Input):
    status: IdeaStatus
    explanation: str = Field(min_length=1, max_length=EXPLANATION_MAX_CHARS)


def _idea_out(idea: Idea, voted: set[int]) -> IdeaOut:
    thread = idea.thread
    return IdeaOut(
        id=idea.pk,
        thread_id=thread.pk,
        space=thread.space.slug,
        title=thread.title,
        author=member_ref(thread.author),
        product=idea.product.slug if idea.product else None,
        status=idea.status,
        vote_count=idea.vote_count,
        voted=idea.pk in voted,
        created_at=thread.created_at,
        status_changed_at=idea.status_changed_at,
    )


def _voted(request: HttpRequest, ideas: list[Idea]) -> set[int]:
    who = viewer(request)
    if not isinstance(who, Member):
        return set()
    votes = IdeaVote.objects.filter(member=who, idea__in=ideas)
    return set(votes.values_list("idea_id", flat=True))


def _fresh(request: HttpRequest, idea_id: int) -> IdeaOut:
    idea = access_idea(viewer(request), idea_id)
    return _idea_out(idea, _voted(request, [idea]))


@router.get("/ideas", response=IdeaPage, auth=READ_AUTH)
def list_ideas(request: HttpRequest, filters: Query[IdeaFilters]) -> IdeaPage:
    ideas = readable_ideas(viewer(request)).select_related(
        "thread__author", "thread__space", "product"
    )
    if filters.status:
        ideas = ideas.filter(status=filters.status)
    if filters.product:
        ideas = ideas.filter(product__slug=filters.product)
    rows, next_cursor = paginate(ideas, SORTS[filters.sort][1], filters)
    voted = _voted(request, rows)
    return IdeaPage(items=[_idea_out(i, voted) for i in rows], next=next_cursor)


@router.post("/ideas", response={201: IdeaOut})
def create_idea(request: HttpRequest, payload: IdeaIn) -> Status[IdeaOut]:
    who = member(request)
    space = readable_spaces(who).filter(slug=payload.space).first()
    if space is None:
        raise ActionError("Choose an ideas space you can post in.", field="space")
    product = None
    if payload.product:
        product = Product.objects.filter(slug=payload.product).first()
        if product is None:
            raise ActionError("No such product.", field="product")
    idea = check_create_idea(
        who, space, title=payload.title, body_md=payload.body_md, product=product
    )
    return Status(201, _fresh(request, idea.pk))


@router.get("/ideas/{int:idea_id}", response=IdeaOut, auth=READ_AUTH)
def get_idea(request: HttpRequest, idea_id: int) -> IdeaOut:
    return _fresh(request, idea_id)


@router.post("/ideas/{int:idea_id}/vote", response=IdeaOut)
def vote(request: HttpRequest, idea_id: int) -> IdeaOut:
    check_vote_idea(member(request), access_idea(viewer(request), idea_id))
    return _fresh(request, idea_id)


@router.delete("/ideas/{int:idea_id}/vote", response=IdeaOut)
def unvote(request: HttpRequest, idea_id: int) -> IdeaOut:
    check_unvote_idea(member(request), access_idea(viewer(request), idea_id))
    return _fresh(request, idea_id)


@router.post("/ideas/{int:idea_id}/status", response=IdeaOut)
def change_status(request: HttpRequest, idea_id: int, payload: StatusIn) -> IdeaOut:
    """Staff only: the explanation is shown to everyone and sent to the voters."""
    idea = access_idea(viewer(request), idea_id)
    check_change_idea_status(
        member(request), idea, status=payload.status, explanation=payload.explanation
    )
    return _fresh(request, idea_id)
