"""Deliver webhooks from the worker: signed POST, short timeouts, retries with backoff.

Only to public addresses (targets.py): the connection itself vets what the name resolves
to. What a target answers beyond its status code never reaches the delivery log, so the log
cannot be used to read or probe services (docs/webhooks.md).
"""

import functools
import json
import ssl
import time
from datetime import datetime, timedelta

import httpcore
import httpx
from django.utils import timezone
from django_tasks import default_task_backend, task

from cluetrain.core.tasks import enqueue_on_commit
from cluetrain.webhooks import signing
from cluetrain.webhooks.models import WebhookDelivery
from cluetrain.webhooks.targets import (
    InternalTarget,
    PublicOnlyBackend,
    UnresolvableHost,
    holds_credentials,
)

# Wait before retry n (1-based); after the last one a delivery is marked failed.
BACKOFF = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
]
MAX_ATTEMPTS = len(BACKOFF) + 1
# Seconds per phase; the response body is never read, so a dribbling receiver cannot hold
# us longer.
TIMEOUT = {"connect": 3.0, "read": 5.0, "write": 5.0, "pool": 5.0}
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


class Outcome:
    """What the delivery log says about an attempt: never what the target sent back."""

    REFUSED = "Refused: {reason}"
    # Registered before such addresses were refused (actions._check_url): staff edit it.
    CREDENTIALS = (
        "Refused: the address holds a user name or password; put secrets in the signing "
        "secret, not the URL."
    )
    UNRESOLVABLE = "Could not resolve the host name."
    NO_CONNECTION = "Could not connect."
    TLS = "The TLS handshake failed (certificate or protocol)."
    TIMED_OUT = "Timed out waiting for the answer."
    UNUSABLE_URL = "The address is not an http:// or https:// URL with a host."
    NO_HTTP_ANSWER = "No HTTP answer: the connection failed or the target does not speak HTTP."


@functools.cache
def _pool() -> httpcore.ConnectionPool:
    # One per process, with one TLS context: building it costs more than a delivery. httpcore
    # never follows redirects and ignores proxy variables: the vetted address is the one reached.
    return httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(),
        network_backend=PublicOnlyBackend(),
        keepalive_expiry=5.0,
    )


def _send(url: str, headers: dict[str, str], body: bytes) -> int:
    # httpx parses the URL as it always did (IDNA host names, percent-encoding); httpcore,
    # underneath httpx, sends it through our backend.
    target = httpx.URL(url)
    request_url = httpcore.URL(
        scheme=target.raw_scheme, host=target.raw_host, port=target.port, target=target.raw_path
    )
    headers = {"Host": target.netloc.decode("ascii"), **headers}
    with _pool().stream(
        "POST",
        request_url,
        headers=list(headers.items()),
        content=body,
        extensions={"timeout": TIMEOUT},
    ) as response:
        return response.status


def _post(delivery: WebhookDelivery) -> tuple[int | None, str, bool]:
    """Send once: the status code, the error for the log, and whether to try again."""
    if holds_credentials(delivery.endpoint.url):
        return None, Outcome.CREDENTIALS, False
    body = body_bytes(delivery.payload)
    headers = signing.headers(
        secret=delivery.endpoint.secret,
        message_id=str(delivery.event_id),
        sent_at=timezone.now(),
        body=body,
    )
    try:
        code = _send(delivery.endpoint.url, headers, body)
    except InternalTarget as refused:
        return None, Outcome.REFUSED.format(reason=refused), False
    except (httpx.InvalidURL, httpcore.UnsupportedProtocol):
        return None, Outcome.UNUSABLE_URL, False
    except UnresolvableHost:
        return None, Outcome.UNRESOLVABLE, True
    except httpcore.ConnectError as error:
        tls = isinstance(error.__cause__ or error.__context__, ssl.SSLError)
        return None, Outcome.TLS if tls else Outcome.NO_CONNECTION, True
    except (httpcore.ConnectTimeout, httpcore.PoolTimeout):
        return None, Outcome.NO_CONNECTION, True
    except httpcore.TimeoutException:
        return None, Outcome.TIMED_OUT, True
    except (httpcore.NetworkError, httpcore.ProtocolError):
        return None, Outcome.NO_HTTP_ANSWER, True
    return code, "" if 200 <= code < 300 else f"HTTP {code}", True


def attempt_delivery(delivery_id: int) -> WebhookDelivery | None:
    """Send once if due; record the outcome and schedule the next try. None: nothing to do."""
    if not _claim(delivery_id):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    started = time.monotonic()
    code, error, retry = _post(delivery)
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
    elif not retry or delivery.attempts >= MAX_ATTEMPTS:
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
