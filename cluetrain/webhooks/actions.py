"""Staff verbs on webhooks: register, edit, ping, redeliver. `check_*` refuses; `do_*` writes."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from cluetrain.core.errors import ActionError
from cluetrain.core.tasks import enqueue_on_commit
from cluetrain.members.models import Member
from cluetrain.webhooks.events import send_ping
from cluetrain.webhooks.models import Event, WebhookDelivery, WebhookEndpoint
from cluetrain.webhooks.targets import (
    InternalTarget,
    check_target_host,
    holds_credentials,
    is_allowed_internal,
)
from cluetrain.webhooks.tasks import deliver_webhook

MANAGER_ROLES = {Member.Role.STAFF, Member.Role.ADMIN}


@dataclass(frozen=True)
class EndpointSettings:
    """What staff set on an endpoint, checked and normalised."""

    url: str
    events: list[str]
    description: str


def may_manage_webhooks(member: Member) -> bool:
    return member.is_authenticated and member.role in MANAGER_ROLES


def check_may_manage(member: Member) -> None:
    if not may_manage_webhooks(member):
        raise ActionError(gettext("Only staff and administrators manage webhooks."), status=403)


def _check_url(url: str) -> str:
    url = url.strip()
    invalid = ActionError(gettext("Enter a valid URL."), field="url")
    try:
        parts = urlsplit(url)
    except ValueError:
        raise invalid from None
    try:
        stated_port = parts.port  # ValueError: above 65535 or not a number
    except ValueError:
        stated_port = -1
    # Port 0 is no port to send to (the syntax check below lets any five digits through).
    if stated_port is not None and not 1 <= stated_port <= 65535:
        raise ActionError(gettext("The port must be a number from 1 to 65535."), field="url")
    port = stated_port or (443 if parts.scheme == "https" else 80)
    if parts.scheme not in {"http", "https"}:
        raise ActionError(gettext("The address must start with https:// or http://."), field="url")
    if holds_credentials(url):
        raise ActionError(
            gettext(
                "The address may not hold a user name or password: receivers check the "
                "signature made with the webhook's signing secret instead."
            ),
            field="url",
        )
    if not parts.hostname:
        raise invalid
    # Before the syntax check, so that 0x7f000001 is refused for what it is: loopback.
    try:
        check_target_host(parts.hostname, port)
    except InternalTarget as refused:
        raise ActionError(refused.explained(), field="url") from None
    if is_allowed_internal(parts.hostname):
        return url  # An administrator's own host: a container name ("crm") has no dot.
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise invalid from None
    return url


def check_endpoint_settings(url: str, events: list[str], description: str) -> EndpointSettings:
    url = _check_url(url)
    unknown = set(events) - set(Event.values)
    if unknown:
        listed = ", ".join(sorted(unknown))
        raise ActionError(
            gettext("Unknown events: %(events)s.") % {"events": listed}, field="events"
        )
    if not events:
        raise ActionError(gettext("Choose at least one event."), field="events")
    ordered = [event for event in Event.values if event in events]
    return EndpointSettings(url=url, events=ordered, description=description.strip())


def check_create_endpoint(
    member: Member, *, url: str, events: list[str], description: str = ""
) -> WebhookEndpoint:
    check_may_manage(member)
    return do_create_endpoint(member, check_endpoint_settings(url, events, description))


def do_create_endpoint(member: Member, endpoint_settings: EndpointSettings) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        url=endpoint_settings.url,
        events=endpoint_settings.events,
        description=endpoint_settings.description,
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
    endpoint_settings = check_endpoint_settings(url, events, description)
    return do_edit_endpoint(endpoint, endpoint_settings, active=active)


def do_edit_endpoint(
    endpoint: WebhookEndpoint, endpoint_settings: EndpointSettings, *, active: bool
) -> WebhookEndpoint:
    endpoint.url = endpoint_settings.url
    endpoint.events = endpoint_settings.events
    endpoint.description = endpoint_settings.description
    endpoint.active = active
    endpoint.save(update_fields=["url", "events", "description", "active"])
    return endpoint


def check_ping(member: Member, endpoint: WebhookEndpoint) -> int:
    check_may_manage(member)
    return do_ping(endpoint)


@transaction.atomic
def do_ping(endpoint: WebhookEndpoint) -> int:
    return send_ping(endpoint)


def check_redeliver(member: Member, delivery: WebhookDelivery) -> WebhookDelivery:
    check_may_manage(member)
    return do_redeliver(delivery)


@transaction.atomic
def do_redeliver(delivery: WebhookDelivery) -> WebhookDelivery:
    """Send again with the same event id: a fresh retry schedule, receivers can de-duplicate."""
    delivery.status = WebhookDelivery.Status.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    enqueue_on_commit(deliver_webhook, delivery.pk)
    return delivery
