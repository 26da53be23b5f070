"""Deliver webhooks from the worker: signed POST, short timeouts, retries with backoff."""

import functools
import json
import time
from datetime import datetime, timedelta

import httpx
from django.utils import timezone
from django_tasks import default_task_backend, task

from cluetrain.core.tasks import enqueue_on_commit
from cluetrain.webhooks import signing
from cluetrain.webhooks.models import WebhookDelivery

# Wait before retry n (1-based); after the last one a delivery is marked failed.
BACKOFF = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
]
MAX_ATTEMPTS = len(BACKOFF) + 1
# Per phase; the response body is never read, so a dribbling receiver cannot hold us longer.
TIMEOUT = httpx.Timeout(5.0, connect=3.0)
# While one run sends, others see the delivery as not yet due (longer than any timeout).
CLAIM_FOR = timedelta(minutes=1)


def body_bytes(payload: object) -> bytes:
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def _claim(delivery_id: int) -> bool:
    """Atomically take a due, pending delivery, so that two runs never send it twice."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id,
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at__lte=now,
    ).update(next_attempt_at=now + CLAIM_FOR)
    return claimed == 1


@functools.cache
def _client() -> httpx.Client:
    # One per process: building the TLS context costs more than a delivery.
    return httpx.Client(follow_redirects=False)


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    body = body_bytes(delivery.payload)
    headers = signing.headers(
        secret=delivery.endpoint.secret,
        timestamp=int(time.time()),
        body=body,
        event=delivery.event,
        event_id=str(delivery.event_id),
    )
    try:
        with _client().stream(
            "POST", delivery.endpoint.url, content=body, headers=headers, timeout=TIMEOUT
        ) as response:
            code = response.status_code
    except httpx.HTTPError as error:
        return None, f"{type(error).__name__}: {error}"[:500]
    return code, "" if 200 <= code < 300 else f"HTTP {code}"


def attempt_delivery(delivery_id: int) -> WebhookDelivery | None:
    """Send once if due; record the outcome and schedule the next try. None: nothing to do."""
    if not _claim(delivery_id):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    started = time.monotonic()
    code, error = _post(delivery)
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_response_code = code
    delivery.last_error = error
    delivery.last_duration_ms = int((time.monotonic() - started) * 1000)
    if not error:
        delivery.status = WebhookDelivery.Status.SUCCEEDED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
    delivery.save()
    if delivery.status == WebhookDelivery.Status.PENDING and delivery.next_attempt_at:
        schedule_retry(delivery.pk, delivery.next_attempt_at)
    return delivery


def schedule_retry(delivery_id: int, when: datetime) -> None:
    # The immediate backend cannot defer: there `cluetrain webhooks_retry` sends what is due.
    if default_task_backend.supports_defer:
        enqueue_on_commit(deliver_webhook.using(run_after=when), delivery_id)


@task()
def deliver_webhook(delivery_id: int) -> None:
    attempt_delivery(delivery_id)


def deliver_due() -> int:
    """Send every pending delivery whose time has come; returns how many were tried."""
    due = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)
    return sum(attempt_delivery(pk) is not None for pk in list(due))
