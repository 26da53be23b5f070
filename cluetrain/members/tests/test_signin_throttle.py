"""Found #5: failed sign-ins are limited per account and per address, with an unlock."""

from io import StringIO

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.test import Client
from pytest_django.fixtures import Settings

from cluetrain.members.models import Member
from cluetrain.members.signin import do_unlock
from conftest import PASSWORD, Cast


@pytest.fixture(autouse=True)
def _small_limits(settings: Settings) -> None:
    settings.LOGIN_FAILURES_PER_ACCOUNT = 5
    settings.LOGIN_FAILURES_PER_ADDRESS = 8


def _sign_in(client: Client, username: str, password: str, address: str = "203.0.113.7") -> int:
    response = client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return int(response.status_code)


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(
    cast: Cast, client: Client
) -> None:
    assert [_sign_in(client, "alice", "wrong") for _ in range(5)] == [200] * 5
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    content = response.content.decode()
    assert "Too many failed attempts to sign in to this account" in content
    assert "ask an administrator to unlock" in content
    # From another address too: the lock is on the account.
    assert _sign_in(Client(), "alice", PASSWORD, address="198.51.100.9") == 429
    # Other accounts are not locked.
    assert _sign_in(client, "bob", PASSWORD) == 302


def test_a_successful_sign_in_forgets_the_accounts_failures(cast: Cast, client: Client) -> None:
    for _ in range(4):
        _sign_in(client, "alice", "wrong")
    assert _sign_in(client, "alice", PASSWORD) == 302
    client.logout()
    # Four more failures (from elsewhere: the address has a count of its own) do not lock.
    assert [_sign_in(client, "alice", "wrong", "198.51.100.9") for _ in range(4)] == [200] * 4
    assert _sign_in(client, "alice", PASSWORD, "198.51.100.9") == 302


def test_one_address_trying_many_accounts_is_locked(cast: Cast, client: Client) -> None:
    names = ["alice", "bob", "sam", "maya", "pat", "ada", "nobody", "someone"]
    assert [_sign_in(client, name, "wrong") for name in names] == [200] * 8
    response = client.post(
        "/accounts/login/", {"username": "bob", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    assert response.status_code == 429
    assert "Too many failed sign-in attempts from your network" in response.content.decode()
    assert _sign_in(Client(), "bob", PASSWORD, address="198.51.100.9") == 302


def test_unlock_command_lets_the_member_in_again(cast: Cast, client: Client) -> None:
    for _ in range(5):
        _sign_in(client, "alice", "wrong")
    assert _sign_in(client, "alice", PASSWORD) == 429
    out = StringIO()
    call_command("unlock", "alice", stdout=out)
    assert "Unlocked alice" in out.getvalue()
    assert _sign_in(client, "alice", PASSWORD) == 302
    out = StringIO()
    call_command("unlock", "alice", stdout=out)
    assert "was not locked" in out.getvalue()


def test_admin_action_unlocks(cast: Cast, client: Client) -> None:
    for _ in range(5):
        _sign_in(client, "alice", "wrong")
    admin = Client()
    admin.force_login(cast.ada)
    response = admin.post(
        "/admin/members/member/",
        {"action": "unlock_sign_in", "_selected_action": [cast.alice.pk]},
        follow=True,
    )
    assert "they may sign in again" in response.content.decode()
    assert _sign_in(client, "alice", PASSWORD) == 302


def test_the_test_clients_login_and_api_tokens_are_unaffected(cast: Cast, client: Client) -> None:
    for _ in range(5):
        _sign_in(client, "alice", "wrong")
    # Scripts and tests authenticating without the sign-in page are not throttled by it...
    assert client.login(username="bob", password=PASSWORD)
    # ...and a member signed in creates API tokens as before.
    response = client.post("/api/tokens", {"name": "script"}, content_type="application/json")
    assert response.status_code == 201
    assert do_unlock("alice", address="203.0.113.7") == 2  # the account's row, the address's


def test_sign_ups_from_one_address_are_limited_per_hour(settings: Settings, db: None) -> None:
    settings.SIGNUP_RATE_LIMIT_PER_HOUR = 2
    statuses = []
    for n in range(3):
        response = Client().post(
            "/signup/",
            {
                "username": f"newcomer{n}",
                "display_name": "New Comer",
                "email": f"newcomer{n}@example.com",
                "password1": "a much longer pass phrase 42",
                "password2": "a much longer pass phrase 42",
            },
            REMOTE_ADDR="203.0.113.50",
        )
        statuses.append(response.status_code)
    assert statuses == [302, 302, 429]
    assert "Too many accounts were created from your network" in response.content.decode()
    assert not Member.objects.filter(username="newcomer2").exists()
