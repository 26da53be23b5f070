"""Which notifications a member may still be shown.

A notification names a thread (its title is in the text) and links to it. It is checked when
it is made (`do_notify` refuses a recipient who cannot read the thread) and again when it is
shown, since a thread can move to a staff-only space, be hidden, or a member change role
after the notification was made.
"""

from django.db.models import Q

from cluetrain.members.models import Member
from cluetrain.spaces.access import readable_visibilities
from cluetrain.threads.access import can_see_thread
from cluetrain.threads.models import Post, Thread


def may_be_told_about(recipient: Member, thread: Thread | None, post: Post | None) -> bool:
    """Whether the recipient may read the thread (and post) a notification would name."""
    if thread is None and post is not None:
        thread = post.thread
    if thread is not None and not can_see_thread(recipient, thread):
        return False
    if post is None:
        return True
    return not post.is_deleted and (not post.is_hidden or recipient.can_moderate)


def still_visible(recipient: Member) -> Q:
    """A filter on Notification: those whose thread and post the recipient may read today."""
    visibilities = readable_visibilities(recipient)
    thread_ok = Q(thread__isnull=True) | Q(thread__space__visibility__in=visibilities)
    post_ok = Q(post__isnull=True) | Q(
        post__is_deleted=False, post__thread__space__visibility__in=visibilities
    )
    if not recipient.can_moderate:
        thread_ok &= Q(thread__isnull=True) | Q(thread__is_hidden=False)
        post_ok &= Q(post__isnull=True) | Q(post__is_hidden=False, post__thread__is_hidden=False)
    return thread_ok & post_ok
