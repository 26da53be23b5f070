"""Expertise in the JSON API: who could answer a question, invitations, the people directory
by demonstrated skill, the team builder, and being away."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from pydantic import Field

from cluetrain.api.auth import member
from cluetrain.api.schemas import Input, MemberRef, member_ref
from cluetrain.core.errors import ActionError
from cluetrain.expertise import finder
from cluetrain.expertise.actions import check_clear_away, check_invite_to_answer, check_set_away
from cluetrain.expertise.models import Away
from cluetrain.expertise.teams import Prospect, builder_for, reasons_in_words
from cluetrain.members.models import Member
from cluetrain.members.picker import pick_typed_member
from cluetrain.threads.access import access_thread, can_see_thread
from cluetrain_analytics.expertise import Query as ExpertQuery

router = Router(tags=["expertise"])


class EvidenceOut(Schema):
    post_id: int
    thread_id: int
    title: str
    accepted: bool
    created_at: datetime


class ExpertOut(Schema):
    member: MemberRef
    score: float
    reasons: list[str]
    evidence: list[EvidenceOut]


class InvitationIn(Input):
    member: str = Field(min_length=1, max_length=150, description="the username to invite")


class InvitationOut(Schema):
    thread_id: int
    member: MemberRef
    notified_at: datetime


class ExpertSearch(Schema):
    q: str = Field(default="", max_length=2000, description="the problem, in words")
    tags: str = Field(default="", max_length=500, description="topics, separated by spaces")
    role: str = Field(default="", max_length=20, description="only people of this role")
    place: str = Field(default="", max_length=100, description="only people whose place says")


class AwayIn(Input):
    until: date = Field(description="the last day away")
    note: str = Field(default="", max_length=200)


class AwayOut(Schema):
    away: bool
    until: date | None
    note: str


class TeamIn(Input):
    text: str = Field(default="", max_length=2000, description="the prospect or the problem")
    skills: list[str] = Field(min_length=1, max_length=8, description="topic slugs needed")
    place: str = Field(default="", max_length=200)
    customer: str = Field(
        default="",
        max_length=150,
        description=(
            "the customer: an @username, or their full name or a few letters of it; text that"
            " is not one member answers 400 with the people it may mean in `choices`"
        ),
    )
    swap_out: str = Field(
        default="", max_length=150, description="see the cost of a swap: a team member's username"
    )
    swap_in: str = Field(default="", max_length=150, description="a candidate's username")


class TeamMemberOut(Schema):
    member: MemberRef
    skills: list[str]
    expertise: float
    resonance: float
    reasons: list[str]


class CostsOut(Schema):
    diameter: float
    sum_distance: float
    mst_cost: float
    disconnected: int


class SwapOut(Schema):
    out: str
    into: str
    diameter: float
    sum_distance: float
    mst_cost: float
    objective: float
    uncovered: list[str]


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None
    details: list[dict[str, Any]]


class TeamRefusedOut(Schema):
    """The API's one error format; when the customer's text names no one member, also the
    people it may mean (`similar`: a guess, nobody matched the text as typed)."""

    error: ErrorOut
    choices: list[MemberRef] = Field(default_factory=list)
    similar: bool = False


class TeamOut(Schema):
    members: list[TeamMemberOut]
    covers: dict[str, str]
    uncovered: list[str]
    costs: CostsOut
    objective: float
    candidates: dict[str, list[str]]
    swap: SwapOut | None


def _out(viewer: Member, suggestion: finder.Suggestion) -> ExpertOut:
    return ExpertOut(
        member=member_ref(suggestion.member),  # type: ignore[arg-type]
        score=round(suggestion.expert.score, 4),
        reasons=[reason for reason, _ in suggestion.expert.reasons],
        evidence=[
            EvidenceOut(
                post_id=post.pk,
                thread_id=post.thread_id,
                title=post.thread.title,
                accepted=post.thread.accepted_answer_id == post.pk,
                created_at=post.created_at,
            )
            for post in suggestion.evidence
            if not post.is_hidden and can_see_thread(viewer, post.thread)
        ],
    )


@router.get("/threads/{int:thread_id}/experts", response=list[ExpertOut])
def thread_experts(request: HttpRequest, thread_id: int) -> list[ExpertOut]:
    """People who could answer this thread, with why and the evidence (only people who may
    read it; its author and those who already answered are left out)."""
    me = member(request)
    thread = access_thread(me, thread_id)
    exclude = finder.answered_by(thread) | {me.pk}
    if thread.author_id is not None:
        exclude.add(thread.author_id)
    found = finder.suggest(finder.query_for_thread(thread), readers_of=thread, exclude=exclude)
    return [_out(me, s) for s in found]


@router.post("/threads/{int:thread_id}/experts/invitations", response={201: InvitationOut})
def invite_to_answer(
    request: HttpRequest, thread_id: int, payload: InvitationIn
) -> Status[InvitationOut]:
    me = member(request)
    thread = access_thread(me, thread_id)
    invitee = get_object_or_404(Member, username=payload.member)
    note = check_invite_to_answer(me, thread, invitee)
    out = InvitationOut(
        thread_id=thread.pk,
        member=member_ref(invitee),  # type: ignore[arg-type]
        notified_at=note.created_at,
    )
    return Status(201, out)


@router.get("/experts", response=list[ExpertOut])
def find_experts(request: HttpRequest, params: Query[ExpertSearch]) -> list[ExpertOut]:
    """The people directory by demonstrated skill: who solved something like this before,
    from a description and topics, optionally of one role and place."""
    me = member(request)
    tags = tuple(t for t in params.tags.replace(",", " ").split() if t)[:10]
    if not params.q.strip() and not tags:
        return []
    role, place = finder.directory_filters(params.role, params.place)
    found = finder.suggest(ExpertQuery(text=params.q, tags=tags), exclude={me.pk}, k=30)
    return [_out(me, s) for s in finder.filter_people(found, role, place)[:10]]


@router.get("/experts/away", response=AwayOut)
def my_away(request: HttpRequest) -> AwayOut:
    """Whether you are marked away."""
    away = Away.objects.filter(member=member(request), until__gte=timezone.localdate()).first()
    if away is None:
        return AwayOut(away=False, until=None, note="")
    return AwayOut(away=True, until=away.until, note=away.note)


@router.put("/experts/away", response=AwayOut)
def set_away(request: HttpRequest, payload: AwayIn) -> AwayOut:
    """Mark yourself away until a date: the expert finder ranks you lower and says why."""
    away = check_set_away(member(request), payload.until, payload.note)
    return AwayOut(away=True, until=away.until, note=away.note)


@router.delete("/experts/away", response={204: None})
def clear_away(request: HttpRequest) -> Status[None]:
    check_clear_away(member(request))
    return Status(204, None)


@router.post("/experts/team", response={200: TeamOut, 400: TeamRefusedOut})
def build_team(request: HttpRequest, payload: TeamIn) -> TeamOut | Status[TeamRefusedOut]:
    """Staff: the all-star team for a prospect, why each member is there, and what a swap
    would cost (cluetrain/expertise/teams.py). The customer is named as on the page: text
    that is not one member answers 400 with the people it may mean (`choices`)."""
    me = member(request)
    if not me.is_company_staff:
        raise ActionError(gettext("The team builder is for staff."), status=403)
    skills = tuple(dict.fromkeys(s.strip() for s in payload.skills if s.strip()))
    if not skills:
        raise ActionError(gettext("Name at least one skill."), field="skills")
    customer = None
    if payload.customer.strip():
        named = pick_typed_member(payload.customer.strip(), me)
        if named.member is None:
            error = ErrorOut(code="invalid", message=named.refusal, field="customer", details=[])
            choices = [ref for person in named.choices if (ref := member_ref(person))]
            return Status(400, TeamRefusedOut(error=error, choices=choices, similar=named.similar))
        customer = named.member
    builder = builder_for(
        Prospect(text=payload.text, skills=skills, place=payload.place, customer=customer)
    )
    team = builder.build(list(skills), method="sum_distance")
    ids = {m.person for m in team.members} | {p for h in builder.holders.values() for p in h}
    people = Member.objects.in_bulk(list(ids))
    names = {pk: m.username for pk, m in people.items()}
    swap = None
    if payload.swap_out or payload.swap_in:
        # The team and its candidates are listed by username; "@bob" and "Bob" name bob too.
        by_name = {m.username.casefold(): pk for pk, m in people.items()}
        out, into = (
            by_name.get(typed.strip().lstrip("@").casefold())
            for typed in (payload.swap_out, payload.swap_in)
        )
        if out is None or into is None:
            raise ActionError(
                gettext("Swap a team member for one of the candidates."), field="swap_in"
            )
        try:
            moved = builder.swap(team, out, into)
        except ValueError:  # not on the team, or already on it
            raise ActionError(
                gettext("Take out someone on the team and put in someone who is not on it."),
                field="swap_in",
            ) from None
        swap = SwapOut(
            out=names[out],
            into=names[into],
            diameter=moved.diameter,
            sum_distance=moved.sum_distance,
            mst_cost=moved.mst_cost,
            objective=moved.objective,
            uncovered=list(moved.uncovered),
        )
    return TeamOut(
        members=[
            TeamMemberOut(
                member=member_ref(people[m.person]),  # type: ignore[arg-type]
                skills=list(m.skills),
                expertise=round(m.expertise, 4),
                resonance=round(m.resonance, 4),
                reasons=reasons_in_words(m),
            )
            for m in team.members
            if m.person in people
        ],
        covers={skill: names.get(p, str(p)) for skill, p in team.covers.items()},
        uncovered=list(team.uncovered),
        costs=CostsOut(
            diameter=team.costs.diameter,
            sum_distance=team.costs.sum_distance,
            mst_cost=team.costs.mst_cost,
            disconnected=team.costs.disconnected,
        ),
        objective=team.objective,
        candidates={
            skill: [names[p] for p in holders if p in names]
            for skill, holders in builder.holders.items()
        },
        swap=swap,
    )
