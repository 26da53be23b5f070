import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from cluetrain.members.actions import (
    check_edit_profile,
    check_follow,
    check_request_connection,
    check_respond_to_connection,
    parse_tags,
)
from cluetrain.members.models import Member, Profile
from cluetrain.search.models import SearchEntry
from cluetrain.threads.actions import do_create_thread, do_reply
from cluetrain.topics.models import Topic
from conftest import Cast, Places, make_member


def _connect(a: Member, b: Member) -> None:
    check_respond_to_connection(b, check_request_connection(a, b), accept=True)


def test_profile_shows_details_counts_and_connections(
    cast: Cast, places: Places, client: Client
) -> None:
    check_edit_profile(
        cast.sam,
        display_name="Sam Staff",
        headline="Support lead",
        location="Lyon",
        bio="I fix things.",
        expertise=["Installation", "Wi-Fi"],
        interests=["Heat pumps"],
    )
    check_follow(cast.alice, cast.sam)
    check_follow(cast.bob, cast.sam)
    check_follow(cast.sam, cast.bob)
    _connect(cast.sam, cast.maya)
    response = client.get("/people/sam/")
    assert response.status_code == 200
    counts = response.context["counts"]
    assert (counts.followers, counts.following, counts.connections) == (2, 1, 1)
    assert response.context["connections"] == [cast.maya]
    content = response.content.decode()
    for text in ("Support lead", "Lyon", "I fix things.", "Installation", "Wi-Fi", "Heat pumps"):
        assert text in content
    assert '<span class="badge staff" title="Speaks for the company">Staff</span>' in content
    assert "Log in to follow or connect" in content


def test_partner_is_marked(cast: Cast, client: Client) -> None:
    response = client.get("/people/pat/")
    assert '<span class="badge warn" title="Partner provider">Partner</span>' in (
        response.content.decode()
    )


def test_unknown_or_inactive_member_is_404(cast: Cast, client: Client) -> None:
    assert client.get("/people/nobody/").status_code == 404
    Member.objects.filter(pk=cast.bob.pk).update(is_active=False)
    assert client.get("/people/bob/").status_code == 404


def test_recent_activity_shows_only_what_the_viewer_may_read(
    cast: Cast, places: Places, client: Client
) -> None:
    public = do_create_thread(
        cast.sam, places.forum, title="Public news", body_md="hi", kind="discussion"
    )
    do_create_thread(
        cast.sam, places.staff_room, title="Secret plans", body_md="x", kind="discussion"
    )
    hidden = do_create_thread(
        cast.sam, places.forum, title="Hidden one", body_md="x", kind="discussion"
    )
    hidden.is_hidden = True
    hidden.save()
    reply = do_reply(cast.sam, public, body_md="A staff answer")
    reply.is_deleted = True
    reply.save()

    titles = [p.thread.title for p in client.get("/people/sam/").context["recent_posts"]]
    assert titles == ["Public news"]
    client.force_login(cast.alice)
    titles = [p.thread.title for p in client.get("/people/sam/").context["recent_posts"]]
    assert titles == ["Public news"]
    client.force_login(cast.maya)
    titles = [p.thread.title for p in client.get("/people/sam/").context["recent_posts"]]
    assert titles == ["Secret plans", "Public news"]


def _fill_profile(member: Member, places: Places, n: int) -> None:
    check_edit_profile(
        member,
        display_name=member.display_name,
        headline="h",
        location="l",
        bio="b",
        expertise=[f"skill {i}" for i in range(n)],
        interests=[f"interest {i}" for i in range(n)],
    )
    for i in range(n):
        do_create_thread(member, places.forum, title=f"T{i}", body_md="x", kind="discussion")
        other = make_member(f"friend{member.username}{i}", Member.Role.CUSTOMER)
        _connect(other, member)
        check_follow(other, member)


@pytest.mark.parametrize("rows", [1, 6])
def test_profile_query_count_is_pinned(
    cast: Cast,
    places: Places,
    client: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
    rows: int,
) -> None:
    _fill_profile(cast.sam, places, rows)
    client.force_login(cast.alice)
    # session, viewer, member+profile+organization, expertise, interests, counts,
    # viewer's ties, recent posts, connections, reputation, unread notifications (nav),
    # whether the member is away (expertise's profile section), their latest blog posts (blogs).
    with django_assert_num_queries(13):
        response = client.get("/people/sam/")
    assert response.status_code == 200
    assert len(response.context["recent_posts"]) == rows


def test_profile_edit_saves_tags_and_reindexes(cast: Cast, client: Client) -> None:
    Topic.objects.create(name="Wi-Fi", slug="wi-fi")
    client.force_login(cast.alice)
    assert client.get("/settings/profile/").status_code == 200
    response = client.post(
        "/settings/profile/",
        {
            "display_name": "Alice A.",
            "headline": "Early adopter",
            "location": "Berlin",
            "bio": "Hello",
            "expertise": "wi-fi, Smart Home ,, smart home",
            "interests": "Solar",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/people/alice/"
    profile = Profile.objects.get(member=cast.alice)
    assert (profile.headline, profile.location, profile.bio) == ("Early adopter", "Berlin", "Hello")
    assert sorted(profile.expertise.values_list("slug", flat=True)) == ["smart-home", "wi-fi"]
    assert list(profile.interests.values_list("name", flat=True)) == ["Solar"]
    assert Topic.objects.filter(slug="wi-fi").count() == 1
    cast.alice.refresh_from_db()
    assert cast.alice.display_name == "Alice A."
    entry = SearchEntry.objects.get(kind=SearchEntry.Kind.MEMBER, object_id=cast.alice.pk)
    assert entry.title == "Alice A."
    assert "Berlin" in entry.body
    assert "Smart Home" in entry.body
    form = client.get("/settings/profile/").context["form"]
    assert form.initial["expertise"] == "Smart Home, Wi-Fi"


def test_profile_edit_refuses_too_many_topics(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    response = client.post(
        "/settings/profile/",
        {"display_name": "Alice", "expertise": ",".join(f"t{i}" for i in range(21))},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["expertise"] == ["Up to 20 topics, please; you gave 21."]
    assert Topic.objects.count() == 0
    cast.alice.refresh_from_db()
    assert cast.alice.display_name == "Alice Archer"


def test_profile_edit_needs_login(client: Client, db: None) -> None:
    response = client.get("/settings/profile/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/settings/profile/"


def test_parse_tags() -> None:
    assert parse_tags(" Wi-Fi , wifi,  heat   pumps,,Heat Pumps ") == [
        "Wi-Fi",
        "wifi",
        "heat pumps",
    ]
    assert parse_tags("") == []


def test_members_without_a_profile_still_show(cast: Cast, client: Client) -> None:
    # `createsuperuser` makes no Profile row.
    Member.objects.create_user(username="root", email="root@example.com", password="x")
    assert client.get("/people/root/").status_code == 200
    response = client.get("/people/?q=root")
    assert [m.username for m in response.context["page"].object_list] == ["root"]
    client.force_login(Member.objects.get(username="root"))
    assert client.get("/settings/profile/").status_code == 200


def test_edit_profile_indexes_the_new_text_even_with_a_cached_profile(cast: Cast) -> None:
    assert cast.alice.profile.location == ""  # caches the old profile on the member
    check_edit_profile(
        cast.alice,
        display_name="Alice Archer",
        headline="",
        location="Oslo",
        bio="",
        expertise=["Solar"],
        interests=[],
    )
    entry = SearchEntry.objects.get(kind=SearchEntry.Kind.MEMBER, object_id=cast.alice.pk)
    assert entry.body == "Alice Archer alice Oslo Solar"
