"""A member is told what a moderator decided about their held contribution."""

from collections.abc import Callable
from typing import Any

from cluetrain.members.actions import check_edit_profile
from cluetrain.members.models import Profile
from cluetrain.moderation.actions import check_decide_held
from cluetrain.moderation.models import Screening
from cluetrain.moderation.tests.spam import held_reply, spammer
from cluetrain.notifications.models import Notification
from cluetrain.threads.actions import check_create_thread
from conftest import Cast, Places

OnCommit = Callable[..., Any]


def test_a_member_whose_profile_was_held_hears_it_was_approved(
    cast: Cast, django_capture_on_commit_callbacks: OnCommit
) -> None:
    author = spammer("seo_pro")
    Profile.objects.create(member=author)
    check_edit_profile(
        author,
        display_name="",
        headline="Growth hacker",
        location="",
        bio="SEO and backlinks, cheap! Click here: http://bit.ly/seo1 http://bit.ly/seo2",
        expertise=[],
        interests=[],
    )
    held = Screening.objects.get(author=author, kind="profile")
    assert not Notification.objects.filter(recipient=author).exists()
    with django_capture_on_commit_callbacks(execute=True):
        check_decide_held(cast.maya, held, approve=True)
    told = Notification.objects.get(recipient=author, kind=Notification.Kind.MODERATION)
    assert told.text == "A moderator approved the changes to your profile: everyone can see it now."
    assert told.dedupe_key == f"moderation:{held.pk}"
    assert told.post_id is None


def test_a_rejected_reply_is_announced_to_its_author_without_naming_the_post(
    cast: Cast, places: Places, django_capture_on_commit_callbacks: OnCommit
) -> None:
    thread = check_create_thread(cast.alice, places.forum, title="Wifi", body_md="Drops.")
    held = held_reply(thread)
    with django_capture_on_commit_callbacks(execute=True):
        check_decide_held(cast.maya, held, approve=False)
    told = Notification.objects.get(recipient=held.author, kind=Notification.Kind.MODERATION)
    assert told.text == "A moderator did not publish your post."
    assert (told.post_id, told.thread_id) == (None, None)
    # Nobody else hears of it.
    assert Notification.objects.filter(kind=Notification.Kind.MODERATION).count() == 1
