import pytest
from django.test import Client

from cluetrain.moderation.models import Flag, ModerationAction
from cluetrain.search.models import SearchEntry
from cluetrain.spaces.models import Space
from cluetrain.threads.actions import check_create_thread, check_reply
from cluetrain.threads.models import Post, Thread
from conftest import Cast, Places


@pytest.fixture
def thread(cast: Cast, places: Places) -> Thread:
    return check_create_thread(cast.alice, places.forum, title="Hub drops Wi-Fi", body_md="Help")


@pytest.fixture
def spam(cast: Cast, thread: Thread) -> Post:
    return check_reply(cast.bob, thread, body_md="Buy cheap watches")


def _indexed(*posts: Post) -> list[int]:
    return sorted(
        SearchEntry.objects.filter(kind="post", object_id__in=[p.pk for p in posts]).values_list(
            "object_id", flat=True
        )
    )


def test_member_flags_a_post_once(client: Client, cast: Cast, spam: Post) -> None:
    client.force_login(cast.alice)
    assert client.get(f"/p/{spam.pk}/flag/").status_code == 200
    response = client.post(f"/p/{spam.pk}/flag/", {"reason": "spam", "note": "Ads again"})
    assert response.status_code == 200
    flag = Flag.objects.get()
    assert (flag.post, flag.reporter, flag.reason, flag.note, flag.status) == (
        spam,
        cast.alice,
        "spam",
        "Ads again",
        "open",
    )
    again = client.post(f"/p/{spam.pk}/flag/", {"reason": "abuse"})
    assert again.status_code == 409
    assert "You have already flagged this post" in again.content.decode()
    assert Flag.objects.count() == 1


def test_flag_needs_a_reason_and_not_your_own_post(client: Client, cast: Cast, spam: Post) -> None:
    client.force_login(cast.alice)
    assert client.post(f"/p/{spam.pk}/flag/", {"reason": "boring"}).status_code == 400
    client.force_login(cast.bob)
    assert client.post(f"/p/{spam.pk}/flag/", {"reason": "spam"}).status_code == 403
    assert Flag.objects.count() == 0


def test_anonymous_visitors_cannot_flag(client: Client, spam: Post) -> None:
    response = client.post(f"/p/{spam.pk}/flag/", {"reason": "spam"})
    assert response["Location"] == f"/accounts/login/?next=/p/{spam.pk}/flag/"
    assert Flag.objects.count() == 0


def test_queue_lists_open_flags_for_moderators(client: Client, cast: Cast, spam: Post) -> None:
    Flag.objects.create(post=spam, reporter=cast.alice, reason="spam", created_at=spam.created_at)
    client.force_login(cast.maya)
    response = client.get("/moderation/")
    assert response.status_code == 200
    assert [flag.post for flag in response.context["page"]] == [spam]
    html = response.content.decode()
    assert "Buy cheap watches" in html
    assert "Hub drops Wi-Fi" in html


@pytest.mark.parametrize("who", ["alice", "sam", "pat"])
def test_moderation_pages_are_forbidden_to_others(
    client: Client, cast: Cast, thread: Thread, spam: Post, who: str
) -> None:
    flag = Flag.objects.create(
        post=spam, reporter=cast.alice, reason="spam", created_at=spam.created_at
    )
    client.force_login(getattr(cast, who))
    assert client.get("/moderation/").status_code == 403
    assert client.get("/moderation/log/").status_code == 403
    assert client.post(f"/flags/{flag.pk}/resolve/", {"action": "uphold"}).status_code == 403
    assert client.post(f"/p/{spam.pk}/moderate/", {"action": "hide"}).status_code == 403
    response = client.post(f"/t/{thread.pk}/moderate/", {"action": "lock"})
    assert response.status_code == 403
    assert "Only moderators can do this." in response.content.decode()
    assert Flag.objects.get().status == "open"
    assert Post.objects.get(pk=spam.pk).is_hidden is False
    assert Thread.objects.get(pk=thread.pk).is_locked is False
    assert ModerationAction.objects.count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    assert client.get("/moderation/")["Location"] == "/accounts/login/?next=/moderation/"


