from datetime import timedelta

from django.test import Client
from django.utils import timezone

from cluetrain.spaces.models import Space, SpaceFollow
from cluetrain.threads.actions import do_create_thread
from cluetrain.threads.models import Thread
from conftest import Cast, Places


def _thread(cast: Cast, space: Space, title: str, minutes_ago: int) -> Thread:
    return do_create_thread(
        cast.alice,
        space,
        title=title,
        body_md="Body",
        kind="discussion",
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def test_spaces_are_grouped_by_kind_with_thread_counts(
    client: Client, cast: Cast, places: Places
) -> None:
    _thread(cast, places.forum, "One", 5)
    _thread(cast, places.forum, "Two", 4)
    hidden = _thread(cast, places.forum, "Gone", 3)
    Thread.objects.filter(pk=hidden.pk).update(is_hidden=True)
    client.force_login(cast.alice)
    response = client.get("/spaces/")
    groups = [
        (group["label"], [(s.slug, s.thread_count) for s in group["spaces"]])
        for group in response.context["groups"]
    ]
    assert groups == [
        ("Discussion forum", [("general", 2)]),
        ("Questions & answers", [("help", 0)]),
        ("Ideas", [("ideas", 0)]),
        ("Reviews", [("reviews", 0)]),
    ]
    assert "Staff room" not in response.content.decode()


def test_staff_and_partners_see_their_private_spaces(
    client: Client, cast: Cast, places: Places
) -> None:
    client.force_login(cast.pat)
    html = client.get("/spaces/").content.decode()
    assert "Partner lounge" in html
    assert "Staff room" not in html
    client.force_login(cast.sam)
    html = client.get("/spaces/").content.decode()
    assert "Partner lounge" in html
    assert "Staff room" in html


def test_space_lists_pinned_first_then_by_last_activity(
    client: Client, cast: Cast, places: Places
) -> None:
    old = _thread(cast, places.forum, "Old", 30)
    pinned = _thread(cast, places.forum, "Rules", 60)
    new = _thread(cast, places.forum, "New", 1)
    Thread.objects.filter(pk=pinned.pk).update(is_pinned=True)
    response = client.get("/s/general/")
    assert [t.pk for t in response.context["page"]] == [pinned.pk, new.pk, old.pk]
    assert "📌 Pinned" in response.content.decode()


def test_space_is_paginated(client: Client, cast: Cast, places: Places) -> None:
    for number in range(27):
        _thread(cast, places.forum, f"Thread {number}", number)
    first = client.get("/s/general/")
    assert [t.title for t in first.context["page"]][:2] == ["Thread 0", "Thread 1"]
    assert len(first.context["page"]) == 25
    assert "Page 1 of 2" in first.content.decode()
    second = client.get("/s/general/?page=2")
    assert [t.title for t in second.context["page"]] == ["Thread 25", "Thread 26"]


def test_private_space_is_404_for_outsiders(client: Client, cast: Cast, places: Places) -> None:
    assert client.get("/s/staff-room/").status_code == 404
    client.force_login(cast.alice)
    assert client.get("/s/staff-room/").status_code == 404
    assert client.get("/s/partner-lounge/").status_code == 404
    client.force_login(cast.pat)
    assert client.get("/s/partner-lounge/").status_code == 200


def test_hidden_threads_are_listed_for_moderators_only(
    client: Client, cast: Cast, places: Places
) -> None:
    hidden = _thread(cast, places.forum, "Spam", 1)
    Thread.objects.filter(pk=hidden.pk).update(is_hidden=True)
    client.force_login(cast.bob)
    assert list(client.get("/s/general/").context["page"]) == []
    client.force_login(cast.maya)
    assert [t.pk for t in client.get("/s/general/").context["page"]] == [hidden.pk]


def test_follow_and_unfollow_a_space(client: Client, cast: Cast, places: Places) -> None:
    client.force_login(cast.bob)
    response = client.post("/s/general/follow/", {"action": "follow"})
    assert response["Location"] == "/s/general/"
    client.post("/s/general/follow/", {"action": "follow"})
    assert list(SpaceFollow.objects.values_list("member__username", "space__slug")) == [
        ("bob", "general")
    ]
    assert "✓ Following · 1" in client.get("/s/general/").content.decode()
    partial = client.post(
        "/s/general/follow/", {"action": "unfollow"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert partial.lstrip().startswith("<form")
    assert "Follow · 0" in partial
    assert SpaceFollow.objects.count() == 0


def test_following_needs_login_and_access(client: Client, cast: Cast, places: Places) -> None:
    response = client.post("/s/general/follow/")
    assert response["Location"] == "/accounts/login/?next=/s/general/follow/"
    client.force_login(cast.alice)
    assert client.post("/s/staff-room/follow/").status_code == 404
    assert client.get("/s/general/follow/").status_code == 405
    assert SpaceFollow.objects.count() == 0
