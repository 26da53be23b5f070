"""Webhooks never reach internal addresses (SSRF): refused when registered and when sent.

Real pages, real name resolution (`localhost` comes from the system's resolver) and real
servers on 127.0.0.1, which only an administrator's allow-list lets through.
"""

import contextlib
import ipaddress
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django.fixtures import Settings

from cluetrain.core.errors import ActionError
from cluetrain.webhooks import tasks
from cluetrain.webhooks.actions import check_create_endpoint, check_ping
from cluetrain.webhooks.models import WebhookDelivery, WebhookEndpoint
from cluetrain.webhooks.targets import INTERNAL_ADDRESSES, address_kind
from cluetrain.webhooks.tests.receiver import banner_endpoint, receiver
from conftest import Cast

OnCommit = Callable[..., Any]

INTERNAL_TARGETS = [
    ("http://127.0.0.1:5432/", "127.0.0.1 is a loopback address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ("http://localhost:8000/", "localhost resolves to a loopback address"),
    ("http://[::1]:8080/", "::1 is a loopback address"),
    ("http://0x7f000001/", "0x7f000001 is a loopback address"),
    ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1 is a loopback address"),
    ("http://2130706433/", "2130706433 is a loopback address"),
    ("http://0177.0.0.1/", "0177.0.0.1 is a loopback address"),
    ("http://0.0.0.0:8000/", "0.0.0.0 is an unspecified address"),
    ("http://10.1.2.3/hook", "10.1.2.3 is a private address"),
    ("http://[fd00::5]/hook", "fd00::5 is a private address"),
    ("http://[fe80::1]/hook", "fe80::1 is a link-local address"),
    ("http://224.0.0.251/hook", "224.0.0.251 is a multicast address"),
    ("http://100.64.0.7/hook", "100.64.0.7 is a non-public address"),
]


@pytest.fixture
def no_internal_hosts(settings: Settings) -> None:
    settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS = []


@pytest.mark.usefixtures("no_internal_hosts")
@pytest.mark.parametrize("who", ["sam", "ada"])
@pytest.mark.parametrize(("url", "reason"), INTERNAL_TARGETS)
def test_internal_targets_are_refused_on_the_pages(
    cast: Cast, client: Client, who: str, url: str, reason: str
) -> None:
    client.force_login(getattr(cast, who))
    response = client.post(reverse("webhook_new"), {"url": url, "events": ["post.created"]})
    assert response.status_code == 400
    page = response.content.decode()
    assert reason in page
    assert "WEBHOOK_ALLOWED_INTERNAL_HOSTS" in page
    assert not WebhookEndpoint.objects.exists()

    endpoint = WebhookEndpoint.objects.create(
        url="https://example.com/x", events=["post.created"], created_at=timezone.now()
    )
    response = client.post(
        reverse("webhook_detail", args=[endpoint.pk]),
        {"url": url, "events": ["post.created"], "active": "on"},
    )
    assert response.status_code == 400
    assert reason in response.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.url == "https://example.com/x"


@pytest.mark.usefixtures("no_internal_hosts")
@pytest.mark.parametrize(("url", "reason"), INTERNAL_TARGETS)
def test_internal_targets_are_refused_by_the_action(cast: Cast, url: str, reason: str) -> None:
    with pytest.raises(ActionError) as refused:
        check_create_endpoint(cast.ada, url=url, events=["post.created"])
    assert (refused.value.field, refused.value.status) == ("url", 400)
    assert refused.value.message.startswith(reason)
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.usefixtures("no_internal_hosts")
@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/hook",  # does not resolve in the test sandbox: checked when sent
        "https://93.184.215.14/hook",
        "https://[2606:4700:4700::1111]/hook",
    ],
)
def test_public_targets_are_accepted(cast: Cast, url: str) -> None:
    endpoint = check_create_endpoint(cast.sam, url=url, events=["post.created"])
    assert WebhookEndpoint.objects.get().url == endpoint.url == url


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com:0/hook",
        "https://93.184.215.14:0/hook",
        "https://example.com:65536/hook",
        "https://example.com:99999/hook",
        "https://example.com:+443/hook",
    ],
)
def test_addresses_without_a_usable_port_are_refused(cast: Cast, client: Client, url: str) -> None:
    client.force_login(cast.ada)
    response = client.post(reverse("webhook_new"), {"url": url, "events": ["post.created"]})
    assert response.status_code == 400
    assert "The port must be a number from 1 to 65535." in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_an_allowed_internal_host_still_needs_a_usable_port(cast: Cast, settings: Settings) -> None:
    settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS = ["crm"]
    with pytest.raises(ActionError) as refused:
        check_create_endpoint(cast.ada, url="http://crm:0/hook", events=["post.created"])
    assert refused.value.field == "url"
    endpoint = check_create_endpoint(cast.ada, url="http://crm:65535/hook", events=["post.created"])
    assert endpoint.url == "http://crm:65535/hook"


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
        ("2002:808:808::1", None),  # 6to4 of 8.8.8.8
        ("2002:7f00:1::1", "loopback"),  # 6to4 of 127.0.0.1
        ("::ffff:169.254.169.254", "link-local"),
        ("::ffff:10.0.0.1", "private"),
        ("::", "unspecified"),
        ("0.0.0.0", "unspecified"),  # noqa: S104 - an address judged, not bound
        ("255.255.255.255", "reserved"),
        ("240.0.0.1", "reserved"),
        ("ff02::1", "multicast"),
        ("::7f00:1", "reserved"),  # IPv4-compatible IPv6, deprecated
        ("192.168.1.1", "private"),
        ("172.16.0.1", "private"),
    ],
)
def test_address_kinds(address: str, kind: str | None) -> None:
    assert address_kind(ipaddress.ip_address(address)) == kind


