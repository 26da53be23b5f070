from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from cluetrain.members.actions import check_follow
from cluetrain.members.models import Member
from cluetrain.spaces.models import Space, SpaceFollow
from cluetrain.threads.actions import do_create_thread, do_reply
from cluetrain.threads.feed import HOT, NEW, PAGE_SIZE, build_feed
from cluetrain.threads.models import Reaction, Thread
from conftest import Cast, Places


def _thread(author: Member, space: Space, title: str, hours_ago: float = 0) -> Thread:
    when = timezone.now() - timedelta(hours=hours_ago)
    return do_create_thread(
        author, space, title=title, body_md="body", kind="discussion", created_at=when
    )


@pytest.fixture
def threads(cast: Cast, places: Places) -> dict[str, Thread]:
    return {
        "forum": _thread(cast.bob, places.forum, "Forum by Bob", hours_ago=5),
        "help": _thread(cast.maya, places.qa, "Help by Maya", hours_ago=4),
        "staff": _thread(cast.sam, places.staff_room, "Staff secret", hours_ago=3),
        "partner": _thread(cast.pat, places.partner_lounge, "Partner secret", hours_ago=2),
        "ideas": _thread(cast.sam, places.ideas, "Idea by Sam", hours_ago=1),
    }


def _titles(client: Client, query: str = "") -> list[str]:
    response = client.get(f"/{query}")
    assert response.status_code == 200
    return [t.title for t in response.context["feed"].threads]


def test_anonymous_visitors_get_the_public_community_feed(
    threads: dict[str, Thread], client: Client
) -> None:
    response = client.get("/")
    assert response.context["feed"].personal is False
    assert _titles(client) == ["Idea by Sam", "Help by Maya", "Forum by Bob"]
    assert b"Welcome to" in response.content
    assert b'href="/signup/"' in response.content


def test_hidden_threads_never_show(threads: dict[str, Thread], client: Client) -> None:
    Thread.objects.filter(pk=threads["ideas"].pk).update(is_hidden=True)
    assert _titles(client) == ["Help by Maya", "Forum by Bob"]
    assert _titles(client, "?tab=hot") == ["Help by Maya", "Forum by Bob"]


def test_members_who_follow_nothing_get_the_community_feed(
    cast: Cast, threads: dict[str, Thread], client: Client
) -> None:
    client.force_login(cast.alice)
    response = client.get("/")
    assert response.context["feed"].personal is False
    assert b"Make this feed yours" in response.content
    assert _titles(client) == ["Idea by Sam", "Help by Maya", "Forum by Bob"]


@pytest.mark.parametrize("tab", [NEW, HOT])
def test_a_page_past_the_end_of_a_personal_feed_stays_personal(
    cast: Cast, places: Places, threads: dict[str, Thread], tab: str
) -> None:
    SpaceFollow.objects.create(member=cast.alice, space=places.qa)
    beyond = build_feed(cast.alice, tab=tab, page=2)
    assert beyond.personal is True
    assert beyond.threads == []
    assert build_feed(cast.ada, tab=tab, page=2).personal is False  # follows nothing


def test_follower_sees_followed_spaces_people_and_own_threads(
    cast: Cast, places: Places, threads: dict[str, Thread], client: Client
) -> None:
    SpaceFollow.objects.create(member=cast.alice, space=places.qa)
    check_follow(cast.alice, cast.sam)
    mine = _thread(cast.bob, places.reviews, "Bob's review", hours_ago=6)
    do_reply(cast.alice, mine, body_md="me too", created_at=timezone.now() - timedelta(hours=6))
    client.force_login(cast.alice)
    feed = client.get("/").context["feed"]
    assert feed.personal is True
    # Sam's staff-room thread stays out even though alice follows sam.
    assert [t.title for t in feed.threads] == ["Idea by Sam", "Help by Maya", "Bob's review"]


