"""The team builder names the prospect's customer by a few letters of their name, not only an
exact @username (the member picker, members/picker.py), without the suggestions script."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

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
