"""Staff verbs on webhooks: register, edit, ping, redeliver. `check_*` refuses; `do_*` writes."""

from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from cluetrain.core.errors import ActionError
from cluetrain.core.tasks import enqueue_on_commit
from cluetrain.members.models import Member
from cluetrain.webhooks.events import send_ping
from cluetrain.webhooks.models import Event, WebhookDelivery, WebhookEndpoint
from cluetrain.webhooks.tasks import deliver_webhook

MANAGER_ROLES = {Member.Role.STAFF, Member.Role.ADMIN}


def may_manage_webhooks(member: Member) -> bool:
    return member.is_authenticated and member.role in MANAGER_ROLES


def check_may_manage(member: Member) -> None:
    if not may_manage_webhooks(member):
        raise ActionError("Only staff and administrators manage webhooks.", status=403)


def _check_endpoint(url: str, events: list[str]) -> tuple[str, list[str]]:
    url = url.strip()
    if urlsplit(url).scheme not in {"http", "https"}:
        raise ActionError("The address must start with https:// or http://.", field="url")
    unknown = set(events) - set(Event.values)
    if unknown:
        raise ActionError(f"Unknown events: {', '.join(sorted(unknown))}.", field="events")
    if not events:
        raise ActionError("Choose at least one event.", field="events")
    return url, [event for event in Event.values if event in events]


def check_create_endpoint(
    member: Member, *, url: str, events: list[str], description: str = ""
) -> WebhookEndpoint:
    check_may_manage(member)
    url, events = _check_endpoint(url, events)
    return WebhookEndpoint.objects.create(
        url=url,
        events=events,
        description=description.strip(),
        created_by=member,
        created_at=timezone.now(),
    )


def check_edit_endpoint(
    member: Member,
    endpoint: WebhookEndpoint,
    *,
    url: str,
    events: list[str],
    description: str,
    active: bool,
) -> WebhookEndpoint:
    check_may_manage(member)
    endpoint.url, endpoint.events = _check_endpoint(url, events)
    endpoint.description = description.strip()
    endpoint.active = active
    endpoint.save(update_fields=["url", "events", "description", "active"])
    return endpoint


@transaction.atomic
def check_ping(member: Member, endpoint: WebhookEndpoint) -> int:
    check_may_manage(member)
    return send_ping(endpoint)


@transaction.atomic
def check_redeliver(member: Member, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send again with the same event id: a fresh retry schedule, receivers can de-duplicate."""
    check_may_manage(member)
    delivery.status = WebhookDelivery.Status.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    enqueue_on_commit(deliver_webhook, delivery.pk)
    return delivery