def test_upholding_a_flag_hides_the_post_and_closes_its_flags(
    client: Client, cast: Cast, spam: Post
) -> None:
    first = Flag.objects.create(
        post=spam, reporter=cast.alice, reason="spam", created_at=spam.created_at
    )
    Flag.objects.create(post=spam, reporter=cast.pat, reason="abuse", created_at=spam.created_at)
    assert _indexed(spam) == [spam.pk]
    client.force_login(cast.maya)
    response = client.post(f"/flags/{first.pk}/resolve/", {"action": "uphold", "reason": "Ads"})
    assert response["Location"] == "/moderation/"
    assert list(Flag.objects.values_list("status", "resolved_by__username")) == [
        ("upheld", "maya"),
        ("upheld", "maya"),
    ]
    assert Post.objects.get(pk=spam.pk).is_hidden is True
    assert _indexed(spam) == []
    log = list(ModerationAction.objects.order_by("pk").values_list("action", "actor__username"))
    assert log == [("resolve_flag", "maya"), ("hide_post", "maya")]
    assert ModerationAction.objects.get(action="resolve_flag").details == {
        "outcome": "upheld",
        "flag_ids": sorted(Flag.objects.values_list("pk", flat=True)),
    }


def test_a_flag_upheld_without_a_reason_puts_no_english_words_in_the_log(
    client: Client, cast: Cast, spam: Post
) -> None:
    flag = Flag.objects.create(
        post=spam, reporter=cast.alice, reason="spam", created_at=spam.created_at
    )
    client.force_login(cast.maya)
    client.post(f"/flags/{flag.pk}/resolve/", {"action": "uphold"})
    assert list(ModerationAction.objects.values_list("action", "reason").order_by("pk")) == [
        ("resolve_flag", ""),
        ("hide_post", ""),
    ]


def test_dismissing_a_flag_keeps_the_post(client: Client, cast: Cast, spam: Post) -> None:
    flag = Flag.objects.create(
        post=spam, reporter=cast.alice, reason="spam", created_at=spam.created_at
    )
    client.force_login(cast.ada)
    client.post(f"/flags/{flag.pk}/resolve/", {"action": "dismiss"})
    assert Flag.objects.get().status == "dismissed"
    assert Post.objects.get(pk=spam.pk).is_hidden is False
    assert list(ModerationAction.objects.values_list("action", "details")) == [
        ("resolve_flag", {"outcome": "dismissed", "flag_ids": [flag.pk]})
    ]
    again = client.post(f"/flags/{flag.pk}/resolve/", {"action": "uphold"})
    assert again.status_code == 409
    assert ModerationAction.objects.count() == 1


def test_hide_and_unhide_a_post(client: Client, cast: Cast, thread: Thread, spam: Post) -> None:
    client.force_login(cast.maya)
    response = client.post(f"/p/{spam.pk}/moderate/", {"action": "hide", "reason": "Spam"})
    assert response["Location"] == f"/t/{thread.pk}/#post-{spam.pk}"
    assert Post.objects.get(pk=spam.pk).is_hidden is True
    assert _indexed(spam) == []
    assert client.post(f"/p/{spam.pk}/moderate/", {"action": "hide"}).status_code == 409
    client.post(f"/p/{spam.pk}/moderate/", {"action": "unhide"})
    assert Post.objects.get(pk=spam.pk).is_hidden is False
    assert _indexed(spam) == [spam.pk]
    log = ModerationAction.objects.order_by("pk").values_list(
        "action", "post_id", "thread_id", "target_member__username", "reason"
    )
    assert list(log) == [
        ("hide_post", spam.pk, thread.pk, "bob", "Spam"),
        ("unhide_post", spam.pk, thread.pk, "bob", ""),
    ]


def test_hide_and_unhide_a_thread(client: Client, cast: Cast, thread: Thread, spam: Post) -> None:
    opening = thread.posts.get(parent=None)
    client.force_login(cast.maya)
    client.post(f"/t/{thread.pk}/moderate/", {"action": "hide", "reason": "Off topic"})
    assert Thread.objects.get(pk=thread.pk).is_hidden is True
    assert _indexed(opening, spam) == []
    client.force_login(cast.bob)
    assert client.get(f"/t/{thread.pk}/").status_code == 404
    client.force_login(cast.maya)
    client.post(f"/t/{thread.pk}/moderate/", {"action": "unhide"})
    assert _indexed(opening, spam) == sorted([opening.pk, spam.pk])
    assert list(ModerationAction.objects.order_by("pk").values_list("action", "thread_id")) == [
        ("hide_thread", thread.pk),
        ("unhide_thread", thread.pk),
    ]


