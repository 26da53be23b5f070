"""Webhook payloads of personal requests (`request.posted`, `offer.made`), for
cluetrain.webhooks. A request is sent as an outsider sees it: the pseudonym and the disclosed
fields, never the customer."""

from dataclasses import asdict
from typing import Any

from cluetrain.core.links import absolute_url
from cluetrain.intents.access import vendor_view
from cluetrain.intents.models import Intent, Offer


def request_data(intent_id: int) -> dict[str, Any] | None:
    intent = Intent.objects.filter(pk=intent_id).first()
    if (
        intent is None
        or intent.status == Intent.Status.WITHDRAWN
        or intent.moderation != Intent.Moderation.PASSED
    ):
        return None
    view = asdict(vendor_view(intent, None))
    # Categories are named by slug, with the words beside, as in the API.
    view["category"], view["category_name"] = intent.category_slug, intent.category
    for private in ("customer_name", "customer_username", "score", "reasons", "distance_km"):
        del view[private]
    for key in ("open_until", "created_at", "starts_on", "ends_on"):
        view[key] = view[key].isoformat() if view[key] is not None else None
    for key in ("budget_min", "budget_max"):
        view[key] = str(view[key]) if view[key] is not None else None
    return {"request": view | {"url": absolute_url("intent", intent.pk)}}


def offer_data(offer_id: int) -> dict[str, Any] | None:
    offer = Offer.objects.select_related("organization", "intent").filter(pk=offer_id).first()
    if offer is None:
        return None
    return {
        "offer": {
            "id": offer.pk,
            "request_id": offer.intent_id,
            "vendor": {"slug": offer.organization.slug, "name": offer.organization.name},
            "price": str(offer.price),
            "currency": offer.intent.currency,
            "expires_at": offer.expires_at.isoformat(),
            "created_at": offer.created_at.isoformat(),
            "url": absolute_url("intent", offer.intent_id),
        }
    }
