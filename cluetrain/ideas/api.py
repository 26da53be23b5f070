"""Ideas in the JSON API: the board, post an idea, vote, and staff status changes."""

from datetime import datetime
from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from pydantic import Field

from cluetrain.api.auth import READ_AUTH, member, viewer
from cluetrain.api.pagination import PageParams, paginate
from cluetrain.api.schemas import BodyMd, Input, MemberRef, Page, member_ref
from cluetrain.core.access import not_found
from cluetrain.core.errors import ActionError
from cluetrain.ideas.access import access_idea, readable_ideas
from cluetrain.ideas.actions import (
    EXPLANATION_MAX_CHARS,
    check_change_idea_status,
    check_create_idea,
    check_follow_idea,
    check_merge_ideas,
    check_set_vote_budget,
    check_unvote_idea,
    check_vote_idea,
)
from cluetrain.ideas.duplicates import similar_ideas
from cluetrain.ideas.models import Idea, IdeaVote
from cluetrain.ideas.ranking import Explained, rank
from cluetrain.ideas.roadmap import roadmap
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
    merged_into: int | None


class IdeaPage(Page):
    items: list[IdeaOut]


class IdeaFilters(PageParams):
    status: IdeaStatus | None = None
    product: str | None = Field(
        None, max_length=80, description="a product's slug (an unknown one is a 400)"
    )
    sort: Literal["top", "newest"] = "top"


class IdeaIn(Input):
    space: str = Field(min_length=1, max_length=80)
    title: str = Field(min_length=1, max_length=TITLE_MAX_CHARS)
    body_md: BodyMd
    product: str | None = Field(None, max_length=80)


class IdeaStatusIn(Input):
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
        merged_into=idea.merged_into_id,
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
        if not Product.objects.filter(slug=filters.product).exists():
            raise ActionError(
                gettext("No product “%(slug)s”.") % {"slug": filters.product}, field="product"
            )
        ideas = ideas.filter(product__slug=filters.product)
    rows, next_cursor = paginate(ideas, SORTS[filters.sort][1], filters)
    voted = _voted(request, rows)
    return IdeaPage(items=[_idea_out(i, voted) for i in rows], next=next_cursor)


@router.post("/ideas", response={201: IdeaOut})
def create_idea(request: HttpRequest, payload: IdeaIn) -> Status[IdeaOut]:
    who = member(request)
    space = readable_spaces(who).filter(slug=payload.space).first()
    if space is None:
        raise ActionError(gettext("Choose an ideas space you can post in."), field="space")
    product = None
    if payload.product:
        product = Product.objects.filter(slug=payload.product).first()
        if product is None:
            raise ActionError(gettext("No such product."), field="product")
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
def change_status(request: HttpRequest, idea_id: int, payload: IdeaStatusIn) -> IdeaOut:
    """Staff only: the explanation is shown to everyone and sent to the voters."""
    idea = access_idea(viewer(request), idea_id)
    check_change_idea_status(
        member(request), idea, status=payload.status, explanation=payload.explanation
    )
    return _fresh(request, idea_id)


# ideas at scale: duplicates and merges, the explained ranking, followers, the roadmap


class SimilarOut(Schema):
    idea: IdeaOut
    similarity: float


class SimilarQuery(Schema):
    text: str = Field(min_length=1, max_length=5000)


@router.get("/ideas/similar", response=list[SimilarOut], auth=READ_AUTH)
def similar(request: HttpRequest, query: Query[SimilarQuery]) -> list[SimilarOut]:
    """Ideas like this text (title and body of an idea being written), most alike first."""
    found = similar_ideas(viewer(request), query.text)
    voted = _voted(request, [idea for idea, _ in found])
    return [SimilarOut(idea=_idea_out(idea, voted), similarity=score) for idea, score in found]


class MergeOut(Schema):
    merged: IdeaOut
    into: IdeaOut
    votes_moved: int
    followers_moved: int


@router.post("/ideas/{int:idea_id}/merge/{int:into_id}", response=MergeOut)
def merge(request: HttpRequest, idea_id: int, into_id: int) -> MergeOut:
    """Staff only: merge a duplicate into `into_id`, which gets its votes and followers once
    per member; both authors are credited on the survivor."""
    who = member(request)
    duplicate = access_idea(who, idea_id)
    survivor = access_idea(who, into_id)
    event = check_merge_ideas(who, duplicate, survivor)
    return MergeOut(
        merged=_fresh(request, idea_id),
        into=_fresh(request, survivor.pk),
        votes_moved=event.votes_moved,
        followers_moved=event.followers_moved,
    )


class FollowOut(Schema):
    following: bool


@router.post("/ideas/{int:idea_id}/follow", response=FollowOut)
def follow(request: HttpRequest, idea_id: int) -> FollowOut:
    check_follow_idea(member(request), access_idea(viewer(request), idea_id), follow=True)
    return FollowOut(following=True)