@pytest.mark.usefixtures("no_internal_hosts")
def test_the_refusal_is_in_the_readers_language(cast: Cast, client: Client) -> None:
    client.force_login(cast.ada)
    for url, said in [
        ("http://localhost:8000/", "localhost se résout en une adresse de bouclage."),
        ("http://10.1.2.3/hook", "10.1.2.3 est une adresse privée."),
    ]:
        response = client.post(
            reverse("webhook_new"),
            {"url": url, "events": ["post.created"]},
            HTTP_ACCEPT_LANGUAGE="fr",
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert escape(said) in page
        assert "Les webhooks ne peuvent pas joindre" in page


def test_every_kind_of_internal_address_has_its_sentence() -> None:
    # The kinds address_kind can give: a new one without its sentence would fail here.
    samples = ["0.0.0.0", "127.0.0.1", "169.254.1.1", "224.0.0.1", "240.0.0.1", "10.0.0.1"]  # noqa: S104
    kinds = {address_kind(ipaddress.ip_address(a)) for a in [*samples, "100.64.0.7"]}
    assert kinds == set(INTERNAL_ADDRESSES)


def test_an_allowed_internal_host_registers_and_receives(
    cast: Cast, client: Client, settings: Settings, django_capture_on_commit_callbacks: OnCommit
) -> None:
    settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS = ["LocalHost"]
    with receiver() as hook:
        client.force_login(cast.sam)
        url = f"http://localhost:{hook.port}/hook"
        response = client.post(reverse("webhook_new"), {"url": url, "events": ["post.created"]})
        assert response.status_code == 302
        endpoint = WebhookEndpoint.objects.get()
        hook.secret = endpoint.secret
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("webhook_ping", args=[endpoint.pk]))
    assert [request.verified for request in hook.requests] == [True]
    assert WebhookDelivery.objects.get().status == "succeeded"


def test_an_allowed_ipv6_loopback_receives_with_its_host_header(
    cast: Cast, settings: Settings, django_capture_on_commit_callbacks: OnCommit
) -> None:
    settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS = ["[::1]"]
    with contextlib.ExitStack() as stack:
        try:
            hook = stack.enter_context(receiver(host="::1"))
        except OSError:
            pytest.skip("this machine has no IPv6 loopback")
        endpoint = check_create_endpoint(cast.sam, url=hook.url, events=["post.created"])
        hook.secret = endpoint.secret
        with django_capture_on_commit_callbacks(execute=True):
            check_ping(cast.sam, endpoint)
    (request,) = hook.requests
    assert request.verified
    assert request.headers["Host"] == f"[::1]:{hook.port}"


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_a_target_that_is_internal_when_sent_fails_without_retries(
    cast: Cast, settings: Settings, django_capture_on_commit_callbacks: OnCommit, host: str
) -> None:
    settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS = [host]
    with receiver() as hook:
        endpoint = check_create_endpoint(
            cast.sam, url=f"http://{host}:{hook.port}/hook", events=["post.created"]
        )
        # The administrator withdraws the permission; `localhost` still resolves inside.
        settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS = []
        with django_capture_on_commit_callbacks(execute=True):
            check_ping(cast.sam, endpoint)
        delivery = WebhookDelivery.objects.get()
        assert tasks.deliver_due() == 0
    assert hook.requests == []
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 1, None)
    assert delivery.last_response_code is None
    assert delivery.last_error == (
        f"Refused: {host} {'resolves to' if host == 'localhost' else 'is'} a loopback address."
    )


