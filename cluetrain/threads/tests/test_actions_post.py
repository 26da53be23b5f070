import pytest
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from cluetrain.core.errors import ActionError
from cluetrain.notifications.models import Notification
from cluetrain.search.models import SearchEntry
from cluetrain.threads.actions import check_create_thread, check_reply
from cluetrain.threads.models import Mention, Post, Thread
from conftest import Cast, Places


def test_reply_notifies_thread_author_and_mentioned_member(
    cast: Cast, places: Places, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        thread = check_create_thread(
            cast.alice, places.forum, title="Hub drops Wi-Fi", body_md="Since the update."
        )
        reply = check_reply(cast.sam, thread, body_md="Looking into it, @bob saw this too.")
    assert reply.is_staff_reply is True
    assert list(Mention.objects.values_list("member__username", flat=True)) == ["bob"]
    kinds = dict(Notification.objects.values_list("recipient__username", "kind"))
    assert kinds == {"alice": "staff_reply", "bob": "mention"}
    assert Thread.objects.get(pk=thread.pk).reply_count == 1
    assert SearchEntry.objects.filter(kind="post").count() == 2


def test_customer_cannot_post_in_staff_space(cast: Cast, places: Places) -> None:
    with pytest.raises(ActionError) as refused:
        check_create_thread(cast.alice, places.staff_room, title="Hi", body_md="Let me in")
    assert refused.value.status == 403
    assert Post.objects.count() == 0


def test_locked_thread_refuses_replies(cast: Cast, places: Places) -> None:
    thread = check_create_thread(cast.alice, places.forum, title="Locked", body_md="First")
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    thread.refresh_from_db()
    with pytest.raises(ActionError, match="locked"):
        check_reply(cast.bob, thread, body_md="Can I still reply?")
    assert Post.objects.filter(thread=thread).count() == 1


def test_posting_too_fast_is_refused(cast: Cast, places: Places) -> None:
    thread = check_create_thread(cast.alice, places.forum, title="Flood", body_md="One")
    for number in range(7):
        check_reply(cast.alice, thread, body_md=f"Reply {number}")
    with pytest.raises(ActionError) as refused:
        check_reply(cast.alice, thread, body_md="One too many")
    assert refused.value.status == 429
    assert Post.objects.filter(author=cast.alice).count() == 8
