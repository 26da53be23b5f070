"""What the relationship pages and the API read: a member's ties, a pair's card, the staff map."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

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


def events_of_ties(
    viewer: Member, owner: Member, ties: Iterable[Tie], limit: int
) -> list[tuple[Tie, list[RelationshipEvent]]]:
    """Each of `owner`'s ties with its latest `limit` events as `viewer` may see them, in a
    fixed number of queries however many ties (the same events as `events_of_tie`): which
    tie an event counts in is read from its light columns, then the events shown are
    fetched in one go."""
    ties = list(ties)
    if not ties:
        return []
    m = owner.pk
    by_member: dict[int, Tie] = {}
    by_organization: dict[int, Tie] = {}
    by_product: dict[int, Tie] = {}
    for tie in ties:
        if tie.other_member_id is not None:
            by_member[tie.other_member_id if tie.member_id == m else tie.member_id] = tie
        elif tie.organization_id is not None:
            by_organization[tie.organization_id] = tie
        elif tie.product_id is not None:
            by_product[tie.product_id] = tie
    home = company() if by_organization else None
    company_tie = by_organization.get(home.pk) if home is not None else None
    staff: set[int] = set()
    where = Q(
        actor_member_id=m,
        target_member_id__in=list(by_member),
    ) | Q(actor_member_id__in=list(by_member), target_member_id=m)
    where |= Q(actor_member_id=m, target_organization_id__in=list(by_organization))
    where |= Q(actor_member_id=m, target_product_id__in=list(by_product))
    if company_tie is not None:
        staff = set(
            Member.objects.filter(role__in=COMPANY_STAFF_ROLES).values_list("pk", flat=True)
        )
        where |= Q(actor_member_id=m, target_member_id__in=staff) | Q(
            actor_member_id__in=staff, target_member_id=m
        )
    light = (
        visible_events(viewer, RelationshipEvent.objects.filter(where))
        .select_related(None)
        .order_by("-occurred_at", "-pk")
        .values_list(
            "pk",
            "actor_member_id",
            "target_member_id",
            "target_organization_id",
            "target_product_id",
        )
    )
    chosen: dict[int, list[int]] = {tie.pk: [] for tie in ties}
    # Targets and the actor may be NULL (the stubs type these ids as never NULL).
    rows = cast(Iterable[tuple[int, int | None, int | None, int | None, int | None]], light)
    for pk, actor, member, organization, product in rows:
        homes: list[Tie | None] = []
        if actor == m:
            if organization is not None:
                homes.append(by_organization.get(organization))
            elif product is not None:
                homes.append(by_product.get(product))
            elif member is not None:
                homes.append(by_member.get(member))
                if member in staff:
                    homes.append(company_tie)
        elif member == m and actor is not None:
            homes.append(by_member.get(actor))
            if actor in staff:
                homes.append(company_tie)
        for found in homes:
            if found is not None and len(chosen[found.pk]) < limit:
                chosen[found.pk].append(pk)
    wanted = {pk for pks in chosen.values() for pk in pks}
    events = visible_events(viewer, RelationshipEvent.objects.filter(pk__in=wanted)).in_bulk()
    return [(tie, [events[pk] for pk in chosen[tie.pk] if pk in events]) for tie in ties]


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
    """The company's ties with its customers and partners, for staff, heaviest first (by the
    weight behind the strength: the company's strongest ties all have a strength within a
    rounding of 1)."""
    home = company()
    if home is None:
        return CompanyMap()
    ties = Tie.objects.filter(organization=home).select_related("member")
    ties = ties.exclude(member__role__in=COMPANY_STAFF_ROLES)
    return CompanyMap(
        advocates=list(ties.filter(polarity__gt=0).order_by("-mass", "pk")[:MAP_SIZE]),
        detractors=list(ties.filter(polarity__lt=0).order_by("-mass", "pk")[:MAP_SIZE]),
        cooling=list(ties.filter(cooling=True).order_by("-mass", "pk")[:MAP_SIZE]),
        turning_negative=list(
            ties.filter(turning_negative=True).order_by("-mass", "pk")[:MAP_SIZE]
        ),
        members_turning_negative=list(
            Tie.objects.filter(other_member__isnull=False, turning_negative=True)
            .select_related("member", "other_member")
            .order_by("-mass", "pk")[:MAP_SIZE]
        ),
        relationships=ties.filter(nature=Tie.Nature.RELATIONSHIP).count(),
        transactions=ties.filter(nature=Tie.Nature.TRANSACTION).count(),
    )
