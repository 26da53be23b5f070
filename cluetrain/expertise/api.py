"""Expertise in the JSON API: who could answer a question, invitations, the expert search."""

from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import Field

from cluetrain.api.auth import member
from cluetrain.api.schemas import Input, MemberRef, member_ref
from cluetrain.expertise import finder
from cluetrain.expertise.actions import check_invite_to_answer
from cluetrain.members.models import Member
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
    """Who solved something like this before, from a description and topics."""
    me = member(request)
    tags = tuple(t for t in params.tags.replace(",", " ").split() if t)[:10]
    if not params.q.strip() and not tags:
        return []
    found = finder.suggest(ExpertQuery(text=params.q, tags=tags), exclude={me.pk}, k=10)
    return [_out(me, s) for s in found]