@router.delete("/ideas/{int:idea_id}/follow", response=FollowOut)
def unfollow(request: HttpRequest, idea_id: int) -> FollowOut:
    check_follow_idea(member(request), access_idea(viewer(request), idea_id), follow=False)
    return FollowOut(following=False)


class DiscountOut(Schema):
    member: MemberRef | None
    counted: float
    reasons: list[str]


class RankOut(Schema):
    idea: IdeaOut
    rank: int
    score: float
    supporters: int
    independent_groups: int
    by_kind: dict[str, int]
    discounted: list[DiscountOut]


class RankingQuery(Schema):
    space: str | None = Field(None, max_length=80)
    limit: int = Field(50, ge=1, le=200)


def _rank_out(entry: Explained, voted: set[int]) -> RankOut:
    row = entry.row
    return RankOut(
        idea=_idea_out(entry.idea, voted),
        rank=row.rank,
        score=row.score,
        supporters=row.supporters,
        independent_groups=row.groups,
        by_kind=row.by_kind,
        discounted=[
            DiscountOut(member=member_ref(who), counted=d.counted, reasons=list(d.reasons))
            for who, d in entry.discounted
        ],
    )


def _open(ideas: QuerySet[Idea]) -> QuerySet[Idea]:
    return ideas.exclude(status__in=[Idea.Status.DONE, Idea.Status.DECLINED])


@router.get("/ideas/ranking", response=list[RankOut], auth=READ_AUTH)
def ranking(request: HttpRequest, query: Query[RankingQuery]) -> list[RankOut]:
    """Open ideas ranked fairly, each with how its score was made."""
    ideas = _open(readable_ideas(viewer(request)))
    if query.space:
        ideas = ideas.filter(thread__space__slug=query.space)
    rows = rank(ideas)[: query.limit]
    voted = _voted(request, [entry.idea for entry in rows])
    return [_rank_out(entry, voted) for entry in rows]


@router.get("/ideas/{int:idea_id}/rank", response=RankOut, auth=READ_AUTH)
def idea_rank(request: HttpRequest, idea_id: int) -> RankOut:
    """Why this idea ranks where it does among the open ideas of its space."""
    idea = access_idea(viewer(request), idea_id)
    if idea.merged_into_id is not None:
        raise ActionError(gettext("This idea was merged: rank the idea it points to."), status=409)
    ideas = readable_ideas(viewer(request)).filter(thread__space=idea.thread.space_id)
    if idea.voting_open:
        ideas = _open(ideas)
    entry = next(e for e in rank(ideas) if e.idea.pk == idea.pk)
    return _rank_out(entry, _voted(request, [entry.idea]))


class ChangeOut(Schema):
    from_status: str
    to_status: str
    explanation: str
    changed_by: MemberRef | None
    created_at: datetime


@router.get("/ideas/{int:idea_id}/history", response=list[ChangeOut], auth=READ_AUTH)
def history(request: HttpRequest, idea_id: int) -> list[ChangeOut]:
    """Every status change of the idea with its explanation, newest first."""
    idea = access_idea(viewer(request), idea_id)
    return [
        ChangeOut(
            from_status=c.from_status,
            to_status=c.to_status,
            explanation=c.explanation,
            changed_by=member_ref(c.changed_by),
            created_at=c.created_at,
        )
        for c in idea.status_changes.select_related("changed_by")
    ]


class RoadmapColumn(Schema):
    status: str
    count: int
    ideas: list[IdeaOut]


class RoadmapOut(Schema):
    columns: list[RoadmapColumn]
    ideas: int
    taken_forward: int
    decided: int
    declined: int
    median_days_to_decision: float | None
    median_days_to_done: float | None


@router.get("/ideas/roadmap", response=RoadmapOut, auth=READ_AUTH)
def get_roadmap(request: HttpRequest) -> RoadmapOut:
    road = roadmap(readable_ideas(viewer(request)))
    listed = [idea for _, _, ideas, _ in road.columns for idea in ideas]
    voted = _voted(request, listed)
    return RoadmapOut(
        columns=[
            RoadmapColumn(
                status=status,
                count=count,
                ideas=[_idea_out(i, voted) for i in ideas],
            )
            for status, _, ideas, count in road.columns
        ],
        ideas=road.ideas,
        taken_forward=road.taken_forward,
        decided=road.decided,
        declined=road.declined,
        median_days_to_decision=road.median_days_to_decision,
        median_days_to_done=road.median_days_to_done,
    )


class BudgetIn(Input):
    votes: int | None = Field(None, ge=1, le=1000, description="null: no limit")


class BudgetOut(Schema):
    space: str
    votes: int | None


@router.put("/ideas/budgets/{slug}", response=BudgetOut)
def set_budget(request: HttpRequest, slug: str, payload: BudgetIn) -> BudgetOut:
    """Staff only: how many open ideas a member may vote for in this ideas space."""
    who = member(request)
    space = readable_spaces(who).filter(slug=slug).first()
    if space is None:
        raise not_found(gettext("No such space."))
    check_set_vote_budget(who, space, votes=payload.votes)
    return BudgetOut(space=space.slug, votes=payload.votes)
