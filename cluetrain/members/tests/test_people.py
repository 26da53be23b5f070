import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from cluetrain.members.actions import check_edit_profile
from cluetrain.members.models import Member
from conftest import Cast, make_member


@pytest.fixture
def experts(cast: Cast) -> Cast:
    check_edit_profile(
        cast.sam,
        display_name="Sam Staff",
        headline="",
        location="Lyon, France",
        bio="",
        expertise=["Installation", "Wi-Fi"],
        interests=[],
    )
    check_edit_profile(
        cast.pat,
        display_name="Pat Partner",
        headline="",
        location="Berlin",
        bio="",
        expertise=["Installation"],
        interests=["Wi-Fi"],
    )
    check_edit_profile(
        cast.alice,
        display_name="Alice Archer",
        headline="",
        location="Lyon",
        bio="",
        expertise=[],
        interests=[],
    )
    return cast


def _names(client: Client, query: str) -> list[str]:
    response = client.get(f"/people/?{query}")
    assert response.status_code == 200
    return [m.username for m in response.context["page"].object_list]


def test_people_lists_everyone_by_username(experts: Cast, client: Client) -> None:
    assert _names(client, "") == ["ada", "alice", "bob", "maya", "pat", "sam"]


def test_people_search_by_name(experts: Cast, client: Client) -> None:
    assert _names(client, "q=bak") == ["bob"]  # display name "Bob Baker"
    assert _names(client, "q=MAY") == ["maya"]


def test_people_search_by_expertise(experts: Cast, client: Client) -> None:
    assert _names(client, "expertise=installation") == ["pat", "sam"]
    assert _names(client, "expertise=wi-fi") == ["sam"]  # pat is only interested
    assert _names(client, "expertise=Wi") == ["sam"]


def test_people_search_by_location_and_role(experts: Cast, client: Client) -> None:
    assert _names(client, "location=lyon") == ["alice", "sam"]
    assert _names(client, "location=lyon&role=staff") == ["sam"]
    assert _names(client, "role=partner") == ["pat"]


def test_people_htmx_returns_the_list_only(experts: Cast, client: Client) -> None:
    response = client.get("/people/?q=sam", headers={"HX-Request": "true"})
    assert response.templates[0].name == "members/_people_list.html"
    assert b"<form" not in response.content


def test_people_is_paginated(cast: Cast, client: Client) -> None:
    for i in range(30):
        make_member(f"user{i:02d}", Member.Role.CUSTOMER)
    page = client.get("/people/?page=2").context["page"]
    assert (page.number, page.paginator.count, len(page.object_list)) == (2, 36, 12)


@pytest.mark.parametrize("extra", [0, 20])
def test_people_query_count_is_pinned(
    experts: Cast, client: Client, django_assert_num_queries: DjangoAssertNumQueries, extra: int
) -> None:
    for i in range(extra):
        member = make_member(f"user{i:02d}", Member.Role.CUSTOMER)
        check_edit_profile(
            member,
            display_name="",
            headline="",
            location="",
            bio="",
            expertise=["Installation"],
            interests=[],
        )
    # count, page of members with profiles and organizations, expertise.
    with django_assert_num_queries(3):
        client.get("/people/?expertise=installation")
