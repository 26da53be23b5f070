"""What the spam filter holds is not counted nor shown to others until approved: a held reply
in its thread's reply count and last activity (the thread page, the feed, the API); a held
profile edit, which its author is told of on their own pages while others see the approved
one."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cluetrain.api.tests.conftest import ApiClient
from cluetrain.api.tokens import do_create_token
from cluetrain.members.actions import check_edit_profile
from cluetrain.members.models import Member, Profile
from cluetrain.moderation.actions import check_decide_held
from cluetrain.moderation.models import Screening
from cluetrain.moderation.tests.spam import SPAM, held_reply, spammer
from cluetrain.threads.actions import check_create_thread, check_edit_post, check_reply
from cluetrain.threads.models import Thread
from conftest import Cast, Places


def _api(who: Member) -> ApiClient:
    _, raw = do_create_token(who, name="tests", scope="write")
    return ApiClient(raw)


def _thread(cast: Cast, places: Places) -> Thread:
    thread = check_create_thread(
        cast.alice, places.forum, title="Hub drops Wi-Fi", body_md="Since the update, nightly."
    )
    # An hour ago, so that a reply's activity shows.
    earlier = timezone.now() - timedelta(hours=1)
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=earlier)
    thread.refresh_from_db()
    return thread


def _counts(cast: Cast, thread: Thread) -> tuple[int, int, str, str]:
    """The reply count as the database, the API, the thread page and the feed show it."""
    row = Thread.objects.get(pk=thread.pk)
    api = _api(cast.bob).get(f"/api/threads/{thread.pk}").json()["reply_count"]
    client = Client()
    client.force_login(cast.bob)
    page = client.get(f"/t/{thread.pk}/").content.decode()
    feed = client.get("/?tab=new").content.decode()
    heading = next(line for line in page.splitlines() if 'id="replies-heading"' in line)
    return row.reply_count, api, heading, feed


def test_a_held_reply_is_not_counted_until_approved_and_then_once(
    cast: Cast, places: Places
) -> None:
    thread = _thread(cast, places)
    check_reply(cast.bob, thread, body_md="Same here since 2.3.")
    after_bob = Thread.objects.get(pk=thread.pk).last_activity_at
    held = held_reply(thread)
    row, api, heading, feed = _counts(cast, thread)
    assert (row, api) == (1, 1)
    assert "1 reply<" in heading
    assert "1 reply<" in feed
    assert Thread.objects.get(pk=thread.pk).last_activity_at == after_bob
    check_decide_held(cast.maya, held, approve=True)
    row, api, heading, feed = _counts(cast, thread)
    assert (row, api) == (2, 2)
    assert "2 replies<" in heading
    assert "2 replies<" in feed
    assert Thread.objects.get(pk=thread.pk).last_activity_at >= after_bob


def test_a_rejected_reply_never_counts(cast: Cast, places: Places) -> None:
    thread = _thread(cast, places)
    before = Thread.objects.get(pk=thread.pk).last_activity_at
    held = held_reply(thread)
    check_decide_held(cast.maya, held, approve=False)
    row, api, heading, _ = _counts(cast, thread)
    assert (row, api) == (0, 0)
    assert "0 replies<" in heading
    assert Thread.objects.get(pk=thread.pk).last_activity_at == before


def test_a_reply_edited_into_spam_leaves_the_count_and_comes_back_once_approved(
    cast: Cast, places: Places
) -> None:
    thread = _thread(cast, places)
    post = check_reply(cast.bob, thread, body_md="Try channel 11, it fixed mine.")
    assert Thread.objects.get(pk=thread.pk).reply_count == 1
    check_edit_post(cast.bob, post, body_md=SPAM)
    assert Thread.objects.get(pk=thread.pk).reply_count == 0
    held = Screening.objects.get(post=post, status=Screening.Status.HELD)
    check_decide_held(cast.maya, held, approve=True)
    assert Thread.objects.get(pk=thread.pk).reply_count == 1


def _edit(member: Member, headline: str, bio: str) -> None:
    check_edit_profile(
        member,
        display_name="",
        headline=headline,
        location="",
        bio=bio,
        expertise=[],
        interests=[],
    )


def _page(who: Member | None, path: str) -> str:
    client = Client()
    if who is not None:
        client.force_login(who)
    return client.get(path).content.decode()


def test_a_member_is_told_their_profile_edit_awaits_moderation_others_see_the_approved_one(
    cast: Cast,
) -> None:
    author = spammer("seo_pro")
    Profile.objects.create(member=author)
    _edit(author, "Gardener", "I grow tomatoes in Leeds.")
    assert Screening.objects.get(author=author).status == Screening.Status.PASSED
    spam_bio = "SEO services and backlinks, cheap! Click here: http://bit.ly/seo1 http://bit.ly/s2"
    _edit(author, "Growth hacker", spam_bio)
    held = Screening.objects.get(author=author, status=Screening.Status.HELD)
    # Others see the approved profile, not the held edit.
    profile = Profile.objects.get(member=author)
    assert (profile.headline, profile.bio) == ("Gardener", "I grow tomatoes in Leeds.")
    for viewer in (cast.bob, None):
        page = _page(viewer, reverse("profile", args=[author.username]))
        assert "Gardener" in page
        assert "Growth hacker" not in page
        assert "awaiting moderation" not in page
    # The author is told, on their profile and on the edit page.
    notice = "Your changes to your headline and bio are awaiting moderation"
    assert notice in _page(author, reverse("profile", args=[author.username]))
    assert notice in _page(author, reverse("profile_edit"))
    assert notice not in _page(cast.bob, reverse("profile_edit"))
    check_decide_held(cast.maya, held, approve=True)
    profile.refresh_from_db()
    assert (profile.headline, profile.bio) == ("Growth hacker", spam_bio)
    assert "awaiting moderation" not in _page(author, reverse("profile", args=[author.username]))


def test_a_profile_emptied_by_its_author_is_not_shown_again_when_a_later_edit_is_held(
    cast: Cast,
) -> None:
    author = spammer("seo_pro")
    Profile.objects.create(member=author)
    _edit(author, "Gardener", "I grow tomatoes in Leeds.")
    _edit(author, "", "")
    _edit(author, "Growth hacker", "Cheap SEO, click here: http://bit.ly/seo1 http://bit.ly/s2")
    assert Screening.objects.filter(author=author, status=Screening.Status.HELD).exists()
    profile = Profile.objects.get(member=author)
    assert (profile.headline, profile.bio) == ("", "")
