"""Deliver notifications. Each has a dedupe key, so delivering twice writes once."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from cluetrain.members.models import Member
from cluetrain.notifications.models import Notification
from cluetrain.notifications.visibility import may_be_told_about
from cluetrain.threads.models import Post, Thread


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
    """Create one notification; False if it was already delivered, is to oneself, or names a
    thread or post the recipient may not read (a staff-only thread's title stays inside)."""
    if actor_id is not None and actor_id == recipient_id:
        return False
    if thread_id is not None or post_id is not None:
        recipient = Member.objects.filter(pk=recipient_id).first()
        thread = post = None
        if thread_id is not None:
            thread = Thread.objects.select_related("space").filter(pk=thread_id).first()
        if post_id is not None:
            post = Post.objects.select_related("thread__space").filter(pk=post_id).first()
        if recipient is None or not may_be_told_about(recipient, thread, post):
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
