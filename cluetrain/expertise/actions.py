"""Invite a member to answer a question; mark oneself away (views call check_*, which ends
in do_*)."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from cluetrain.core.errors import ActionError
from cluetrain.core.ratelimit import refuse_past_daily_cap
from cluetrain.core.sentences import Sentence
from cluetrain.expertise.models import Away
from cluetrain.members.models import Member
from cluetrain.notifications.actions import do_notify
from cluetrain.notifications.models import Notification
from cluetrain.relationships.actions import do_infer
from cluetrain.relationships.models import RelationshipKind
from cluetrain.spaces.access import can_read_space
from cluetrain.threads.models import Thread

#: Invitations one member may send a day: enough to route questions, too few to spam.
DAILY_INVITES = 20
INVITE_KIND = Notification.Kind.INVITE


def check_invite_to_answer(inviter: Member, thread: Thread, invitee: Member) -> Notification:
    if thread.kind != Thread.Kind.QUESTION:
        raise ActionError(gettext("Only questions take invitations to answer."), status=409)
    if thread.accepted_answer_id is not None:
        raise ActionError(gettext("This question already has an accepted answer."), status=409)
    if thread.is_locked:
        raise ActionError(gettext("This thread is locked."), status=403)
    if invitee.pk == inviter.pk:
        raise ActionError(gettext("You cannot invite yourself."), field="member")
    if not invitee.is_active:
        raise ActionError(
            gettext("That member has left the community."), field="member", status=404
        )
    # The title is in the notification: only someone who may read the thread hears of it.
    if not can_read_space(invitee, thread.space):
        raise ActionError(
            gettext("%(name)s cannot see this space.") % {"name": invitee.name},
            field="member",
            status=403,
        )
    key = f"invite:{thread.pk}:{invitee.pk}"
    if Notification.objects.filter(recipient=invitee, dedupe_key=key).exists():
        raise ActionError(
            gettext("%(name)s has already been invited to answer.") % {"name": invitee.name},
            status=409,
        )
    refuse_past_daily_cap(
        Notification.objects.filter(actor=inviter, kind=INVITE_KIND),
        "created_at",
        limit=DAILY_INVITES,
        message=gettext("That is enough invitations for today."),
    )
    return do_invite_to_answer(inviter, thread, invitee)


@transaction.atomic
def do_invite_to_answer(inviter: Member, thread: Thread, invitee: Member) -> Notification:
    key = f"invite:{thread.pk}:{invitee.pk}"
    do_notify(
        recipient_id=invitee.pk,
        kind=INVITE_KIND,
        dedupe_key=key,
        actor_id=inviter.pk,
        thread_id=thread.pk,
        sentence=Sentence(
            gettext_noop("%(name)s thinks you could answer “%(title)s”"),
            {"name": inviter.name, "title": thread.title},
        ),
    )
    do_infer(
        RelationshipKind.INVITE,
        origin=key,
        actor=inviter,
        target=invitee,
        occurred_at=timezone.now(),
        evidence=Sentence(gettext_noop("invited to answer a question")),
    )
    return Notification.objects.get(recipient=invitee, dedupe_key=key)


#: How far ahead one may be marked away.
AWAY_AT_MOST = timedelta(days=366)


def check_set_away(member: Member, until: date, note: str = "") -> Away:
    """Mark oneself away until `until` (inclusive): the expert finder ranks one lower."""
    today = timezone.localdate()
    if until < today:
        raise ActionError(gettext("Choose a date from today on."), field="until")
    if until > today + AWAY_AT_MOST:
        raise ActionError(gettext("Choose a date within a year."), field="until")
    if len(note) > 200:
        raise ActionError(gettext("Keep the note under 200 characters."), field="note")
    return do_set_away(member, until, note.strip())


def do_set_away(member: Member, until: date, note: str = "") -> Away:
    away, _ = Away.objects.update_or_create(member=member, defaults={"until": until, "note": note})
    return away


def check_clear_away(member: Member) -> None:
    if not Away.objects.filter(member=member).exists():
        raise ActionError(gettext("You are not marked away."), status=404)
    do_clear_away(member)


def do_clear_away(member: Member) -> None:
    Away.objects.filter(member=member).delete()
