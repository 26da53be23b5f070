"""Following a thread: "Follow this thread" on its page and in the API (docs/notifications.md).

A member may follow only a thread they may read: the caller fetched it through access_thread.
Followers get a notification for each reply and the thread's replies in their digest; the
notifications app reads ThreadFollow, this app never calls it.
"""

from django.utils import timezone

from cluetrain.members.models import Member
from cluetrain.threads.models import Thread, ThreadFollow


def is_following(member: Member | None, thread: Thread) -> bool:
    if member is None:
        return False
    return ThreadFollow.objects.filter(member=member, thread=thread).exists()


def check_follow_thread(member: Member, thread: Thread, *, follow: bool) -> bool:
    """Follow or unfollow; True when something changed (a second follow changes nothing)."""
    return do_follow_thread(member, thread, follow=follow)


def do_follow_thread(member: Member, thread: Thread, *, follow: bool) -> bool:
    if follow:
        _, created = ThreadFollow.objects.get_or_create(
            member=member, thread=thread, defaults={"created_at": timezone.now()}
        )
        return created
    deleted, _ = ThreadFollow.objects.filter(member=member, thread=thread).delete()
    return deleted > 0
