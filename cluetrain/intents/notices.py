"""The notifications that name a request, found by their dedupe keys (`intent:<id>:...`,
access.notice_key) and removed when the request is withdrawn or deleted, so that no notice
shows a request its reader may no longer see."""

from cluetrain.intents.access import notice_key
from cluetrain.intents.models import Intent
from cluetrain.notifications.models import Notification


def do_forget_notices(intent: Intent, *, vendors_only: bool = False) -> int:
    """Delete the notifications that name `intent` (its notices' dedupe keys start with
    `intent:<id>:`): a withdrawn request's vendors', a deleted one's everyone's."""
    notices = Notification.objects.filter(
        kind=Notification.Kind.REQUEST, dedupe_key__startswith=notice_key(intent.pk, "")
    )
    if vendors_only:
        notices = notices.exclude(recipient_id=intent.customer_id)
    deleted, _ = notices.delete()
    return deleted
