"""Drill: the receiver is down (its port refuses connections) for an hour, or for good.

A real worker (django_tasks_db's, in batch mode: it runs what is due and stops) sends the
deliveries the site queued; between runs the clock is advanced by moving every stored time
back, instead of waiting. Staff see the retries and the failure on the webhook pages.
"""

from datetime import timedelta

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from cluetrain.threads.actions import check_create_thread
from cluetrain.webhooks import tasks
from cluetrain.webhooks.models import WebhookDelivery, WebhookEndpoint
from cluetrain.webhooks.tests.receiver import closed_port, receiver
from conftest import Cast, Places

CONNECTION_REFUSED = "Could not connect."


@pytest.fixture(autouse=True)
def _tasks_in_the_database(settings: Settings, transactional_db: None) -> None:
    # Queued in the database for a worker, as `cluetrain serve` runs them; the worker commits,
    # so the test does not run inside one transaction.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _run_worker() -> None:
    """Run every task that is due now, then stop."""
    Worker(
        queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="drill", excluded_queue_names=[],
    ).run()  # fmt: skip


def _advance(delta: timedelta) -> None:
    """The clock moves on by `delta`: every stored time moves back by as much."""
    DBTaskResult.objects.update(enqueued_at=F("enqueued_at") - delta)
    DBTaskResult.objects.filter(run_after__isnull=False).update(run_after=F("run_after") - delta)
    WebhookDelivery.objects.update(created_at=F("created_at") - delta)
    WebhookDelivery.objects.exclude(next_attempt_at=None).update(
        next_attempt_at=F("next_attempt_at") - delta
    )
    WebhookDelivery.objects.exclude(last_attempt_at=None).update(
        last_attempt_at=F("last_attempt_at") - delta
    )


def _post_with_an_endpoint_at(port: int, cast: Cast, places: Places) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.create(
        url=f"http://127.0.0.1:{port}/hook", events=["post.created"], created_at=timezone.now()
    )
    check_create_thread(cast.alice, places.forum, title="Hub offline", body_md="Since Tuesday.")
    return endpoint


def _staff_pages(cast: Cast, endpoint: WebhookEndpoint) -> tuple[str, str]:
    client = Client()
    client.force_login(cast.sam)
    listing = client.get(reverse("webhooks")).content.decode()
    detail = client.get(reverse("webhook_detail", args=[endpoint.pk])).content.decode()
    return listing, detail


def test_down_for_an_hour_retried_with_backoff_then_delivered_once(
    cast: Cast, places: Places
) -> None:
    port = closed_port()
    endpoint = _post_with_an_endpoint_at(port, cast, places)
    waited = timedelta(0)
    _run_worker()  # the first attempt, at once
    # Retries come after 1, 5 and 30 minutes: within the hour, all refused.
    for wait in tasks.BACKOFF[:3]:
        _advance(wait)
        waited += wait
        _run_worker()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        "pending",
        4,
        CONNECTION_REFUSED,
    )
    assert delivery.last_response_code is None
    assert delivery.next_attempt_at is not None
    assert delivery.last_attempt_at is not None
    assert delivery.next_attempt_at - delivery.last_attempt_at == tasks.BACKOFF[3]
    assert waited < timedelta(hours=1)
    listing, detail = _staff_pages(cast, endpoint)
    assert "1 being retried" in listing
    assert CONNECTION_REFUSED in detail
    assert "Pending" in detail

    # Nothing is sent before the next attempt is due.
    _advance(timedelta(hours=1) - waited)
    _run_worker()
    assert WebhookDelivery.objects.get().attempts == 4

    # The receiver is back on its port; the next retry (2 hours after the last) delivers.
    with receiver(port=port) as hook:
        _advance(tasks.BACKOFF[3])
        _run_worker()
        _run_worker()  # a second run sends nothing more
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == (
        "succeeded",
        5,
        200,
    )
    assert len(hook.requests) == 1
    assert hook.requests[0].headers["webhook-id"] == str(delivery.event_id)
    listing, _ = _staff_pages(cast, endpoint)
    assert "being retried" not in listing
    assert "failed" not in listing


def test_down_for_good_marked_failed_and_shown_to_staff(cast: Cast, places: Places) -> None:
    endpoint = _post_with_an_endpoint_at(closed_port(), cast, places)
    _run_worker()
    for wait in tasks.BACKOFF:
        _advance(wait)
        _run_worker()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (
        "failed",
        tasks.MAX_ATTEMPTS,
        None,
    )
    # Nothing more is queued for it, however long one waits.
    _advance(timedelta(days=2))
    _run_worker()
    assert WebhookDelivery.objects.get().attempts == tasks.MAX_ATTEMPTS
    assert not DBTaskResult.objects.ready().exists()

    listing, detail = _staff_pages(cast, endpoint)
    assert "1 failed delivery" in listing
    assert "Failed" in detail
    assert CONNECTION_REFUSED in detail
    assert "Redeliver" in detail
