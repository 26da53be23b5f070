"""The spam filter on the platform: held contributions, moderators' decisions, retraining."""

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from cluetrain.api.tests.conftest import ApiClient
from cluetrain.api.tokens import do_create_token
from cluetrain.core.errors import ActionError
from cluetrain.exports.ownership import do_delete_account, member_data
from cluetrain.members.actions import check_edit_profile
from cluetrain.members.models import Member, Profile
from cluetrain.moderation.actions import (
    check_decide_held,
    check_moderate_post,
    check_retrain,
    false_hold_rate,
)
from cluetrain.moderation.models import ModerationAction, Screening, SpamModel
from cluetrain.moderation.reasons import in_words
from cluetrain.moderation.screening import current_scorer
from cluetrain.moderation.tests.spam import SPAM, held_reply, spammer
from cluetrain.notifications.models import Notification
from cluetrain.reputation.signals import ratings
from cluetrain.reviews.actions import check_post_review
from cluetrain.search.models import SearchEntry
from cluetrain.threads.actions import check_create_thread, check_edit_post, check_reply
from cluetrain.threads.models import Post, Thread
from cluetrain.webhooks.models import WebhookDelivery, WebhookEndpoint
from cluetrain_analytics.text.spam import Contribution
from conftest import Cast, Places

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]

FAKE_REVIEW = (
    "My husband and I absolutely loved this amazing hub! It was the best purchase of our "
    "lives, a true luxury experience from the moment we opened the box. The staff were so "
    "friendly and helpful, and we will definitely buy it again and recommend it to all of our "
    "friends and family. Five stars, simply perfect in every single way!"
)


@pytest.fixture
def thread(cast: Cast, places: Places) -> Thread:
    return check_create_thread(
        cast.alice, places.forum, title="Hub drops Wi-Fi", body_md="Since the update, nightly."
    )


def _api(who: Member | None) -> ApiClient:
    if who is None:
        return ApiClient()
    _, raw = do_create_token(who, name="tests", scope="write")
    return ApiClient(raw)


def _pid(held: Screening) -> int:
    assert held.post_id is not None
    return held.post_id


def _login(client: Client, who: Member) -> Client:
    client.force_login(who)
    return client


def test_spam_from_a_fresh_account_is_held_and_ordinary_replies_are_not(
    cast: Cast, thread: Thread
) -> None:
    ordinary = check_reply(cast.bob, thread, body_md="Same here since 2.3; a reboot helps.")
    held = held_reply(thread)
    assert held.status == Screening.Status.HELD
    assert held.kind == "post"
    assert held.score >= held.threshold
    assert any("spam phrases" in reason for reason in held.reasons)
    post = Post.objects.get(pk=_pid(held))
    assert post.is_hidden
    assert post.is_held
    ordinary.refresh_from_db()
    assert not ordinary.is_hidden
    assert not ordinary.is_held
    assert Screening.objects.get(post=ordinary).status == Screening.Status.PASSED
    # Passed contributions keep their score, not their text.
    assert Screening.objects.get(post=ordinary).text == ""


def test_staff_and_moderators_are_never_held(cast: Cast, thread: Thread) -> None:
    for member in (cast.sam, cast.maya, cast.ada):
        post = check_reply(member, thread, body_md=SPAM)
        post.refresh_from_db()
        assert not post.is_hidden
    assert not Screening.objects.filter(author__in=[cast.sam, cast.maya, cast.ada]).exists()


def test_a_held_reply_is_seen_by_its_author_and_moderators_only(
    client: Client, cast: Cast, thread: Thread
) -> None:
    held = held_reply(thread)
    author = held.author
    url = f"/t/{thread.pk}/"
    assert "cheap pills" not in _login(client, cast.bob).get(url).content.decode()
    assert "cheap pills" not in Client().get(url).content.decode()
    page = _login(Client(), author).get(url).content.decode()
    assert "cheap pills" in page
    assert "Awaiting moderation" in page
    page = _login(Client(), cast.maya).get(url).content.decode()
    assert "cheap pills" in page
    assert "Awaiting moderation" in page
    # The post's own link: not found for others.
    assert _login(Client(), cast.bob).get(f"/p/{held.post_id}/").status_code == 404


