"""Pairs and their ties: which events belong to a pair, and the roll-up kept in `Tie`.

A member's tie with *the company* gathers what they expressed toward the company itself and
what passed between them and its staff (a staff reply that helped is the company helping).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cluetrain.members.models import COMPANY_STAFF_ROLES, Member
from cluetrain.organizations.models import Organization, Product
from cluetrain.relationships.models import RelationshipEvent, Tie
from cluetrain_analytics.relationships import Expression, roll_up


@dataclass(frozen=True, slots=True)
class Pair:
    """A member and the other side: exactly one of other_member, organization, product."""

    member_id: int
    other_member_id: int | None = None
    organization_id: int | None = None
    product_id: int | None = None

    @classmethod
    def members(cls, a: int, b: int) -> "Pair":
        low, high = sorted((a, b))
        return cls(member_id=low, other_member_id=high)


def company() -> Organization | None:
    return Organization.objects.filter(kind=Organization.Kind.COMPANY).order_by("pk").first()


def pairs_of(event: RelationshipEvent) -> list[Pair]:
    """The ties an event counts in (none for an outside author: ties are members')."""
    actor = event.actor_member_id
    if actor is None:
        return []
    if event.target_organization_id is not None:
        return [Pair(actor, organization_id=event.target_organization_id)]
    if event.target_product_id is not None:
        return [Pair(actor, product_id=event.target_product_id)]
    assert event.target_member_id is not None  # the table's check constraint says so
    pairs = [Pair.members(actor, event.target_member_id)]
    roles = dict(
        Member.objects.filter(pk__in=(actor, event.target_member_id)).values_list("pk", "role")
    )
    staff = {pk for pk, role in roles.items() if role in COMPANY_STAFF_ROLES}
    # Only staff with a customer speaks for the company: ask for the company only then.
    home = company() if len(staff) == 1 else None
    if home is not None:
        (customer,) = set(roles) - staff
        pairs.append(Pair(customer, organization_id=home.pk))
    return pairs


def events_of(pair: Pair) -> "Q":
    """The filter for every event that counts in `pair`'s tie."""
    m = pair.member_id
    if pair.other_member_id is not None:
        o = pair.other_member_id
        return Q(actor_member_id=m, target_member_id=o) | Q(actor_member_id=o, target_member_id=m)
    if pair.product_id is not None:
        return Q(actor_member_id=m, target_product_id=pair.product_id)
    direct = Q(actor_member_id=m, target_organization_id=pair.organization_id)
    home = company()
    if home is None or home.pk != pair.organization_id:
        return direct
    staff = Member.objects.filter(role__in=COMPANY_STAFF_ROLES).values("pk")
    return (
        direct
        | Q(actor_member_id=m, target_member_id__in=staff)
        | Q(actor_member_id__in=staff, target_member_id=m)
    )


def refresh(pairs: Iterable[Pair]) -> list[Tie]:
    """Roll each pair's events up again and store the tie (or drop it when nothing is left)."""
    now = timezone.now()
    ties = []
    for pair in set(pairs):
        rows = list(
            RelationshipEvent.objects.filter(events_of(pair)).values_list(
                "kind", "occurred_at", "polarity", "weight"
            )
        )
        key: dict[str, Any] = {
            "member_id": pair.member_id,
            "other_member_id": pair.other_member_id,
            "organization_id": pair.organization_id,
            "product_id": pair.product_id,
        }
        if not rows:
            Tie.objects.filter(**key).delete()
            continue
        tie = roll_up([Expression(k, at, polarity=p, weight=w) for k, at, p, w in rows], now)
        stored, _ = Tie.objects.update_or_create(
            **key,
            defaults={
                "strength": tie.strength,
                "mass": tie.mass,
                "polarity": tie.polarity,
                "nature": tie.nature,
                "positive": tie.positive,
                "negative": tie.negative,
                "cooling": tie.cooling,
                "turning_negative": tie.turning_negative,
                "kinds": tie.kinds,
                "event_count": len(rows),
                "last_at": tie.last_at,
                "updated_at": now,
            },
        )
        ties.append(stored)
    return ties


def refresh_all() -> int:
    """Rebuild every tie at once (decay moves on with time): nightly, and after a backfill.

    In bulk: every event read once, grouped by pair in memory, ties replaced in one go.
    """
    now = timezone.now()
    home = company()
    staff = set(Member.objects.filter(role__in=COMPANY_STAFF_ROLES).values_list("pk", flat=True))
    grouped: dict[Pair, list[Expression]] = {}
    rows = RelationshipEvent.objects.filter(actor_member__isnull=False).values_list(
        "actor_member_id",
        "target_member_id",
        "target_organization_id",
        "target_product_id",
        "kind",
        "occurred_at",
        "polarity",
        "weight",
    )
    # Targets may be NULL (the stubs type these ids as never NULL).
    typed = cast(
        Iterable[tuple[int, int | None, int | None, int | None, str, datetime, int, float]],
        rows.iterator(chunk_size=5000),
    )
    for actor, member, organization, product, kind, at, polarity, weight in typed:
        expression = Expression(kind, at, polarity=polarity, weight=weight)
        if organization is not None:
            keys = [Pair(actor, organization_id=organization)]
        elif product is not None:
            keys = [Pair(actor, product_id=product)]
        else:
            assert member is not None  # the table's check constraint says so
            keys = [Pair.members(actor, member)]
            if home is not None and (actor in staff) != (member in staff):
                keys.append(Pair(member if actor in staff else actor, organization_id=home.pk))
        for key in keys:
            grouped.setdefault(key, []).append(expression)
    fresh = []
    for pair, expressions in grouped.items():
        tie = roll_up(expressions, now)
        fresh.append(
            Tie(
                member_id=pair.member_id,
                other_member_id=pair.other_member_id,
                organization_id=pair.organization_id,
                product_id=pair.product_id,
                strength=tie.strength,
                mass=tie.mass,
                polarity=tie.polarity,
                nature=tie.nature,
                positive=tie.positive,
                negative=tie.negative,
                cooling=tie.cooling,
                turning_negative=tie.turning_negative,
                kinds=tie.kinds,
                event_count=len(expressions),
                last_at=tie.last_at,
                updated_at=now,
            )
        )
    with transaction.atomic():
        Tie.objects.all().delete()
        Tie.objects.bulk_create(fresh, batch_size=2000)
    return len(fresh)


def other_side(tie: Tie) -> Member | Organization | Product:
    other = tie.other_member or tie.organization or tie.product
    assert other is not None
    return other
