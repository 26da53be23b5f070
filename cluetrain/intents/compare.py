"""A customer's offers side by side: price, the vendor's reputation and its evidence, the
history between the customer and the vendor, and how far the vendor is."""

from dataclasses import dataclass, field

from cluetrain.intents.models import Deal, Intent, IntentMessage, Offer
from cluetrain.organizations.models import Organization
from cluetrain.relationships.models import Tie
from cluetrain.reputation.models import Reputation
from cluetrain_analytics.places import distance_km, geocode


@dataclass
class OfferRow:
    offer: Offer
    reputation: Reputation | None
    past_deals: int
    tie: Tie | None
    distance_km: float | None
    messages: list[IntentMessage] = field(default_factory=list)


@dataclass
class Thread:
    """A vendor the request was sent to, with the private messages so far (offer or not)."""

    organization: Organization
    messages: list[IntentMessage]


def _distance(intent: Intent, org: Organization) -> float | None:
    if intent.latitude is None or intent.longitude is None or not org.location:
        return None
    point = geocode(org.location)
    if point is None:
        return None
    return round(distance_km(intent.latitude, intent.longitude, point.latitude, point.longitude))


def threads(intent: Intent) -> dict[int, list[IntentMessage]]:
    found: dict[int, list[IntentMessage]] = {}
    for message in intent.messages.select_related("author").order_by("created_at", "pk"):
        found.setdefault(message.organization_id, []).append(message)
    return found


def compare(intent: Intent) -> list[OfferRow]:
    """The request's offers (withdrawn ones left out), cheapest first."""
    offers = list(
        intent.offers.exclude(status=Offer.Status.WITHDRAWN)
        .select_related("organization")
        .order_by("price", "created_at")
    )
    org_ids = [o.organization_id for o in offers]
    reputations = {
        r.organization_id: r for r in Reputation.objects.filter(organization__in=org_ids)
    }
    ties = {
        t.organization_id: t
        for t in Tie.objects.filter(member_id=intent.customer_id, organization__in=org_ids)
    }
    deals: dict[int, int] = {}
    for org_id in Deal.objects.filter(
        customer_id=intent.customer_id, organization__in=org_ids
    ).values_list("organization_id", flat=True):
        deals[org_id] = deals.get(org_id, 0) + 1
    messages = threads(intent)
    return [
        OfferRow(
            offer=offer,
            reputation=reputations.get(offer.organization_id),
            past_deals=deals.get(offer.organization_id, 0),
            tie=ties.get(offer.organization_id),
            distance_km=_distance(intent, offer.organization),
            messages=messages.get(offer.organization_id, []),
        )
        for offer in offers
    ]
