"""A member's corrections of inferred events, shown back to them and undone on request.

Undoing forgets the correction and infers again from what the event came from, so the event
comes back as the platform sees it now (a reply since deleted stays gone). Only origins that
can be read again one by one are undone: replies, accepted answers, reviews, reactions and
connections; the others (a deal, a referral, a message read by listening) keep their
correction, and the page says so.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext

from cluetrain.core.errors import ActionError
from cluetrain.core.events import publish
from cluetrain.members.models import Connection, Member
from cluetrain.relationships import inference, ties
from cluetrain.relationships.events import RelationshipChanged
from cluetrain.relationships.models import RelationshipCorrection, RelationshipEvent


def _id(raw: str) -> int | None:
    return int(raw) if raw.isdigit() else None


def reinfer(origin: str) -> Callable[[], None] | None:
    """How to infer again what `origin` names, or None where that is not done one by one."""
    side, *rest = origin.split(":")
    first = _id(rest[0]) if rest else None
    if first is None:
        return None
    if side == "post" and len(rest) == 1:
        return lambda: inference.infer_from_post.call(first)
    if side == "accepted" and len(rest) == 1:
        return lambda: inference.infer_from_accepted_answer.call(first)
    if side == "review" and len(rest) in (1, 2):
        return lambda: inference.infer_from_review.call(first)
    second = _id(rest[1]) if len(rest) == 3 else None
    if second is None:
        return None
    if side == "reaction":
        kind = rest[2]
        return lambda: inference.infer_from_reaction.call(first, second, kind, True)
    if side == "connection":
        found = Connection.objects.filter(
            from_member_id=first, to_member_id=second, kind=rest[2]
        ).first()
        if found is not None:
            connection_id = found.pk
            return lambda: inference.infer_from_connection.call(connection_id)
    return None


@dataclass
class Shown:
    correction: RelationshipCorrection
    undoable: bool
    post_id: int | None  # the post it happened at, when its origin names one


def corrections_of(member: Member) -> list[Shown]:
    """The member's corrections, newest first, each with whether it can be undone."""
    found = RelationshipCorrection.objects.filter(member=member).order_by("-created_at", "-pk")
    shown = []
    for correction in found[:100]:
        side, *rest = correction.origin.split(":")
        post_id = (
            int(rest[0])
            if side in ("post", "accepted", "reaction") and rest and rest[0].isdigit()
            else None
        )
        shown.append(Shown(correction, reinfer(correction.origin) is not None, post_id))
    return shown


def check_undo_correction(member: Member, correction_id: int) -> None:
    correction = RelationshipCorrection.objects.filter(pk=correction_id, member=member).first()
    if correction is None:
        raise ActionError(gettext("No such correction."), status=404)
    again = reinfer(correction.origin)
    if again is None:
        raise ActionError(
            gettext("This correction cannot be undone: what it corrected is not read again."),
            status=409,
        )
    do_undo_correction(correction, again)


def do_undo_correction(correction: RelationshipCorrection, again: Callable[[], None]) -> None:
    with transaction.atomic():
        # An event whose sign was corrected goes, then comes back as the rules infer it.
        for event in RelationshipEvent.objects.filter(
            origin=correction.origin, kind=correction.kind, inferred=True
        ):
            pairs = ties.pairs_of(event)
            event_id, kind = event.pk, event.kind
            event.delete()
            transaction.on_commit(lambda pairs=pairs: ties.refresh(pairs))  # type: ignore[misc]
            publish(RelationshipChanged(event_id=event_id, kind=kind, change="removed"))
        correction.delete()
        again()
