"""Relationships in the JSON API: my ties and their events, stating and correcting, the map."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from pydantic import Field

from cluetrain.api.auth import member
from cluetrain.api.pagination import PageParams, paginate
from cluetrain.api.schemas import Input, MemberRef, Page, member_ref
from cluetrain.core.access import not_found
from cluetrain.core.errors import ActionError
from cluetrain.members.models import Member
from cluetrain.relationships import actions, queries
from cluetrain.relationships.models import RelationshipEvent, Tie
from cluetrain.relationships.views import target_from

router = Router(tags=["relationships"])


class RelationshipEventOut(Schema):
    id: int
    kind: str
    polarity: int
    weight: float
    inferred: bool
    evidence: str = Field(
        description="what it rests on: an inferred event's in the reader's language "
        "(Accept-Language), a stated one's note as its author wrote it"
    )
    actor: MemberRef | None
    target: str
    about: MemberRef | None
    post_id: int | None
    occurred_at: datetime


class TieOut(Schema):
    other: str
    strength: float
    polarity: float
    nature: str
    cooling: bool
    turning_negative: bool
    kinds: dict[str, int]
    last_at: datetime | None


class TieWithEvents(TieOut):
    events: list[RelationshipEventOut]


class TiePage(Page):
    items: list[TieWithEvents]


class CardOut(Schema):
    member: MemberRef
    tie: TieOut | None
    events: list[RelationshipEventOut]


class ExpressionIn(Input):
    kind: Literal[
        "recommend", "vouch", "referral", "subscription", "blacklist", "invite", "ask_advice"
    ]
    target: str = Field(
        min_length=3,
        max_length=200,
        description="member:USERNAME, organization:SLUG or product:SLUG",
    )
    about: str | None = Field(default=None, max_length=150, description="referral: whom you refer")
    note: str = Field(default="", max_length=300)


class CorrectionIn(Input):
    action: Literal["removed", "positive", "negative", "neutral"]


class MapOut(Schema):
    advocates: list[TieOut]
    detractors: list[TieOut]
    cooling: list[TieOut]
    turning_negative: list[TieOut]
    relationships: int
    transactions: int


def _party(event: RelationshipEvent) -> str:
    if event.target_member is not None:
        return f"member:{event.target_member.username}"
    if event.target_organization is not None:
        return f"organization:{event.target_organization.slug}"
    assert event.target_product is not None
    return f"product:{event.target_product.slug}"


def event_out(event: RelationshipEvent) -> RelationshipEventOut:
    return RelationshipEventOut(
        id=event.pk,
        kind=event.kind,
        polarity=event.polarity,
        weight=event.weight,
        inferred=event.inferred,
        evidence=event.evidence_text(),
        actor=member_ref(event.actor_member),
        target=_party(event),
        about=member_ref(event.about_member),
        post_id=event.post_id,
        occurred_at=event.occurred_at,
    )


def tie_out(tie: Tie, viewer: Member | None) -> TieOut:
    if tie.other_member is not None:
        other = (
            tie.member
            if viewer is not None and tie.other_member_id == viewer.pk
            else tie.other_member
        )
        name = f"member:{other.username}"
    elif tie.organization is not None:
        name = f"organization:{tie.organization.slug}"
    else:
        assert tie.product is not None
        name = f"product:{tie.product.slug}"
    return TieOut(
        other=name,
        strength=tie.strength,
        polarity=tie.polarity,
        nature=tie.nature,
        cooling=tie.cooling,
        turning_negative=tie.turning_negative,
        kinds=tie.kinds,
        last_at=tie.last_at,
    )


@router.get("/relationships", response=TiePage)
def my_relationships(request: HttpRequest, page: Query[PageParams]) -> TiePage:
    """My ties, strongest first, each with the events behind it (the latest 20)."""
    me = member(request)
    # A keyset on (strength, id): a tie whose strength changes while a client pages moves.
    ties, next_cursor = paginate(queries.ties_of(me), ("-strength", "pk"), page, "ties")
    items = [
        TieWithEvents(**tie_out(tie, me).model_dump(), events=[event_out(e) for e in events])
        for tie, events in queries.events_of_ties(me, me, ties, 20)
    ]
    return TiePage(items=items, next=next_cursor)


@router.get("/relationships/with/{username}", response=CardOut)
def relationship_card(request: HttpRequest, username: str) -> CardOut:
    me = member(request)
    other = get_object_or_404(Member, username=username, is_active=True)
    tie = queries.tie_between(me, other)
    return CardOut(
        member=member_ref(other),  # type: ignore[arg-type]
        tie=tie_out(tie, me) if tie else None,
        events=[event_out(e) for e in queries.events_between(me, me, other)[:50]],
    )


@router.post("/relationships/expressions", response={201: RelationshipEventOut})
def state_relationship(request: HttpRequest, payload: ExpressionIn) -> Status[RelationshipEventOut]:
    me = member(request)
    about = None
    if payload.about:
        about = get_object_or_404(Member, username=payload.about.lstrip("@"), is_active=True)
    event = actions.check_express(
        me, payload.kind, target_from(payload.target), about=about, note=payload.note.strip()
    )
    return Status(201, event_out(event))


def _own_event(me: Member, event_id: int) -> RelationshipEvent:
    event = RelationshipEvent.objects.filter(pk=event_id).first()
    if event is None or not actions.is_party(me, event):
        raise not_found(gettext("No such relationship event."))
    return event


@router.delete("/relationships/events/{int:event_id}", response={204: None})
def withdraw_relationship(request: HttpRequest, event_id: int) -> Status[None]:
    me = member(request)
    actions.check_withdraw(me, _own_event(me, event_id))
    return Status(204, None)


@router.post(
    "/relationships/events/{int:event_id}/correction", response=RelationshipEventOut | None
)
def correct_relationship(
    request: HttpRequest, event_id: int, payload: CorrectionIn
) -> RelationshipEventOut | None:
    """Say an inferred event is wrong: not a relationship, or of another sign. Kept for good."""
    me = member(request)
    event = actions.check_correct(me, _own_event(me, event_id), payload.action)
    return event_out(event) if event is not None else None


@router.get("/relationships/map", response=MapOut)
def relationship_map(request: HttpRequest) -> MapOut:
    """Staff: the company's advocates, detractors, cooling and souring ties."""
    if not member(request).is_company_staff:
        raise ActionError(gettext("The relationship map is for staff."), status=403)
    found = queries.company_map()
    return MapOut(
        advocates=[tie_out(t, None) for t in found.advocates],
        detractors=[tie_out(t, None) for t in found.detractors],
        cooling=[tie_out(t, None) for t in found.cooling],
        turning_negative=[tie_out(t, None) for t in found.turning_negative],
        relationships=found.relationships,
        transactions=found.transactions,
    )
