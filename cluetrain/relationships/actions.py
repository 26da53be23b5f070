"""Relationship expressions: stated by members, inferred from what happens, corrected by members.

Views and the API call `check_*`; inference (cluetrain.relationships.inference), whose input is
the platform's own record, calls `do_record` (other apps' inferences `do_infer`).
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from cluetrain.core.errors import ActionError
from cluetrain.core.events import publish
from cluetrain.core.ratelimit import refuse_past_daily_cap
from cluetrain.core.sentences import Sentence
from cluetrain.members.models import Member
from cluetrain.organizations.models import Organization, Product
from cluetrain.relationships import ties
from cluetrain.relationships.events import RelationshipChanged
from cluetrain.relationships.models import (
    RelationshipCorrection,
    RelationshipEvent,
    RelationshipKind,
)
from cluetrain.relationships.rules import Inferred
from cluetrain.sources.lookup import community_source
from cluetrain_analytics.relationships import KINDS

K = RelationshipKind
#: What members state themselves, and what each may be said of.
RECORDABLE: dict[str, tuple[str, ...]] = {
    K.RECOMMEND: ("member", "organization", "product"),
    K.VOUCH: ("member", "organization"),
    K.REFERRAL: ("member", "organization"),
    K.SUBSCRIPTION: ("member", "organization", "product"),
    K.BLACKLIST: ("member", "organization"),
    K.INVITE: ("member",),
    K.ASK_ADVICE: ("member",),
}
#: Stated once and kept until withdrawn; the others (a referral, an invitation) can repeat.
STANDING = {K.RECOMMEND, K.VOUCH, K.SUBSCRIPTION, K.BLACKLIST}
#: At most this many occurrences of a repeatable kind per member per day: no spam by referral.
DAILY_CAP = 20

Target = Member | Organization | Product


def _target_fields(target: Target) -> dict[str, Target]:
    if isinstance(target, Member):
        return {"target_member": target}
    if isinstance(target, Organization):
        return {"target_organization": target}
    return {"target_product": target}


def _target_type(target: Target) -> str:
    return {Member: "member", Organization: "organization", Product: "product"}[type(target)]


def _publish(event: RelationshipEvent, change: str) -> None:
    pairs = ties.pairs_of(event)
    transaction.on_commit(lambda: ties.refresh(pairs))
    publish(RelationshipChanged(event_id=event.pk, kind=event.kind, change=change))


def check_express(
    actor: Member, kind: str, target: Target, *, about: Member | None = None, note: str = ""
) -> RelationshipEvent:
    """A member states a relationship: recommends, vouches, refers, subscribes, blocks..."""
    if kind not in RECORDABLE:
        allowed = ", ".join(sorted(RECORDABLE))
        raise ActionError(
            gettext("Members can state only these: %(allowed)s.") % {"allowed": allowed},
            field="kind",
        )
    if _target_type(target) not in RECORDABLE[kind]:
        raise ActionError(
            gettext("%(kind)s can be said of a %(allowed)s, not a %(target)s.")
            % {
                "kind": K(kind).label,
                "allowed": gettext(" or ").join(RECORDABLE[kind]),
                "target": _target_type(target),
            },
            field="target",
        )
    if target == actor:
        raise ActionError(gettext("That would be a relationship with yourself."), field="target")
    if not getattr(target, "is_active", True):
        raise ActionError(
            gettext("That member has left the community."), field="target", status=404
        )
    if kind == K.REFERRAL:
        if about is None:
            raise ActionError(gettext("Say whom you are referring."), field="about")
        if about in (target, actor):
            raise ActionError(gettext("Refer someone else to them."), field="about")
    elif about is not None:
        raise ActionError(gettext("Only a referral is about a third member."), field="about")
    if len(note) > 300:
        raise ActionError(gettext("Keep the note under 300 characters."), field="note")
    mine = RelationshipEvent.objects.filter(
        actor_member=actor, kind=kind, inferred=False, **_target_fields(target)
    )
    if kind in STANDING and mine.exists():
        raise ActionError(
            gettext("You already said this (%(kind)s).") % {"kind": K(kind).label}, status=409
        )
    refuse_past_daily_cap(
        RelationshipEvent.objects.filter(actor_member=actor, kind=kind, inferred=False),
        "occurred_at",
        limit=DAILY_CAP,
        message=gettext("That is enough for today; try again tomorrow."),
    )
    return do_express(actor, kind, target, about=about, note=note)


def do_express(
    actor: Member, kind: str, target: Target, *, about: Member | None = None, note: str = ""
) -> RelationshipEvent:
    spec = KINDS[kind]
    with transaction.atomic():
        event = RelationshipEvent.objects.create(
            actor_member=actor,
            kind=kind,
            polarity=spec.polarity,
            weight=spec.weight,
            occurred_at=timezone.now(),
            source=community_source(),
            about_member=about,
            evidence=note,
            **_target_fields(target),
        )
        _publish(event, "stated")
    return event


def check_withdraw(member: Member, event: RelationshipEvent) -> None:
    """A member takes back something they stated (a recommendation, a block)."""
    if event.actor_member_id != member.pk or event.inferred:
        raise ActionError(gettext("You can withdraw only what you stated yourself."), status=403)
    do_withdraw(event)


def do_withdraw(event: RelationshipEvent) -> None:
    with transaction.atomic():
        pairs = ties.pairs_of(event)
        event_id, kind = event.pk, event.kind
        event.delete()
        transaction.on_commit(lambda: ties.refresh(pairs))
        publish(RelationshipChanged(event_id=event_id, kind=kind, change="withdrawn"))


def is_party(member: Member, event: RelationshipEvent) -> bool:
    return member.pk in (event.actor_member_id, event.target_member_id)


def check_correct(
    member: Member, event: RelationshipEvent, action: str
) -> RelationshipEvent | None:
    """A member says an inferred event is wrong: not a relationship, or of another sign."""
    if not is_party(member, event):
        raise ActionError(gettext("You can correct only your own relationships."), status=404)
    if not event.inferred:
        raise ActionError(
            gettext("This was stated, not inferred: its author can withdraw it."), status=409
        )
    if action not in RelationshipCorrection.Action.values:
        choices = ", ".join(RelationshipCorrection.Action.values)
        raise ActionError(
            gettext("Choose one of: %(choices)s.") % {"choices": choices}, field="action"
        )
    return do_correct(member, event, action)


POLARITY_OF = {"positive": 1, "negative": -1, "neutral": 0}


def do_correct(member: Member, event: RelationshipEvent, action: str) -> RelationshipEvent | None:
    with transaction.atomic():
        RelationshipCorrection.objects.update_or_create(
            origin=event.origin, kind=event.kind, defaults={"member": member, "action": action}
        )
        if action == RelationshipCorrection.Action.REMOVED:
            pairs = ties.pairs_of(event)
            event_id, kind = event.pk, event.kind
            event.delete()
            transaction.on_commit(lambda: ties.refresh(pairs))
            publish(RelationshipChanged(event_id=event_id, kind=kind, change="removed"))
            return None
        event.polarity = POLARITY_OF[action]
        event.save(update_fields=["polarity"])
        _publish(event, "corrected")
    return event


def _target_ids(target: Target) -> dict[str, int]:
    if isinstance(target, Member):
        return {"member_id": target.pk}
    if isinstance(target, Organization):
        return {"organization_id": target.pk}
    return {"product_id": target.pk}


#: What an inferred event is created with; its origin, kind and source are set apart.
_ROW_FIELDS = (
    "actor_member_id",
    "actor_external_id",
    "target_member_id",
    "target_organization_id",
    "target_product_id",
    "post_id",
    "polarity",
    "weight",
    "occurred_at",
    "evidence",
    "evidence_sentence",
)


def do_record(inferred: Inferred) -> RelationshipEvent | None:
    """Record what the platform saw, once per origin and kind, unless a member corrected it."""
    correction = (
        RelationshipCorrection.objects.filter(origin=inferred.origin, kind=inferred.kind)
        .values_list("action", flat=True)
        .first()
    )
    if correction == RelationshipCorrection.Action.REMOVED:
        return None
    row = inferred.event(polarity=None if correction is None else POLARITY_OF[correction])
    with transaction.atomic():
        event, created = RelationshipEvent.objects.get_or_create(
            origin=row.origin,
            kind=row.kind,
            inferred=True,
            defaults={name: getattr(row, name) for name in _ROW_FIELDS}
            | {"source": community_source()},
        )
        if created:
            _publish(event, "inferred")
    return event if created else None


def do_infer(
    kind: str,
    *,
    origin: str,
    actor: Member | None = None,
    actor_external_id: int | None = None,
    target: Target,
    occurred_at: datetime,
    evidence: Sentence,
    post_id: int | None = None,
    polarity: int | None = None,
    weight: float | None = None,
) -> RelationshipEvent | None:
    """`do_record` for other apps' own inferences (a referral's outcome, an order, an invite).

    `evidence` is a Sentence (an English msgid marked with gettext_noop, and its values), so
    each reader sees it in their own language."""
    return do_record(
        Inferred(
            kind,
            origin,
            evidence,
            occurred_at,
            actor_id=None if actor is None else actor.pk,
            actor_external_id=actor_external_id,
            post_id=post_id,
            polarity=polarity,
            weight=weight,
            **_target_ids(target),
        )
    )


def do_forget_origin(origin: str) -> int:
    """What was inferred from something that is gone (a deleted post) goes with it.

    Origins nest ("post:12" and "post:12:product:3"): forgetting one forgets those under it.
    """
    events = list(
        RelationshipEvent.objects.filter(
            Q(origin=origin) | Q(origin__startswith=f"{origin}:"), inferred=True
        )
    )
    for event in events:
        pairs = ties.pairs_of(event)
        event_id, kind = event.pk, event.kind
        event.delete()
        transaction.on_commit(lambda pairs=pairs: ties.refresh(pairs))  # type: ignore[misc]
        publish(RelationshipChanged(event_id=event_id, kind=kind, change="removed"))
    return len(events)