def test_private_spaces_show_only_to_those_inside(
    cast: Cast, places: Places, threads: dict[str, Thread], client: Client
) -> None:
    for member in (cast.alice, cast.pat, cast.sam):
        check_follow(member, cast.sam) if member != cast.sam else None
        SpaceFollow.objects.create(member=member, space=places.staff_room)
        SpaceFollow.objects.create(member=member, space=places.partner_lounge)
    client.force_login(cast.alice)
    assert _titles(client) == ["Idea by Sam"]
    client.force_login(cast.pat)
    assert _titles(client) == ["Idea by Sam", "Partner secret"]
    client.force_login(cast.sam)
    assert _titles(client) == ["Idea by Sam", "Partner secret", "Staff secret"]
    for tab in (NEW, HOT):
        titles = {t.title for t in build_feed(cast.alice, tab=tab).threads}
        assert titles.isdisjoint({"Staff secret", "Partner secret"})


def test_hot_tab_ranks_busy_threads_above_quiet_newer_ones(
    cast: Cast, places: Places, threads: dict[str, Thread], client: Client
) -> None:
    busy = threads["forum"]  # five hours old
    for i in range(6):
        post = do_reply(cast.alice if i % 2 else cast.maya, busy, body_md=f"reply {i}")
    Reaction.objects.create(post=post, member=cast.bob, kind="like", created_at=timezone.now())
    assert _titles(client, "?tab=hot") == ["Forum by Bob", "Idea by Sam", "Help by Maya"]
    # "New" orders by last activity: the replies bumped it too.
    assert _titles(client, "?tab=new") == ["Forum by Bob", "Idea by Sam", "Help by Maya"]
    Thread.objects.filter(pk=busy.pk).update(last_activity_at=timezone.now() - timedelta(hours=5))
    assert _titles(client, "?tab=new") == ["Idea by Sam", "Help by Maya", "Forum by Bob"]


def test_feed_items_show_space_author_replies_and_staff_badge(
    cast: Cast, threads: dict[str, Thread], client: Client
) -> None:
    do_reply(cast.sam, threads["help"], body_md="Staff answer")
    content = client.get("/").content.decode()
    assert f'href="/t/{threads["help"].pk}/"><strong>Help by Maya</strong>' in content
    assert '<a href="/s/help/">Help</a>' in content
    assert '<a href="/people/maya/">Maya Mod</a>' in content
    assert "1 reply</span>" in content
    assert content.count("Staff replied") == 1


def test_feed_pages(cast: Cast, places: Places, client: Client) -> None:
    for i in range(PAGE_SIZE + 3):
        _thread(cast.bob, places.forum, f"T{i:02d}", hours_ago=i)
    first = client.get("/").context["feed"]
    assert (len(first.threads), first.has_next) == (PAGE_SIZE, True)
    second = client.get("/?page=2").context["feed"]
    assert [t.title for t in second.threads] == ["T25", "T26", "T27"]
    assert second.has_next is False
    hot_second = client.get("/?tab=hot&page=2").context["feed"]
    assert len(hot_second.threads) == 3
    assert client.get("/?page=nonsense").context["feed"].page == 1


def test_htmx_tab_switch_returns_the_feed_only(threads: dict[str, Thread], client: Client) -> None:
    response = client.get("/?tab=hot", headers={"HX-Request": "true"})
    assert response.templates[0].name == "threads/_feed.html"
    assert b"<html" not in response.content


@pytest.mark.parametrize("tab", [NEW, HOT])
@pytest.mark.parametrize("extra", [0, 15])
def test_home_query_count_is_pinned(
    cast: Cast,
    places: Places,
    threads: dict[str, Thread],
    client: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
    tab: str,
    extra: int,
) -> None:
    for i in range(extra):
        thread = _thread(cast.bob, places.forum, f"Extra {i}", hours_ago=i)
        do_reply(cast.sam, thread, body_md="staff reply")
    SpaceFollow.objects.create(member=cast.alice, space=places.forum)
    client.force_login(cast.alice)
    # session, viewer, threads of the personal feed (new) | candidates + page (hot), unread.
    with django_assert_num_queries(4 if tab == NEW else 5):
        response = client.get(f"/?tab={tab}")
    assert len(response.context["feed"].threads) == 1 + extra


@pytest.mark.parametrize("tab", [NEW, HOT])
def test_anonymous_home_query_count_is_pinned(
    threads: dict[str, Thread],
    client: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
    tab: str,
) -> None:
    with django_assert_num_queries(1 if tab == NEW else 2):
        client.get(f"/?tab={tab}")
