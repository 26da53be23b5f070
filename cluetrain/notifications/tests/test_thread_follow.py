"""A followed thread feeds reply notifications and digests like one the member started."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from cluetrain.moderation.actions import check_moderate_thread
from cluetrain.notifications import emails
from cluetrain.notifications.models import Notification
from cluetrain.threads.actions import check_create_thread, check_reply
from cluetrain.threads.follow import check_follow_thread
from conftest import Cast, Places

OnCommit = Callable[..., Any]


def test_followers_are_told_of_each_reply_but_not_of_their_own(
    cast: Cast, places: Places, django_capture_on_commit_callbacks: OnCommit
) -> None:
    thread = check_create_thread(cast.alice, places.forum, title="Hub blinks", body_md="Why?")
    check_follow_thread(cast.bob, thread, follow=True)
    check_follow_thread(cast.pat, thread, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        check_reply(cast.pat, thread, body_md="Same here.")
    told = Notification.objects.filter(thread=thread, kind=Notification.Kind.REPLY)
    assert sorted(told.values_list("recipient__username", flat=True)) == ["alice", "bob"]
    check_follow_thread(cast.bob, thread, follow=False)
    with django_capture_on_commit_callbacks(execute=True):
        check_reply(cast.alice, thread, body_md="Thanks.")
    # Bob unfollowed; Pat follows and is told of Alice's reply.
    latest = Notification.objects.filter(thread=thread).order_by("-pk").first()
    assert latest is not None
    assert latest.recipient == cast.pat
    assert Notification.objects.filter(recipient=cast.bob).count() == 1


def test_a_follower_who_may_no_longer_read_the_thread_is_not_told(
    cast: Cast, places: Places, django_capture_on_commit_callbacks: OnCommit
) -> None:
    thread = check_create_thread(cast.sam, places.forum, title="Acme refund", body_md="?")
    check_follow_thread(cast.bob, thread, follow=True)
    check_moderate_thread(cast.maya, thread, action="move", to_space=places.staff_room)
    with django_capture_on_commit_callbacks(execute=True):
        check_reply(cast.maya, thread, body_md="Internal note.")
    assert not Notification.objects.filter(recipient=cast.bob).exists()


def test_the_digest_lists_replies_in_followed_threads(cast: Cast, places: Places) -> None:
    followed = check_create_thread(cast.alice, places.forum, title="Followed one", body_md="?")
    other = check_create_thread(cast.alice, places.forum, title="Not followed", body_md="?")
    check_follow_thread(cast.bob, followed, follow=True)
    check_reply(cast.pat, followed, body_md="A reply.")
    check_reply(cast.pat, followed, body_md="Another.")
    check_reply(cast.pat, other, body_md="Elsewhere.")
    now = timezone.now()
    digest = emails.build_digest(cast.bob, now - timedelta(hours=1), now + timedelta(hours=1))
    # New posts in the period, the opening post (also new) included.
    assert [(t.title, t.replies) for t in digest.active_threads] == [("Followed one", 3)]
    check_moderate_thread(cast.maya, followed, action="move", to_space=places.staff_room)
    digest = emails.build_digest(cast.bob, now - timedelta(hours=1), now + timedelta(hours=1))
    assert digest.active_threads == []
