"""The team builder names the prospect's customer by a few letters of their name, not only an
exact @username (the member picker, members/picker.py), without the suggestions script; the
API does too, answering the people the text may mean."""

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cluetrain.api.tests.conftest import ApiClient
from cluetrain.api.tokens import do_create_token
from cluetrain.members.models import Member
from cluetrain.relationships.actions import check_express
from cluetrain.threads.models import Thread
from conftest import Cast, make_member

OnCommit = Callable[..., Any]
SKILLS = {"text": "a new smart home", "skills": "battery pairing"}


@pytest.fixture
def alicia(cast: Cast, django_capture_on_commit_callbacks: OnCommit) -> Member:
    """Alicia Keyes, whose good tie with Bob (she recommends him) makes him resonate with her."""
    alicia = make_member("alicia", Member.Role.CUSTOMER, "Alicia Keyes")
    with django_capture_on_commit_callbacks(execute=True):
        check_express(alicia, "recommend", cast.bob)
    return alicia


def _team(client: Client, **query: str) -> tuple[int, str]:
    response = client.get(reverse("team_builder"), SKILLS | query)
    return response.status_code, response.content.decode()


def _staff(cast: Cast) -> Client:
    client = Client()
    client.force_login(cast.sam)
    return client


@pytest.mark.parametrize("typed", ["alicia", "@alicia", "ALICIA", "alicia keyes"])
def test_the_exact_username_or_an_only_full_name_is_the_prospects_customer(
    cast: Cast, pairing_expert: Thread, alicia: Member, typed: str
) -> None:
    status, page = _team(_staff(cast), customer=typed)
    assert status == 200
    assert "Proposed team" in page
    # The customer found is the one the team resonates with, and the field names them exactly.
    assert "already a good tie with Alicia Keyes" in page
    assert 'name="customer" value="@alicia"' in page
    assert '<input type="hidden" name="customer" value="@alicia">' in page  # the swap form


def test_several_matches_keep_the_text_and_the_chosen_one_is_the_customer(
    cast: Cast, pairing_expert: Thread, alicia: Member
) -> None:
    status, page = _team(_staff(cast), customer="ali", place="Austin")
    assert status == 200
    assert "Proposed team" not in page  # no team until the customer is known
    assert 'name="customer" value="ali"' in page
    assert "Several people match “ali”: choose one." in page
    assert 'name="customer_pick" value="alice"' in page
    assert 'name="customer_pick" value="alicia"' in page
    assert 'value="battery pairing"' in page  # the rest of the form is kept
    assert 'value="Austin"' in page
    status, page = _team(_staff(cast), customer="ali", customer_pick="alicia")
    assert status == 200
    assert "already a good tie with Alicia Keyes" in page
    # Alice, the other match, is not the customer: nobody resonates with her.
    status, page = _team(_staff(cast), customer="ali", customer_pick="alice")
    assert "Proposed team" in page
    assert "already a good tie" not in page


def test_a_typo_offers_a_guess_and_gibberish_is_a_400(cast: Cast, pairing_expert: Thread) -> None:
    status, page = _team(_staff(cast), customer="Alcie")
    assert status == 200
    assert "Nobody matches “Alcie”. Did you mean:" in page
    assert 'name="customer_pick" value="alice"' in page
    status, page = _team(_staff(cast), customer="zzqx")
    assert status == 400
    assert "Nobody matches “zzqx”: type a few letters of their name or username." in page
    assert 'name="customer" value="zzqx"' in page
    assert "customer_pick" not in page
    assert "Proposed team" not in page


def test_no_customer_is_still_a_team(cast: Cast, pairing_expert: Thread, alicia: Member) -> None:
    status, page = _team(_staff(cast))
    assert status == 200
    assert "Proposed team" in page
    assert "The customer (a name or @username; optional)" in page
    assert "already a good tie" not in page


# The API (POST /api/experts/team) names the customer the same way, and answers a 400 that
# lists the people the text may mean where the page lists them as radio buttons.


def _api_team(cast: Cast, **payload: object) -> tuple[int, dict[str, Any]]:
    _, raw = do_create_token(cast.sam, name="tests", scope="write")
    body = {"skills": ["battery", "pairing"], "text": "a new smart home"} | payload
    response = ApiClient(raw).post("/api/experts/team", body)
    return response.status_code, response.json()


@pytest.mark.parametrize("typed", ["alicia", "@alicia", "ALICIA", "alicia keyes"])
def test_the_api_takes_the_customer_by_username_or_an_only_full_name(
    cast: Cast, pairing_expert: Thread, alicia: Member, typed: str
) -> None:
    status, body = _api_team(cast, customer=typed)
    assert status == 200
    reasons = [reason for m in body["members"] for reason in m["reasons"]]
    assert "already a good tie with Alicia Keyes" in reasons


def test_the_api_answers_the_people_a_customers_text_may_mean(
    cast: Cast, pairing_expert: Thread, alicia: Member
) -> None:
    status, body = _api_team(cast, customer="ali")
    assert status == 400
    assert body["error"] == {
        "code": "invalid",
        "message": "Several people match “ali”: send the username of one.",
        "field": "customer",
        "details": [],
    }
    assert [person["username"] for person in body["choices"]] == ["alice", "alicia"]
    assert body["choices"][1] == {
        "id": alicia.pk,
        "username": "alicia",
        "name": "Alicia Keyes",
        "role": "customer",
        "url": f"{settings.SITE_URL}/people/alicia/",
    }
    assert body["similar"] is False
    assert "members" not in body  # no team until the customer is known

    status, body = _api_team(cast, customer="Alcie")
    assert (status, body["similar"]) == (400, True)
    assert [person["username"] for person in body["choices"]][:1] == ["alice"]
    assert body["error"]["message"].startswith("Nobody matches “Alcie”. Did you mean")

    status, body = _api_team(cast, customer="zzqx")
    assert (status, body["choices"]) == (400, [])
    assert body["error"]["message"] == (
        "Nobody matches “zzqx”: type a few letters of their name or username."
    )


def test_the_api_refuses_inactive_customers_and_other_errors_keep_their_shape(
    cast: Cast, pairing_expert: Thread, alicia: Member
) -> None:
    alicia.is_active = False
    alicia.save(update_fields=["is_active"])
    status, body = _api_team(cast, customer="@alicia")
    assert status == 400
    assert "alicia" not in [person["username"] for person in body["choices"]]
    status, body = _api_team(cast, skills=[" "])
    assert status == 400
    assert set(body) == {"error"}
    assert body["error"]["field"] == "skills"


def test_the_api_swap_names_team_members_with_or_without_the_at_sign(
    cast: Cast, pairing_expert: Thread
) -> None:
    status, body = _api_team(cast)
    assert (status, body["covers"]) == (200, {"battery": "bob", "pairing": "pat"})
    # Both named (bob and pat are the only candidates): refused only because pat is on the team.
    status, body = _api_team(cast, swap_out="@BOB", swap_in="Pat")
    assert status == 400
    assert body["error"]["message"] == (
        "Take out someone on the team and put in someone who is not on it."
    )
    status, body = _api_team(cast, swap_out="@bob", swap_in="@nobody")
    assert body["error"]["message"] == "Swap a team member for one of the candidates."


def test_the_schema_documents_the_customers_choices(db: None) -> None:
    schema = Client().get("/api/openapi.json").json()
    refused = schema["paths"]["/api/experts/team"]["post"]["responses"]["400"]
    ref = refused["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    properties = schema["components"]["schemas"][ref]["properties"]
    assert set(properties) == {"error", "choices", "similar"}
    assert schema["components"]["schemas"][ref]["required"] == ["error"]