def test_unhiding_a_thread_keeps_hidden_posts_out_of_search(
    client: Client, cast: Cast, thread: Thread, spam: Post
) -> None:
    client.force_login(cast.maya)
    client.post(f"/p/{spam.pk}/moderate/", {"action": "hide"})
    client.post(f"/t/{thread.pk}/moderate/", {"action": "hide"})
    client.post(f"/t/{thread.pk}/moderate/", {"action": "unhide"})
    assert _indexed(spam) == []


def test_lock_unlock_pin_unpin(client: Client, cast: Cast, thread: Thread) -> None:
    client.force_login(cast.maya)
    for action in ["lock", "pin"]:
        response = client.post(f"/t/{thread.pk}/moderate/", {"action": action})
        assert response["Location"] == f"/t/{thread.pk}/"
    state = Thread.objects.values_list("is_locked", "is_pinned").get(pk=thread.pk)
    assert state == (True, True)
    assert client.post(f"/t/{thread.pk}/moderate/", {"action": "lock"}).status_code == 409
    for action in ["unlock", "unpin"]:
        client.post(f"/t/{thread.pk}/moderate/", {"action": action})
    state = Thread.objects.values_list("is_locked", "is_pinned").get(pk=thread.pk)
    assert state == (False, False)
    assert list(ModerationAction.objects.order_by("pk").values_list("action", flat=True)) == [
        "lock_thread",
        "pin_thread",
        "unlock_thread",
        "unpin_thread",
    ]


def test_move_a_thread_updates_search_visibility(
    client: Client, cast: Cast, places: Places, thread: Thread, spam: Post
) -> None:
    client.force_login(cast.maya)
    response = client.post(
        f"/t/{thread.pk}/moderate/", {"action": "move", "space": "staff-room", "reason": "Internal"}
    )
    assert response["Location"] == f"/t/{thread.pk}/"
    assert Thread.objects.get(pk=thread.pk).space == places.staff_room
    visibilities = set(SearchEntry.objects.filter(kind="post").values_list("visibility", flat=True))
    assert visibilities == {"staff"}
    action = ModerationAction.objects.get()
    assert (action.action, action.thread, action.reason, action.details) == (
        "move_thread",
        thread,
        "Internal",
        {"from": "general", "to": "staff-room"},
    )
    client.force_login(cast.alice)
    assert client.get(f"/t/{thread.pk}/").status_code == 404


@pytest.mark.parametrize("slug", ["general", "ideas", "no-such-space"])
def test_impossible_moves_are_refused(
    client: Client, cast: Cast, places: Places, thread: Thread, slug: str
) -> None:
    client.force_login(cast.maya)
    response = client.post(f"/t/{thread.pk}/moderate/", {"action": "move", "space": slug})
    assert response.status_code == 400
    assert Thread.objects.get(pk=thread.pk).space == places.forum
    assert ModerationAction.objects.count() == 0


def test_moderation_log_lists_every_act(client: Client, cast: Cast, thread: Thread) -> None:
    client.force_login(cast.maya)
    client.post(f"/t/{thread.pk}/moderate/", {"action": "lock", "reason": "Heated"})
    client.post(f"/t/{thread.pk}/moderate/", {"action": "move", "space": "help"})
    response = client.get("/moderation/log/")
    assert [entry.action for entry in response.context["page"]] == ["move_thread", "lock_thread"]
    html = response.content.decode()
    assert "moved a thread from general to help" in html
    assert "“Heated”" in html


def test_moderator_thread_page_offers_only_compatible_spaces(
    client: Client, cast: Cast, thread: Thread
) -> None:
    client.force_login(cast.maya)
    spaces = client.get(f"/t/{thread.pk}/").context["move_spaces"]
    assert [space.slug for space in spaces] == [
        "help",
        "partner-lounge",
        "staff-room",
    ]
    assert Space.objects.count() == 6