def test_the_delivery_log_shows_nothing_the_target_answered(
    cast: Cast, client: Client, django_capture_on_commit_callbacks: OnCommit
) -> None:
    client.force_login(cast.sam)
    with receiver(statuses=[500], answer_body=b"FATAL: password for user admin=hunter2") as hook:
        endpoint = WebhookEndpoint.objects.create(
            url=hook.url, events=["post.created"], created_at=timezone.now()
        )
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("webhook_ping", args=[endpoint.pk]))
    with banner_endpoint(b"SSH-2.0-OpenSSH_9.6 internal-build-42\r\n\r\n") as url:
        banner = WebhookEndpoint.objects.create(
            url=url, events=["post.created"], created_at=timezone.now()
        )
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("webhook_ping", args=[banner.pk]))
    answered, not_http = WebhookDelivery.objects.order_by("pk")
    assert (answered.last_response_code, answered.last_error) == (500, "HTTP 500")
    assert (not_http.last_response_code, not_http.last_error) == (
        None,
        "No HTTP answer: the connection failed or the target does not speak HTTP.",
    )
    pages = [
        client.get(reverse("webhook_detail", args=[endpoint.pk])).content.decode(),
        client.get(reverse("webhook_detail", args=[banner.pk])).content.decode(),
    ]
    for page in pages:
        assert "hunter2" not in page
        assert "OpenSSH" not in page
        assert "internal-build-42" not in page


def test_redirects_are_not_followed(
    cast: Cast, client: Client, django_capture_on_commit_callbacks: OnCommit
) -> None:
    with receiver() as inside, receiver(statuses=[307]) as hook:
        hook.answer_headers = {"Location": inside.url}
        endpoint = WebhookEndpoint.objects.create(
            url=hook.url, events=["post.created"], created_at=timezone.now()
        )
        with django_capture_on_commit_callbacks(execute=True):
            check_ping(cast.sam, endpoint)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_error) == ("pending", "HTTP 307")
    assert len(hook.requests) == 1
    assert inside.requests == []


CREDENTIALS_IN_URL = [
    "https://user:hunter2@example.com/hook",
    "https://user@example.com/hook",
    "https://:hunter2@example.com/hook",
    # Reads as example.com to a hurried eye; the host is evil.example.
    "https://example.com@evil.example/hook",
]
NO_CREDENTIALS = "The address may not hold a user name or password"


@pytest.mark.parametrize("url", CREDENTIALS_IN_URL)
def test_addresses_with_credentials_are_refused(cast: Cast, client: Client, url: str) -> None:
    client.force_login(cast.ada)
    response = client.post(reverse("webhook_new"), {"url": url, "events": ["post.created"]})
    assert response.status_code == 400
    page = response.content.decode()
    assert NO_CREDENTIALS in page
    assert "signing secret" in page
    assert not WebhookEndpoint.objects.exists()

    endpoint = WebhookEndpoint.objects.create(
        url="https://example.com/x", events=["post.created"], created_at=timezone.now()
    )
    response = client.post(
        reverse("webhook_detail", args=[endpoint.pk]),
        {"url": url, "events": ["post.created"], "active": "on"},
    )
    assert response.status_code == 400
    assert NO_CREDENTIALS in response.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.url == "https://example.com/x"

    with pytest.raises(ActionError) as refused:
        check_create_endpoint(cast.sam, url=url, events=["post.created"])
    assert (refused.value.field, refused.value.status) == ("url", 400)
    assert "hunter2" not in refused.value.message


def test_an_allowed_internal_host_may_not_hold_credentials_either(
    cast: Cast, settings: Settings
) -> None:
    settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS = ["crm"]
    with pytest.raises(ActionError, match=NO_CREDENTIALS):
        check_create_endpoint(cast.ada, url="http://bot:pw@crm/hook", events=["post.created"])


def test_a_stored_address_with_credentials_fails_without_retries(
    cast: Cast, django_capture_on_commit_callbacks: OnCommit
) -> None:
    # Registered before such addresses were refused: never sent (httpcore would drop the
    # credentials anyway, so the receiver would only have answered 401 six times).
    with receiver() as hook:
        endpoint = WebhookEndpoint.objects.create(
            url=f"http://bot:hunter2@127.0.0.1:{hook.port}/hook",
            events=["post.created"],
            created_at=timezone.now(),
        )
        with django_capture_on_commit_callbacks(execute=True):
            check_ping(cast.sam, endpoint)
        delivery = WebhookDelivery.objects.get()
        assert tasks.deliver_due() == 0
    assert hook.requests == []
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 1, None)
    assert delivery.last_error == (
        "Refused: the address holds a user name or password; put secrets in the signing "
        "secret, not the URL."
    )


def test_staff_pages_hide_the_password_of_an_address_stored_with_one(
    cast: Cast, client: Client
) -> None:
    # Stored before such addresses were refused: staff see which one to fix, not the password.
    endpoint = WebhookEndpoint.objects.create(
        url="https://bot:hunter2@example.com/hook",
        events=["post.created"],
        created_at=timezone.now(),
    )
    client.force_login(cast.ada)
    for page in (reverse("webhooks"), reverse("webhook_detail", args=[endpoint.pk])):
        html = client.get(page).content.decode()
        assert "https://bot:***@example.com/hook" in html
        assert "hunter2" not in html
    assert str(endpoint) == "https://bot:***@example.com/hook"
    assert WebhookEndpoint.objects.get().url == "https://bot:hunter2@example.com/hook"
