"""Naming the person referred on a relationship card by a few letters of their name, not only
an exact @username (the member picker, members/picker.py), without the suggestions script."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cluetrain.members.models import Member
from cluetrain.organizations.models import Organization
from cluetrain.relationships.models import RelationshipEvent
from conftest import Cast, make_member

OnCommit = Callable[..., Any]


@pytest.fixture
def alicia(cast: Cast) -> Member:
    return make_member("alicia", Member.Role.CUSTOMER, "Alicia Keyes")


def _refer(client: Client, capture: OnCommit, **fields: str) -> tuple[int, str]:
    with capture(execute=True):
        response = client.post(
            reverse("relationship_express"),
            {"kind": "referral", "target": "member:bob", "note": "Knows heat pumps"} | fields,
        )
    return response.status_code, response.content.decode()


def _referrals() -> list[tuple[str, str]]:
    return list(
        RelationshipEvent.objects.filter(kind="referral").values_list(
            "target_member__username", "about_member__username"
        )
    )


def test_the_card_offers_the_member_picker(client: Client, cast: Cast) -> None:
    client.force_login(cast.sam)
    page = client.get(reverse("relationship_card", args=["bob"])).content.decode()
    assert "Whom to refer (a name or @username)" in page
    assert 'name="about" value=""' in page
    assert "data-member-lookup=" in page  # the suggestions script's hook
    assert "member-picker.js" in page


@pytest.mark.parametrize("typed", ["pat", "@pat", "PAT", "pat partner"])
def test_the_exact_username_or_an_only_full_name_refers_that_member(
    client: Client, cast: Cast, django_capture_on_commit_callbacks: OnCommit, typed: str
) -> None:
    client.force_login(cast.sam)
    status, _ = _refer(client, django_capture_on_commit_callbacks, about=typed)
    assert status == 302
    assert _referrals() == [("bob", "pat")]


def test_several_matches_keep_what_was_typed_and_the_chosen_one_is_referred(
    client: Client, cast: Cast, alicia: Member, django_capture_on_commit_callbacks: OnCommit
) -> None:
    client.force_login(cast.sam)
    status, page = _refer(client, django_capture_on_commit_callbacks, about="ali")
    assert status == 200
    assert _referrals() == []  # nothing recorded until the person is known
    assert "Refer someone to Bob Baker" in page  # the card again
    assert 'name="about" value="ali"' in page
    assert "Several people match “ali”: choose one." in page
    assert 'name="about_pick" value="alice"' in page
    assert 'name="about_pick" value="alicia"' in page
    assert 'value="Knows heat pumps"' in page  # the note is kept
    assert 'role="alert"' not in page  # a choice to make, not an error
    status, _ = _refer(client, django_capture_on_commit_callbacks, about="ali", about_pick="alicia")
    assert status == 302
    assert _referrals() == [("bob", "alicia")]
    event = RelationshipEvent.objects.get(kind="referral")
    assert (event.actor_member, event.evidence) == (cast.sam, "Knows heat pumps")


def test_a_typo_offers_a_guess(
    client: Client, cast: Cast, django_capture_on_commit_callbacks: OnCommit
) -> None:
    client.force_login(cast.sam)
    status, page = _refer(client, django_capture_on_commit_callbacks, about="Alcie")
    assert status == 200
    assert "Nobody matches “Alcie”. Did you mean:" in page
    assert 'name="about_pick" value="alice" checked' in page  # the only guess
    assert _referrals() == []


def test_text_that_matches_nobody_is_a_400_beside_the_field(
    client: Client, cast: Cast, django_capture_on_commit_callbacks: OnCommit
) -> None:
    client.force_login(cast.sam)
    status, page = _refer(client, django_capture_on_commit_callbacks, about="zzqx")
    assert status == 400
    assert "Nobody matches “zzqx”: type a few letters of their name or username." in page
    assert 'name="about" value="zzqx"' in page
    assert 'value="Knows heat pumps"' in page
    assert "about_pick" not in page
    assert _referrals() == []


def test_a_member_found_is_still_checked_by_the_action(
    client: Client, cast: Cast, django_capture_on_commit_callbacks: OnCommit
) -> None:
    """Referring Bob to himself, named by his name, is the action's refusal, beside the field,
    with the field now naming him exactly."""
    client.force_login(cast.sam)
    status, page = _refer(client, django_capture_on_commit_callbacks, about="Bob Baker")
    assert status == 400
    assert "Refer someone else to them." in page
    assert 'name="about" value="@bob"' in page
    assert _referrals() == []


def test_without_a_card_to_come_back_to_the_action_refuses(
    client: Client, cast: Cast, alicia: Member
) -> None:
    """A referral to an organization has no card form: several matches are no referral."""
    Organization.objects.create(name="Acme", slug="acme", kind=Organization.Kind.PARTNER)
    client.force_login(cast.sam)
    response = client.post(
        reverse("relationship_express"),
        {"kind": "referral", "target": "organization:acme", "about": "ali"},
    )
    assert response.status_code == 400
    assert "Say whom you are referring." in response.content.decode()
    assert _referrals() == []


def test_the_card_that_comes_back_leads_back_to_the_card(
    client: Client, cast: Cast, alicia: Member, django_capture_on_commit_callbacks: OnCommit
) -> None:
    """The card shown again by the POST keeps the card as where to go next: choosing one of
    the people offered then lands on the card, not on the POST-only address (a 405)."""
    client.force_login(cast.sam)
    card = reverse("relationship_card", args=["bob"])
    status, page = _refer(client, django_capture_on_commit_callbacks, about="ali", next=card)
    assert status == 200
    assert f'name="next" value="{reverse("relationship_express")}"' not in page
    assert f'<input type="hidden" name="next" value="{card}">' in page
    with django_capture_on_commit_callbacks(execute=True):
        chosen = client.post(
            reverse("relationship_express"),
            {"kind": "referral", "target": "member:bob", "about": "ali"}
            | {"about_pick": "alicia", "next": card},
        )
    assert chosen.status_code == 302
    assert chosen["Location"] == card
    assert _referrals() == [("bob", "alicia")]
