import re
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

from cluetrain.core.errors import ActionError
from cluetrain.members.actions import check_signup
from cluetrain.members.models import Member, Profile
from cluetrain.search.models import SearchEntry
from conftest import PASSWORD, Cast

if TYPE_CHECKING:  # the stubs' name for what the test client returns
    from django.test.client import _MonkeyPatchedWSGIResponse

NEW_PASSWORD = "a much longer pass phrase 42"


def _signup(client: Client, **overrides: str) -> "_MonkeyPatchedWSGIResponse":
    data = {
        "username": "carol",
        "display_name": "Carol Cook",
        "email": "carol@example.com",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }
    return client.post("/signup/", data)


@pytest.mark.django_db
def test_signup_creates_a_customer_with_profile_logs_in_and_indexes(client: Client) -> None:
    response = _signup(client)
    assert response.status_code == 302
    assert response["Location"] == "/welcome/"  # onboarding first
    member = Member.objects.get(username="carol")
    assert (member.display_name, member.email, member.role) == (
        "Carol Cook",
        "carol@example.com",
        Member.Role.CUSTOMER,
    )
    assert member.check_password(NEW_PASSWORD)
    assert Profile.objects.filter(member=member).count() == 1
    assert client.session[SESSION_KEY] == str(member.pk)
    entry = SearchEntry.objects.get(kind=SearchEntry.Kind.MEMBER, object_id=member.pk)
    assert entry.title == "Carol Cook"


@pytest.mark.django_db
def test_signup_page_renders_the_form(client: Client) -> None:
    response = client.get("/signup/")
    assert response.status_code == 200
    assert b'name="password2"' in response.content


@pytest.mark.django_db
def test_signup_with_mismatched_passwords_is_refused(client: Client) -> None:
    response = _signup(client, password2="something else entirely")
    assert response.status_code == 400
    assert response.context["form"].errors["password2"] == [
        "The two password fields didn\u2019t match."
    ]
    assert Member.objects.count() == 0


@pytest.mark.django_db
def test_signup_with_a_weak_password_is_refused(client: Client) -> None:
    response = _signup(client, password1="12345678", password2="12345678")
    assert response.status_code == 400
    assert "This password is entirely numeric." in response.context["form"].errors["password2"]
    assert Member.objects.count() == 0


def test_signup_with_a_taken_username_in_other_case_is_refused(cast: Cast, client: Client) -> None:
    response = _signup(client, username="ALICE")
    assert response.status_code == 400
    assert response.context["form"].errors["username"] == [
        "A user with that username already exists."
    ]
    assert Member.objects.count() == 6


def test_check_signup_refuses_taken_usernames_and_emails(cast: Cast) -> None:
    with pytest.raises(ActionError) as refused:
        check_signup(username="Alice", display_name="", email="new@example.com", password="x")
    assert (refused.value.field, refused.value.message) == (
        "username",
        "That username is taken. Please choose another.",
    )
    with pytest.raises(ActionError) as refused:
        check_signup(username="newbie", display_name="", email="ALICE@example.com", password="x")
    assert refused.value.field == "email"
    assert Member.objects.count() == 6


def test_signup_with_a_taken_email_is_refused(cast: Cast, client: Client) -> None:
    response = _signup(client, email="Bob@Example.com")
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == [
        "An account with this e-mail address already exists."
    ]
    assert Member.objects.count() == 6


@pytest.mark.django_db
def test_signup_without_email_is_refused(client: Client) -> None:
    response = _signup(client, email="")
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == ["This field is required."]
    assert Member.objects.count() == 0


def test_login_and_logout(cast: Cast, client: Client) -> None:
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session[SESSION_KEY] == str(cast.alice.pk)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_password_reset_end_to_end(cast: Cast, client: Client) -> None:
    assert client.get("/accounts/password_reset/").status_code == 200
    response = client.post("/accounts/password_reset/", {"email": "alice@example.com"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert message.subject == "Reset your Cluetrain password"  # was the host, "testserver"
    assert "Hello Alice Archer," in message.body
    match = re.search(r"http://testserver(/accounts/reset/\S+/)", str(message.body))
    assert match is not None

    response = client.get(match.group(1))
    assert response.status_code == 302  # the token moves into the session
    set_password_url = response["Location"]
    assert set_password_url.endswith("/set-password/")
    response = client.get(set_password_url)
    assert response.status_code == 200
    assert response.context["validlink"] is True
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/reset/done/"
    assert client.get("/accounts/reset/done/").status_code == 200
    cast.alice.refresh_from_db()
    assert cast.alice.check_password(NEW_PASSWORD)
    assert client.login(username="alice", password=NEW_PASSWORD)


def test_password_reset_for_an_unknown_address_sends_nothing(cast: Cast, client: Client) -> None:
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_used_reset_link_is_refused(cast: Cast, client: Client) -> None:
    client.post("/accounts/password_reset/", {"email": "alice@example.com"})
    match = re.search(r"http://testserver(/accounts/reset/\S+/)", str(mail.outbox[0].body))
    assert match is not None
    response = client.get(match.group(1), follow=True)
    client.post(
        response.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    response = Client().get(match.group(1))
    assert response.status_code == 200
    assert response.context["validlink"] is False
    assert b"This link has expired" in response.content


def test_signup_sends_members_who_are_logged_in_home(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    response = _signup(client)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert Member.objects.count() == 6
