"""Sending e-mail: one notification at a time, or a member's digest of a period.

Both are safe to run twice: a notification's e-mail is claimed by a conditional UPDATE, a
digest period by a unique row, before anything is sent.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from cluetrain.members.models import Member
from cluetrain.notifications import emails
from cluetrain.notifications.models import DigestSent, Frequency, Notification


@task()
def send_notification_email(notification_id: int) -> bool:
    """The immediate e-mail of one notification (queued by do_notify after commit)."""
    return do_send_notification_email(notification_id)


def do_send_notification_email(notification_id: int) -> bool:
    """E-mail one notification, at most once (claimed by a conditional UPDATE), and only if
    its recipient still wants immediate e-mail and may still see what it names."""
    notification = (
        Notification.objects.select_related("recipient", "actor")
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if notification is None:
        return False
    if emails.frequency_of(notification.recipient_id) != Frequency.IMMEDIATELY:
        return False
    message = emails.notification_message(notification)
    if message is None:
        return False
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False  # a rerun, or another worker, sent it
    try:
        message.send()
    except Exception:
        # Not sent: give the claim back so that the task's retry sends it.
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


def do_send_digest(member: Member, frequency: str, start: datetime, end: datetime) -> int:
    """Send the member's digest for one period, once: the period's row is taken first, so a
    second run (or a concurrent one) sends nothing. Returns the items sent (0: nothing sent)."""
    try:
        with transaction.atomic():
            sent = DigestSent.objects.create(
                member=member, frequency=frequency, period_start=start, sent_at=timezone.now()
            )
    except IntegrityError:
        return 0
    digest = emails.build_digest(member, start, end)
    if digest.items == 0 or not member.email:
        return 0  # nothing happened: no e-mail, and the period stays done
    try:
        emails.digest_message(member, frequency, start, digest).send()
    except Exception:
        sent.delete()  # not sent: the next run tries this period again
        raise
    DigestSent.objects.filter(pk=sent.pk).update(items=digest.items)
    return digest.items
