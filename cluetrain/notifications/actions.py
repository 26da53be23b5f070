"""Deliver notifications. Each has a dedupe key, so delivering twice writes once."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from cluetrain.notifications.models import Notification


def do_notify(
    *,
    recipient_id: int,
    kind: str,
    dedupe_key: str,
    actor_id: int | None = None,
    thread_id: int | None = None,
    post_id: int | None = None,
    idea_id: int | None = None,
    text: str = "",
) -> bool:
    """Create one notification; False if it was already delivered or is to oneself."""
    if actor_id is not None and actor_id == recipient_id:
        return False
    try:
        with transaction.atomic():
            Notification.objects.create(
                recipient_id=recipient_id,
                kind=kind,
                dedupe_key=dedupe_key,
                actor_id=actor_id,
                thread_id=thread_id,
                post_id=post_id,
                idea_id=idea_id,
                text=text[:300],
                created_at=timezone.now(),
            )
    except IntegrityError:
        return False
    return True


def do_mark_all_read(recipient_id: int) -> int:
    return Notification.objects.filter(recipient_id=recipient_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )
