"""Behind a reverse proxy, limits by address count each client, not the proxy as one."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory, override_settings

from cluetrain.core.requests import client_address
from cluetrain.settings import _client_address_header
from conftest import PASSWORD, Cast


def test_the_header_setting_is_checked() -> None:
    assert _client_address_header("") == ""
    assert _client_address_header(" X-Real-IP ") == "HTTP_X_REAL_IP"
    with pytest.raises(ImproperlyConfigured, match="CLIENT_ADDRESS_HEADER"):
        _client_address_header("X-Real-IP: 1")


def test_without_the_setting_a_forwarding_header_is_ignored() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "10.0.0.2"


@override_settings(CLIENT_ADDRESS_HEADER="HTTP_X_FORWARDED_FOR")
def test_the_proxys_entry_is_the_last_one() -> None:
    factory = RequestFactory()
    # The client claimed 6.6.6.6; the proxy appended the address it saw.
    claimed = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_address(claimed) == "203.0.113.9"
    garbage = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_address(garbage) == "10.0.0.2"
    missing = factory.get("/", REMOTE_ADDR="10.0.0.2")
    assert client_address(missing) == "10.0.0.2"


@pytest.mark.django_db
@override_settings(
    CLIENT_ADDRESS_HEADER="HTTP_X_REAL_IP", LOGIN_FAILURES_PER_ADDRESS=3, LOGIN_LOCKOUT_MINUTES=15
)
def test_failed_sign_ins_of_other_clients_do_not_lock_everyone_out(cast: Cast) -> None:
    # Found on a deployment behind a proxy: failed sign-ins of 20 different people locked the
    # proxy's address, so nobody could sign in for 15 minutes.
    for number in range(4):
        refused = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP=f"203.0.113.{number}")
        refused.post("/accounts/login/", {"username": f"nobody{number}", "password": "wrong"})
    alice = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="198.51.100.7")
    response = alice.post(
        "/accounts/login/", {"username": cast.alice.username, "password": PASSWORD}
    )
    assert response.status_code == 302
