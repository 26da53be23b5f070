"""Found #4: a notification never carries a thread the recipient may not read.

Checked when it is made (mentions, replies, any do_notify naming a thread) and again when it
is shown (the inbox, the API, the count in the navigation), since threads move and hide.
"""

from collections.abc import Callable
from typing import Any

from django.test import Client

from cluetrain.core.sentences import Sentence
from cluetrain.moderation.actions import check_moderate_post, check_moderate_thread
from cluetrain.notifications.actions import do_notify
from cluetrain.notifications.models import Notification
from cluetrain.threads.actions import check_create_thread, check_reply
from conftest import Cast, Places

OnCommit = Callable[..., Any]


def test_mention_in_a_staff_only_thread_does_not_notify_a_customer(
    cast: Cast, places: Places, django_capture_on_commit_callbacks: OnCommit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        check_create_thread(
            cast.sam,
            places.staff_room,
            title="Refund policy for Acme (internal)",
            body_md="What do we tell @alice? Ask @maya too.",
        )
    # The moderator, who may read the staff room, is told; the customer is not.
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["maya"]
    assert not Notification.objects.filter(text__contains="Acme").exclude(recipient=cast.maya)


def test_reply_in_a_thread_moved_to_staff_does_not_notify_its_customer_author(
    cast: Cast, places: Places, django_capture_on_commit_callbacks: OnCommit
) -> None:
    thread = check_create_thread(cast.alice, places.forum, title="My hub", body_md="It blinks.")
    check_moderate_thread(cast.maya, thread, action="move", to_space=places.staff_room)
    with django_capture_on_commit_callbacks(execute=True):
        check_reply(cast.sam, thread, body_md="Internal note about @alice's hub.")
    assert not Notification.objects.filter(recipient=cast.alice).exists()


def test_do_notify_refuses_a_recipient_who_cannot_read_the_thread(
    cast: Cast, places: Places
) -> None:
    thread = check_create_thread(cast.sam, places.staff_room, title="Secret", body_md="x")
    made = do_notify(
        recipient_id=cast.bob.pk,
        kind="reply",
        dedupe_key="k",
        thread_id=thread.pk,
        sentence=Sentence("Secret"),
    )
    assert made is False
    assert (
        do_notify(
            recipient_id=cast.pat.pk,
            kind="reply",
            dedupe_key="k",
            thread_id=thread.pk,
            sentence=Sentence("x"),
        )
        is False
    )  # a partner reads partner spaces, not the staff room
    assert do_notify(
        recipient_id=cast.maya.pk,
        kind="reply",
        dedupe_key="k",
        thread_id=thread.pk,
        sentence=Sentence("x"),
    )


def test_a_notification_whose_thread_became_staff_only_is_no_longer_shown(
    cast: Cast, places: Places, client: Client
) -> None:
    thread = check_create_thread(cast.alice, places.forum, title="Hub blinks", body_md="Help.")
    reply = check_reply(cast.bob, thread, body_md="Same here.")
    assert do_notify(
        recipient_id=cast.alice.pk,
        kind="reply",
        dedupe_key="r",
        actor_id=cast.bob.pk,
        thread_id=thread.pk,
        post_id=reply.pk,
        sentence=Sentence("Bob Baker replied in “Hub blinks”"),
    )
    do_notify(
        recipient_id=cast.alice.pk,
        kind="follow",
        dedupe_key="f",
        sentence=Sentence("Bob follows you"),
    )
    client.force_login(cast.alice)
    assert "Hub blinks" in client.get("/notifications/").content.decode()

    check_moderate_thread(cast.maya, thread, action="move", to_space=places.staff_room)

    page = client.get("/notifications/")
    assert [n.dedupe_key for n in page.context["page"].object_list] == ["f"]
    assert "Hub blinks" not in page.content.decode()
    api = client.get("/api/notifications").json()
    assert [n["text"] for n in api["items"]] == ["Bob follows you"]
    assert api["unread"] == 1
    assert page.context["unread_notifications"] == 1


def test_a_notification_of_a_hidden_post_is_shown_to_moderators_only(
    cast: Cast, places: Places, client: Client
) -> None:
    thread = check_create_thread(cast.alice, places.forum, title="Hub", body_md="Help.")
    reply = check_reply(cast.bob, thread, body_md="Buy cheap watches, @alice.")
    for recipient in (cast.alice, cast.maya):
        do_notify(
            recipient_id=recipient.pk,
            kind="mention",
            dedupe_key="m",
            post_id=reply.pk,
            sentence=Sentence("m"),
        )
    check_moderate_post(cast.maya, reply, hide=True, reason="spam")
    client.force_login(cast.alice)
    assert client.get("/api/notifications").json()["items"] == []
    client.force_login(cast.maya)
    assert len(client.get("/api/notifications").json()["items"]) == 1