def test_a_held_reply_stays_out_of_the_api_search_and_notifications(
    cast: Cast, thread: Thread, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        held = held_reply(thread)
    assert callbacks  # what reacts after commit (notifications among them) has run
    posts = _api(cast.bob).get(f"/api/threads/{thread.pk}/posts").json()["items"]
    assert held.post_id not in [p["id"] for p in posts]
    assert _api(cast.bob).get(f"/api/posts/{held.post_id}").status_code == 404
    own = _api(held.author).get(f"/api/threads/{thread.pk}/posts").json()["items"]
    mine = next(p for p in own if p["id"] == held.post_id)
    assert mine["is_held"]
    assert "cheap pills" in mine["body_md"]
    assert not SearchEntry.objects.filter(kind="post", object_id=_pid(held)).exists()
    found = _api(cast.bob).get("/api/search/posts", q="casino").json()["items"]
    assert found == []
    # Alice, whose thread it replies to, is not told of it.
    assert not Notification.objects.filter(recipient=cast.alice, post_id=_pid(held)).exists()


def test_a_held_thread_leaves_the_feed_and_its_author_still_sees_it(
    client: Client, cast: Cast, places: Places
) -> None:
    author = spammer()
    thread = check_create_thread(author, places.forum, title="Casino bonus", body_md=SPAM)
    thread.refresh_from_db()
    assert thread.is_hidden
    assert thread.is_held
    assert "Casino bonus" not in _login(client, cast.bob).get("/").content.decode()
    assert _login(Client(), cast.bob).get(f"/t/{thread.pk}/").status_code == 404
    assert _api(cast.bob).get(f"/api/threads/{thread.pk}").status_code == 404
    page = _login(Client(), author).get(f"/t/{thread.pk}/").content.decode()
    assert "Awaiting moderation" in page
    assert "cheap pills" in page
    assert _api(author).get(f"/api/threads/{thread.pk}").json()["is_held"] is True


def test_approving_shows_it_and_sends_what_was_withheld(
    cast: Cast, thread: Thread, django_capture_on_commit_callbacks: Capture
) -> None:
    endpoint = WebhookEndpoint.objects.create(
        url="https://hooks.example.com/in",
        events=["post.created", "contribution.held"],
        created_at=thread.created_at,
    )
    with django_capture_on_commit_callbacks(execute=True):
        held = held_reply(thread)
    sent = list(WebhookDelivery.objects.filter(endpoint=endpoint).values_list("event", flat=True))
    assert sent == ["contribution.held"]
    assert not Notification.objects.filter(recipient=cast.alice).exists()

    with django_capture_on_commit_callbacks(execute=True):
        decided = check_decide_held(cast.maya, held, approve=True, reason="A real offer")
    assert (decided.status, decided.decided_by, decided.decided_at is not None) == (
        "approved",
        cast.maya,
        True,
    )
    post = Post.objects.get(pk=_pid(held))
    assert not post.is_hidden
    assert not post.is_held
    posts = _api(cast.bob).get(f"/api/threads/{thread.pk}/posts").json()["items"]
    assert held.post_id in [p["id"] for p in posts]
    assert SearchEntry.objects.filter(kind="post", object_id=_pid(held)).exists()
    assert Notification.objects.filter(recipient=cast.alice).count() == 1
    events = WebhookDelivery.objects.filter(endpoint=endpoint).values_list("event", flat=True)
    assert sorted(events) == ["contribution.held", "post.created"]
    log = ModerationAction.objects.get(action=ModerationAction.Action.APPROVE_HELD)
    assert (log.actor, log.post_id, log.reason) == (cast.maya, held.post_id, "A real offer")
    assert log.details["score"] == round(held.score, 4)


def test_rejecting_keeps_it_hidden_as_spam(client: Client, cast: Cast, thread: Thread) -> None:
    held = held_reply(thread)
    _login(client, cast.maya)
    response = client.post(f"/moderation/held/{held.pk}/", {"action": "reject"})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == Screening.Status.REJECTED
    assert held.decided_by == cast.maya
    post = Post.objects.get(pk=_pid(held))
    assert post.is_hidden
    assert not post.is_held
    assert "cheap pills" not in _login(Client(), cast.bob).get(f"/t/{thread.pk}/").content.decode()
    assert ModerationAction.objects.filter(action="reject_held", post_id=post.pk).exists()
    # Decided once: a second decision is refused and changes nothing.
    again = client.post(f"/moderation/held/{held.pk}/", {"action": "approve"})
    assert again.status_code == 409
    assert Post.objects.get(pk=post.pk).is_hidden


def test_a_fake_review_is_held_with_its_deception_probability(cast: Cast, places: Places) -> None:
    author = spammer("glowing_reviewer")
    review = check_post_review(
        author, places.product, stars=5, title="Best hub ever!!", body_md=FAKE_REVIEW
    )
    held = Screening.objects.get(author=author)
    assert held.kind == "review"
    assert held.status == "held"
    assert held.deception_probability is not None
    assert held.deception_probability > 0.9
    assert any("invented review" in reason for reason in held.reasons)
    assert Thread.objects.get(pk=review.thread_id).is_hidden
    listed = _api(cast.bob).get(f"/api/products/{places.product.slug}/reviews").json()["items"]
    assert listed == []
    # Its five stars rate no one in reputation until a moderator approves it.
    assert [row for row in ratings() if row[0] == f"m:{author.pk}"] == []
    check_decide_held(cast.maya, held, approve=True)
    assert [row[2] for row in ratings() if row[0] == f"m:{author.pk}"] == [1.0]
    # The audit log names what was decided: the review, not its opening post.
    log = _login(Client(), cast.maya).get("/moderation/log/").content.decode()
    assert f'#post-{held.post_id}">Review</a>' in log
    assert f"Post {held.post_id}" not in log
    # A customer's plain review is not held.
    check_post_review(cast.bob, places.product, stars=2, title="Drops", body_md="Loses Zigbee.")
    assert Screening.objects.get(author=cast.bob).status == "passed"


def test_a_profile_held_waits_empty_until_approved(cast: Cast) -> None:
    author = spammer("seo_pro")
    Profile.objects.create(member=author)
    bio = "SEO services and backlinks, cheap! Click here: http://bit.ly/seo1 http://bit.ly/seo2"
    check_edit_profile(
        author,
        display_name="",
        headline="Growth hacker",
        location="",
        bio=bio,
        expertise=[],
        interests=[],
    )
    profile = Profile.objects.get(member=author)
    assert (profile.headline, profile.bio) == ("", "")
    held = Screening.objects.get(author=author, kind="profile")
    assert held.held_fields == {"headline": "Growth hacker", "bio": bio}
    check_decide_held(cast.maya, held, approve=True)
    profile.refresh_from_db()
    assert (profile.headline, profile.bio) == ("Growth hacker", bio)


def test_an_approved_post_edited_into_spam_is_held_again(cast: Cast, thread: Thread) -> None:
    post = check_reply(cast.bob, thread, body_md="Try channel 11, it fixed mine.")
    check_edit_post(cast.bob, post, body_md=SPAM)
    post.refresh_from_db()
    assert post.is_held
    assert Screening.objects.filter(post=post).count() == 2


def test_customers_can_neither_see_the_queue_nor_decide(
    client: Client, cast: Cast, thread: Thread
) -> None:
    held = held_reply(thread)
    _login(client, cast.alice)
    assert client.get("/moderation/held/").status_code == 403
    assert client.post(f"/moderation/held/{held.pk}/", {"action": "approve"}).status_code == 403
    assert client.post("/moderation/held/retrain/").status_code == 403
    api = _api(cast.alice)
    assert api.get("/api/moderation/held").status_code == 403
    assert (
        api.call("POST", f"/api/moderation/held/{held.pk}", {"decision": "approve"}).status_code
        == 403
    )
    held.refresh_from_db()
    assert held.status == "held"
    # A moderator may decide but not retrain: that is for administrators.
    assert _login(Client(), cast.maya).post("/moderation/held/retrain/").status_code == 403


def test_the_queue_shows_scores_reasons_and_the_false_hold_rate(
    client: Client, cast: Cast, thread: Thread
) -> None:
    first, second, third = (held_reply(thread, spammer(f"s{i}")) for i in range(3))
    check_decide_held(cast.maya, first, approve=True)
    check_decide_held(cast.maya, second, approve=False)
    assert false_hold_rate() == (0.5, 1, 2)
    page = _login(client, cast.maya).get("/moderation/held/").content.decode()
    assert f"held-{third.pk}" in page
    assert f"held-{first.pk}" not in page
    assert "spam phrases" in page
    assert "0.500" in page
    api = _api(cast.maya).get("/api/moderation/held").json()
    assert [item["id"] for item in api["items"]] == [third.pk]
    assert api["false_hold_rate"] == 0.5
    assert api["decided"] == 2
    decided = _api(cast.maya).call(
        "POST", f"/api/moderation/held/{third.pk}", {"decision": "maybe"}
    )
    assert decided.status_code == 400


LINK_DUMPS = [
    "traceroute http://a.example/{i} http://b.example/{i} http://c.example/{i}",
    "screenshots http://img.example/{i}.png http://img.example/{i}b.png http://img.example/x{i}",
]


def test_retraining_on_decisions_changes_the_verdict_on_a_decided_example(
    cast: Cast, thread: Thread
) -> None:
    # Moderators keep approving link dumps (logs, screenshots) and rejecting pitches.
    for i in range(6):
        dump = check_reply(spammer(f"dump{i}"), thread, body_md=LINK_DUMPS[i % 2].format(i=i))
        check_decide_held(cast.maya, Screening.objects.get(post=dump), approve=True)
        check_decide_held(cast.maya, held_reply(thread, spammer(f"pitch{i}")), approve=False)
    example = Screening.objects.filter(status="approved").first()
    assert example is not None
    contribution = Contribution(
        text=example.text,
        account_age_days=example.account_age_days,
        author_post_count=example.author_post_count,
        times_seen_before=example.times_seen_before,
    )
    assert current_scorer().score(contribution).held
    out = StringIO()
    call_command("moderation", "retrain", "--prior-strength", "0.05", stdout=out, stderr=StringIO())
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    assert summary["decisions"] == 12
    assert summary["false_hold_rate"] == 0.5
    assert summary["agree_after"] > summary["agree_before"]
    assert not current_scorer().score(contribution).held
    assert current_scorer().score(Contribution(text=SPAM, account_age_days=0)).held
    model = SpamModel.objects.get()
    assert model.decisions == 12
    assert model.false_hold_rate == 0.5
    # The new model holds new contributions from now on: another link dump passes.
    dump = check_reply(spammer("dump_late"), thread, body_md=LINK_DUMPS[0].format(i=99))
    assert Screening.objects.get(post=dump).status == "passed"


def test_retraining_without_decisions_is_refused(cast: Cast) -> None:
    with pytest.raises(ActionError, match="No decisions yet"):
        check_retrain(cast.ada)
    assert not SpamModel.objects.exists()


def test_repeats_count_against_fresh_accounts_and_an_established_members_own(
    cast: Cast, thread: Thread
) -> None:
    echo = "Same here, my motion sensors drop off after every power outage."
    for n in range(3):
        check_reply(spammer(f"echo{n}"), thread, body_md=echo)
    established = spammer("regular")
    established.date_joined -= timedelta(days=90)
    established.save(update_fields=["date_joined"])
    mine = check_reply(established, thread, body_md=echo)
    assert Screening.objects.get(post=mine).times_seen_before == 0
    copy = check_reply(spammer("echo3"), thread, body_md=echo)
    screened = Screening.objects.get(post=copy)
    assert screened.times_seen_before == 4
    assert screened.status == "held"
    assert any("posted 4 times before" in reason for reason in screened.reasons)


def test_the_authors_data_download_has_what_the_filter_kept_and_deletion_removes_it(
    cast: Cast, thread: Thread
) -> None:
    held = held_reply(thread)
    data = member_data(held.author)
    assert [(row["post_id"], row["status"]) for row in data["spam_filter"]] == [
        (held.post_id, "held")
    ]
    assert "cheap pills" in data["spam_filter"][0]["text"]
    do_delete_account(held.author, posts="remove")
    assert not Screening.objects.filter(pk=held.pk).exists()


def test_a_held_post_is_decided_in_the_queue_not_unhidden_by_hand(
    cast: Cast, thread: Thread
) -> None:
    held = held_reply(thread)
    post = Post.objects.get(pk=_pid(held))
    with pytest.raises(ActionError, match="approve or reject it in the queue"):
        check_moderate_post(cast.maya, post, hide=False)
    post.refresh_from_db()
    assert post.is_hidden


def test_the_held_reasons_are_worded_in_the_moderators_language(
    cast: Cast, thread: Thread, client: Client
) -> None:
    echo = "Same here, my motion sensors drop off after every power outage."
    for n in range(4):
        check_reply(spammer(f"echo{n}"), thread, body_md=echo)
    held = Screening.objects.filter(status="held").latest("pk")
    assert ["seen_before", {"times": 3}] in held.named_reasons
    assert "the same text was posted 3 times before" in held.reasons  # the English record
    client.force_login(cast.maya)
    client.cookies.load({"django_language": "fr"})
    page = client.get("/moderation/held/").content.decode()
    assert "le même texte a été publié 3 fois auparavant" in page
    assert "posted 3 times before" not in page
    with translation.override("fr"):
        assert in_words([("invented_review", {"probability": 0.9312})], []) == [
            "ressemble à un avis inventé (probabilité de tromperie 0,93)"
        ]
    # A screening from before the scorer named its cues keeps its English reasons.
    Screening.objects.filter(pk=held.pk).update(named_reasons=[])
    held.refresh_from_db()
    assert held.reasons_in_words() == held.reasons
