"""Signed webhooks: payloads per event, retries with backoff, idempotency, staff pages.

Deliveries go over real HTTP to a server on 127.0.0.1 (tests/receiver.py), which verifies
the Standard Webhooks signature with the `standardwebhooks` package.
"""

import base64
import hashlib
import hmac
import importlib
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings
from standardwebhooks import Webhook, WebhookVerificationError

from cluetrain.ideas.actions import check_change_idea_status, check_create_idea
from cluetrain.members.actions import check_signup
from cluetrain.members.models import Member
from cluetrain.relationships.actions import check_express, check_withdraw
from cluetrain.reviews.actions import check_post_review
from cluetrain.threads.actions import check_create_thread
from cluetrain.webhooks import signing, tasks
from cluetrain.webhooks.actions import check_ping
from cluetrain.webhooks.events import create_deliveries
from cluetrain.webhooks.models import Event, WebhookDelivery, WebhookEndpoint
from cluetrain.webhooks.tests.receiver import Received, hung_endpoint, receiver
from conftest import PASSWORD, Cast, Places

OnCommit = Callable[..., Any]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _endpoint(url: str, events: list[str] | None = None, **fields: Any) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        url=url, events=events or list(Event.values), created_at=timezone.now(), **fields
    )


def _independent_signature(secret: str, request: Received) -> str:
    """The specification's algorithm written out, apart from the library that signs."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    message_id, timestamp = request.headers["webhook-id"], request.headers["webhook-timestamp"]
    message = f"{message_id}.{timestamp}.".encode() + request.body
    return "v1," + base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


def _due_now(delivery: WebhookDelivery) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


def test_signatures_follow_the_standard_and_refuse_replays() -> None:
    secret = "whsec_" + base64.b64encode(b"k" * 32).decode()
    body = b'{"a":1}'
    sent_at = datetime.fromtimestamp(1_700_000_000, tz=UTC)
    headers = signing.headers(secret=secret, message_id="msg_1", sent_at=sent_at, body=body)
    key_message = b"msg_1.1700000000." + body
    expected = base64.b64encode(hmac.new(b"k" * 32, key_message, hashlib.sha256).digest())
    assert headers["webhook-id"] == "msg_1"
    assert headers["webhook-timestamp"] == "1700000000"
    assert headers["webhook-signature"] == "v1," + expected.decode()
    # Signed long ago: a receiver refuses it as a replay although the signature is right.
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(secret).verify(body, headers)
    fresh = signing.headers(secret=secret, message_id="msg_1", sent_at=timezone.now(), body=body)
    assert Webhook(secret).verify(body, fresh) == {"a": 1}
    # The timestamp is signed: moving it forward to look fresh breaks the signature.
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        Webhook(secret).verify(body, headers | {"webhook-timestamp": fresh["webhook-timestamp"]})
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body + b" ", fresh)


def test_new_secrets_are_standard_webhooks_secrets(db: None) -> None:
    endpoint = WebhookEndpoint.objects.create(
        url="https://example.com/x", created_at=timezone.now()
    )
    assert endpoint.secret.startswith("whsec_")
    assert len(base64.b64decode(endpoint.secret.removeprefix("whsec_"), validate=True)) == 32


def test_the_migration_keeps_each_old_secrets_key(db: None) -> None:
    migration = importlib.import_module(
        "cluetrain.webhooks.migrations.0002_standard_webhooks_secrets"
    )
    old = "Yk3-_q" + "x" * 37  # the former secrets.token_urlsafe(32), used as text
    endpoint = WebhookEndpoint.objects.create(
        url="https://example.com/x", secret=old, created_at=timezone.now()
    )
    migration.to_standard(apps, None)
    endpoint.refresh_from_db()
    assert endpoint.secret.startswith("whsec_")
    body, sent_at = b'{"a":1}', timezone.now()
    # Receivers keep their key: the old text's bytes verify what the new secret signs.
    headers = signing.headers(secret=endpoint.secret, message_id="m", sent_at=sent_at, body=body)
    assert Webhook(old.encode()).verify(body, headers) == {"a": 1}
    migration.to_legacy(apps, None)
    endpoint.refresh_from_db()
    assert endpoint.secret == old


def test_the_documented_verifier_accepts_our_requests(
    cast: Cast, django_capture_on_commit_callbacks: OnCommit
) -> None:
    docs = (Path(__file__).resolve().parents[3] / "docs" / "webhooks.md").read_text()
    snippet = docs.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(snippet, namespace)  # noqa: S102 - our own documentation
    assert len([line for line in snippet.splitlines() if line.strip()]) <= 5
    with receiver() as hook:
        endpoint = _endpoint(hook.url)
        with django_capture_on_commit_callbacks(execute=True):
            check_ping(cast.sam, endpoint)
    (request,) = hook.requests
    payload = namespace["verify"](endpoint.secret, request.headers, request.body)
    assert payload["event"] == "ping"
    with pytest.raises(WebhookVerificationError):
        namespace["verify"](endpoint.secret, request.headers, request.body + b" ")


def test_events_are_delivered_signed_with_their_payloads(
    cast: Cast, places: Places, django_capture_on_commit_callbacks: OnCommit
) -> None:
    with receiver() as hook:
        # The community events; relationship events have a test of their own below.
        endpoint = _endpoint(hook.url, [e for e in Event.values if e != "relationship.changed"])
        hook.secret = endpoint.secret
        with django_capture_on_commit_callbacks(execute=True):
            newcomer = check_signup(
                username="nora", display_name="Nora N", email="nora@example.com", password=PASSWORD
            )
        with django_capture_on_commit_callbacks(execute=True):
            thread = check_create_thread(cast.alice, places.forum, title="Hub", body_md="Offline.")
        with django_capture_on_commit_callbacks(execute=True):
            review = check_post_review(
                cast.bob, places.product, stars=2, title="Meh", body_md="Drops Zigbee."
            )
        idea = check_create_idea(cast.alice, places.ideas, title="Dark mode", body_md="Please.")
        with django_capture_on_commit_callbacks(execute=True):
            change = check_change_idea_status(
                cast.sam, idea, status="planned", explanation="Next quarter."
            )

    events = [json.loads(r.body)["event"] for r in hook.requests]
    assert events == [
        "member.joined",
        "post.created",
        "post.created",
        "review.created",
        "idea.status_changed",
    ]
    for request in hook.requests:
        assert request.verified
        assert request.headers["webhook-signature"] == _independent_signature(
            endpoint.secret, request
        )
        assert abs(int(request.headers["webhook-timestamp"]) - time.time()) < 60
        assert json.loads(request.body)["id"] == request.headers["webhook-id"]
    bodies = [json.loads(r.body)["data"] for r in hook.requests]
    assert bodies[0] == {
        "member": {
            "id": newcomer.pk,
            "username": "nora",
            "name": "Nora N",
            "role": "customer",
            "url": "http://127.0.0.1:8000/people/nora/",
            "joined_at": newcomer.date_joined.isoformat(),
        }
    }
    post = thread.posts.get()
    assert bodies[1]["post"] == {
        "id": post.pk,
        "thread": {"id": thread.pk, "title": "Hub", "kind": "discussion"},
        "space": {"slug": "general", "visibility": "public"},
        "parent_id": None,
        "author": {
            "id": cast.alice.pk,
            "username": "alice",
            "name": "Alice Archer",
            "role": "customer",
            "url": "http://127.0.0.1:8000/people/alice/",
        },
        "source": "community",
        "body_md": "Offline.",
        "is_staff_reply": False,
        "created_at": post.created_at.isoformat(),
        "url": f"http://127.0.0.1:8000/p/{post.pk}/",
    }
    review_body = bodies[3]["review"]
    assert {k: review_body[k] for k in ("id", "stars", "title", "body_md", "product")} == {
        "id": review.pk,
        "stars": 2,
        "title": "Meh",
        "body_md": "Drops Zigbee.",
        "product": "lumen-hub",
    }
    assert review_body["author"]["username"] == "bob"
    assert bodies[4]["idea"]["id"] == idea.pk
    assert bodies[4]["change"] | {"changed_by": None} == {
        "id": change.pk,
        "from_status": "new",
        "to_status": "planned",
        "explanation": "Next quarter.",
        "changed_by": None,
        "created_at": change.created_at.isoformat(),
    }
    assert bodies[4]["change"]["changed_by"]["username"] == "sam"
    assert set(WebhookDelivery.objects.values_list("status", "attempts")) == {("succeeded", 1)}


def test_relationship_changes_are_delivered_even_when_withdrawn(
    cast: Cast, django_capture_on_commit_callbacks: OnCommit
) -> None:
    with receiver() as hook:
        endpoint = _endpoint(hook.url, ["relationship.changed"])
        hook.secret = endpoint.secret
        with django_capture_on_commit_callbacks(execute=True):
            vouch = check_express(cast.alice, "vouch", cast.bob)
        vouch_id = vouch.pk
        with django_capture_on_commit_callbacks(execute=True):
            check_withdraw(cast.alice, vouch)
    stated, withdrawn = [json.loads(r.body)["data"]["relationship"] for r in hook.requests]
    assert stated["kind"] == "vouch"
    assert stated["change"] == "stated"
    assert stated["actor"]["username"] == "alice"
    assert stated["target"]["member"]["username"] == "bob"
    assert withdrawn == {"id": vouch_id, "kind": "vouch", "change": "withdrawn"}


def test_only_active_subscribed_endpoints_get_deliveries(cast: Cast, places: Places) -> None:
    thread = check_create_thread(cast.alice, places.forum, title="Hub", body_md="Offline.")
    wanted = _endpoint("http://127.0.0.1:9/a", ["post.created"])
    _endpoint("http://127.0.0.1:9/b", ["review.created"])
    _endpoint("http://127.0.0.1:9/c", ["post.created"], active=False)
    ids = create_deliveries("post.created", thread.posts.get().pk)
    assert list(WebhookDelivery.objects.values_list("pk", "endpoint_id")) == [(ids[0], wanted.pk)]


def test_failures_are_retried_with_backoff_then_succeed(cast: Cast, places: Places) -> None:
    thread = check_create_thread(cast.alice, places.forum, title="Hub", body_md="Offline.")
    with receiver(statuses=[500, 503, 200]) as hook:
        _endpoint(hook.url, ["post.created"])
        (delivery_id,) = create_deliveries("post.created", thread.posts.get().pk)
        history = []
        for _ in range(3):
            delivery = tasks.attempt_delivery(delivery_id)
            assert delivery is not None
            history.append(
                (
                    delivery.status,
                    delivery.attempts,
                    delivery.last_response_code,
                    delivery.last_error,
                    delivery.next_attempt_at - delivery.last_attempt_at
                    if delivery.next_attempt_at and delivery.last_attempt_at
                    else None,
                )
            )
            # Not due yet: running the task again sends nothing.
            assert tasks.attempt_delivery(delivery_id) is None
            _due_now(delivery)
        # Succeeded: a duplicate task run (or a due-looking row) sends nothing more.
        assert tasks.attempt_delivery(delivery_id) is None
    assert history == [
        ("pending", 1, 500, "HTTP 500", timedelta(minutes=1)),
        ("pending", 2, 503, "HTTP 503", timedelta(minutes=5)),
        ("succeeded", 3, 200, "", None),
    ]
    assert len(hook.requests) == 3
    # Every retry carries the same event id, for receivers to de-duplicate.
    assert len({r.headers["webhook-id"] for r in hook.requests}) == 1


def test_delivery_fails_after_the_last_retry(cast: Cast, places: Places) -> None:
    thread = check_create_thread(cast.alice, places.forum, title="Hub", body_md="Offline.")
    with receiver(statuses=[500]) as hook:
        _endpoint(hook.url, ["post.created"])
        (delivery_id,) = create_deliveries("post.created", thread.posts.get().pk)
        waits = []
        for _ in range(tasks.MAX_ATTEMPTS):
            delivery = tasks.attempt_delivery(delivery_id)
            assert delivery is not None
            if delivery.next_attempt_at and delivery.last_attempt_at:
                waits.append(delivery.next_attempt_at - delivery.last_attempt_at)
                _due_now(delivery)
        assert tasks.attempt_delivery(delivery_id) is None
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 6, None)
    assert waits == tasks.BACKOFF
    assert len(hook.requests) == 6


def test_retry_is_scheduled_on_the_worker_queue(
    cast: Cast, places: Places, settings: Settings, django_capture_on_commit_callbacks: OnCommit
) -> None:
    thread = check_create_thread(cast.alice, places.forum, title="Hub", body_md="Offline.")
    settings.TASKS = DATABASE_TASKS
    with receiver(statuses=[500]) as hook:
        _endpoint(hook.url, ["post.created"])
        (delivery_id,) = create_deliveries("post.created", thread.posts.get().pk)
        with django_capture_on_commit_callbacks(execute=True):
            delivery = tasks.attempt_delivery(delivery_id)
    assert delivery is not None
    assert delivery.next_attempt_at is not None
    # Queued for the worker, not before the backoff has passed.
    queued = DBTaskResult.objects.filter(task_path="cluetrain.webhooks.tasks.deliver_webhook")
    assert [(r.args_kwargs["args"], r.run_after) for r in queued] == [
        ([delivery_id], delivery.next_attempt_at)
    ]


def test_a_hung_endpoint_is_bounded_by_the_timeout(
    cast: Cast, places: Places, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tasks, "TIMEOUT", dict.fromkeys(tasks.TIMEOUT, 0.3))
    thread = check_create_thread(cast.alice, places.forum, title="Hub", body_md="Offline.")
    with hung_endpoint() as url:
        _endpoint(url, ["post.created"])
        (delivery_id,) = create_deliveries("post.created", thread.posts.get().pk)
        delivery = tasks.attempt_delivery(delivery_id)
    assert delivery is not None
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == ("pending", 1, None)
    assert delivery.last_error == "Timed out waiting for the answer."
    assert delivery.last_duration_ms is not None
    assert delivery.last_duration_ms < 3000


def test_posting_only_queues_the_delivery(
    cast: Cast,
    places: Places,
    client: Client,
    settings: Settings,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    settings.TASKS = DATABASE_TASKS
    with hung_endpoint() as url:
        _endpoint(url, ["post.created"])
        client.force_login(cast.alice)
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("thread_new", args=["general"]), {"title": "Hub", "body": "Offline."}
            )
        elapsed = time.monotonic() - started
    assert response.status_code == 302
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_attempt_at) == ("pending", 0, None)
    queued = DBTaskResult.objects.filter(task_path="cluetrain.webhooks.tasks.deliver_webhook")
    assert [r.args_kwargs["args"] for r in queued] == [[delivery.pk]]
    # The endpoint would hold a request for the whole timeout (5 s); posting did not wait.
    assert elapsed < tasks.TIMEOUT["read"]


# --- Staff pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "maya", "pat"])
def test_pages_refuse_non_staff(cast: Cast, client: Client, who: str) -> None:
    endpoint = _endpoint("http://127.0.0.1:9/a")
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event="ping", payload={}, status="failed", created_at=timezone.now()
    )
    client.force_login(getattr(cast, who))
    assert client.get(reverse("webhooks")).status_code == 403
    assert client.get(reverse("webhook_detail", args=[endpoint.pk])).status_code == 403
    response = client.post(
        reverse("webhook_new"), {"url": "https://example.com/x", "events": ["post.created"]}
    )
    assert response.status_code == 403
    assert client.post(reverse("webhook_ping", args=[endpoint.pk])).status_code == 403
    assert client.post(reverse("webhook_redeliver", args=[delivery.pk])).status_code == 403
    assert WebhookEndpoint.objects.count() == 1
    assert list(WebhookDelivery.objects.values_list("status", flat=True)) == ["failed"]


def test_pages_send_anonymous_visitors_to_login(db: None, client: Client) -> None:
    response = client.get(reverse("webhooks"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["sam", "ada"])
def test_staff_create_an_endpoint_and_see_its_secret(cast: Cast, client: Client, who: str) -> None:
    client.force_login(getattr(cast, who))
    response = client.post(
        reverse("webhook_new"),
        {"url": "https://example.com/x", "description": "CRM", "events": ["review.created"]},
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("webhook_detail", args=[endpoint.pk])
    assert (endpoint.url, endpoint.events, endpoint.active) == (
        "https://example.com/x",
        ["review.created"],
        True,
    )
    assert endpoint.created_by == getattr(cast, who)
    assert endpoint.secret.startswith("whsec_")
    assert len(endpoint.secret) >= 40
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert endpoint.secret in page.content.decode()
    listing = client.get(reverse("webhooks"))
    assert listing.status_code == 200
    assert "https://example.com/x" in listing.content.decode()


def test_staff_disable_an_endpoint(cast: Cast, client: Client) -> None:
    endpoint = _endpoint("https://example.com/x", ["post.created"])
    client.force_login(cast.sam)
    response = client.post(
        reverse("webhook_detail", args=[endpoint.pk]),
        {"url": "https://example.com/y", "events": ["post.created", "member.joined"]},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.events, endpoint.active) == (
        "https://example.com/y",
        ["post.created", "member.joined"],
        False,
    )


def test_a_bad_endpoint_is_refused_and_nothing_is_written(cast: Cast, client: Client) -> None:
    client.force_login(cast.sam)
    response = client.post(reverse("webhook_new"), {"url": "https://example.com/x", "events": []})
    assert response.status_code == 400
    assert "Choose at least one event." in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_ping_and_redeliver_from_the_log(
    cast: Cast, client: Client, django_capture_on_commit_callbacks: OnCommit
) -> None:
    with receiver(statuses=[500, 200]) as hook:
        endpoint = _endpoint(hook.url)
        client.force_login(cast.sam)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("webhook_ping", args=[endpoint.pk]))
        assert response.status_code == 302
        delivery = WebhookDelivery.objects.get()
        assert (delivery.event, delivery.status, delivery.attempts) == ("ping", "pending", 1)
        page = client.get(reverse("webhook_detail", args=[endpoint.pk])).content.decode()
        assert "HTTP 500" in page
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("webhook_redeliver", args=[delivery.pk]))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == (
        "succeeded",
        1,
        200,
    )
    assert [json.loads(r.body)["event"] for r in hook.requests] == ["ping", "ping"]
    assert json.loads(hook.requests[0].body)["data"] == {
        "endpoint": {"id": endpoint.pk, "url": hook.url}
    }
    assert Member.objects.filter(pk=cast.sam.pk).exists()
