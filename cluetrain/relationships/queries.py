"""What the relationship pages and the API read: a member's ties, a pair's card, the staff map."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from cluetrain.members.models import COMPANY_STAFF_ROLES, Member
from cluetrain.relationships.models import RelationshipEvent, RelationshipKind, Tie
from cluetrain.relationships.ties import Pair, company, events_of

MAP_SIZE = 15


def blockers_of(member: Member) -> QuerySet[RelationshipEvent, int]:
    """Who blocked the member (a subquery of member ids)."""
    return RelationshipEvent.objects.filter(
        kind=RelationshipKind.BLACKLIST, target_member=member
    ).values_list("actor_member", flat=True)


def ties_of(member: Member) -> QuerySet[Tie]:
    """Every tie the member is part of, strongest first; not those with who blocked them."""
    blockers = blockers_of(member)
    return (
        Tie.objects.filter(Q(member=member) | Q(other_member=member))
        .exclude(Q(member__in=blockers) | Q(other_member__in=blockers))
        .select_related("member", "other_member", "organization", "product")
        .order_by("-strength", "pk")
    )


def visible_events(
    viewer: Member, events: QuerySet[RelationshipEvent]
) -> QuerySet[RelationshipEvent]:
    """Events as the viewer may see them: nobody learns that someone else blocked them."""
    return events.exclude(
        Q(kind=RelationshipKind.BLACKLIST) & ~Q(actor_member=viewer)
    ).select_related(
        "actor_member",
        "actor_external",
        "target_member",
        "target_organization",
        "target_product",
        "about_member",
        "post__thread",
    )


def pair_of_tie(tie: Tie) -> Pair:
    return Pair(
        member_id=tie.member_id,
        other_member_id=tie.other_member_id,
        organization_id=tie.organization_id,
        product_id=tie.product_id,
    )


def events_of_tie(viewer: Member, tie: Tie) -> QuerySet[RelationshipEvent]:
    events = RelationshipEvent.objects.filter(events_of(pair_of_tie(tie)))
    return visible_events(viewer, events).order_by("-occurred_at", "-pk")


def tie_between(a: Member, b: Member) -> Tie | None:
    """The tie as `a` may see it: none when `b` blocked `a`."""
    if blockers_of(a).filter(actor_member=b).exists():
        return None
    pair = Pair.members(a.pk, b.pk)
    return Tie.objects.filter(
        member_id=pair.member_id, other_member_id=pair.other_member_id
    ).first()


def events_between(viewer: Member, a: Member, b: Member) -> QuerySet[RelationshipEvent]:
    events = RelationshipEvent.objects.filter(events_of(Pair.members(a.pk, b.pk)))
    return visible_events(viewer, events).order_by("-occurred_at", "-pk")


def stated_by(actor: Member, target: Member) -> dict[str, RelationshipEvent]:
    """What `actor` has stated about `target` and still stands: for the buttons' state."""
    rows = RelationshipEvent.objects.filter(
        actor_member=actor, target_member=target, inferred=False
    )
    return {event.kind: event for event in rows.order_by("occurred_at")}


@dataclass
class CompanyMap:
    advocates: list[Tie] = field(default_factory=list)
    detractors: list[Tie] = field(default_factory=list)
    cooling: list[Tie] = field(default_factory=list)
    turning_negative: list[Tie] = field(default_factory=list)
    members_turning_negative: list[Tie] = field(default_factory=list)
    relationships: int = 0
    transactions: int = 0


def company_map() -> CompanyMap:
    """The company's ties with its customers and partners, for staff."""
    home = company()
    if home is None:
        return CompanyMap()
    ties = Tie.objects.filter(organization=home).select_related("member")
    ties = ties.exclude(member__role__in=COMPANY_STAFF_ROLES)
    return CompanyMap(
        advocates=list(ties.filter(polarity__gt=0).order_by("-strength", "pk")[:MAP_SIZE]),
        detractors=list(ties.filter(polarity__lt=0).order_by("-strength", "pk")[:MAP_SIZE]),
        cooling=list(ties.filter(cooling=True).order_by("-strength", "pk")[:MAP_SIZE]),
        turning_negative=list(ties.filter(turning_negative=True).order_by("-strength")[:MAP_SIZE]),
        members_turning_negative=list(
            Tie.objects.filter(other_member__isnull=False, turning_negative=True)
            .select_related("member", "other_member")
            .order_by("-strength")[:MAP_SIZE]
        ),
        relationships=ties.filter(nature=Tie.Nature.RELATIONSHIP).count(),
        transactions=ties.filter(nature=Tie.Nature.TRANSACTION).count(),
    )
