"""A member's personal requests in their data download, and what goes when they leave.

The customer's requests, the offers and messages on them and the ratings of their deals are
theirs: downloaded with the rest of their data and deleted with their account. The vendor keeps
only the anonymised deal row (organization, category, price, date), with no customer.
"""

from typing import Any

from django.db import models

from cluetrain.intents.models import Deal, DealRating, Intent, IntentMessage, Offer
from cluetrain.intents.notices import do_forget_notices
from cluetrain.members.models import Member


def _rows(queryset: models.QuerySet[Any], *fields: str) -> list[dict[str, Any]]:
    return list(queryset.order_by("pk").values(*fields))


def member_data(member: Member) -> dict[str, Any]:
    mine = Intent.objects.filter(customer=member)
    return {
        "requests": _rows(
            mine,
            "id",
            "title",
            "description",
            "category",
            "place",
            "place_name",
            "starts_on",
            "ends_on",
            "budget_min",
            "budget_max",
            "currency",
            "must_haves",
            "disclosed",
            "pseudonym",
            "status",
            "open_until",
            "created_at",
        ),
        "offers_received": _rows(
            Offer.objects.filter(intent__customer=member),
            "intent_id",
            "organization__name",
            "price",
            "terms",
            "message",
            "expires_at",
            "status",
            "created_at",
        ),
        "request_messages": _rows(
            IntentMessage.objects.filter(intent__customer=member),
            "intent_id",
            "organization__name",
            "from_customer",
            "body",
            "created_at",
        ),
        "deals": _rows(
            Deal.objects.filter(customer=member),
            "intent_id",
            "organization__name",
            "category",
            "price",
            "currency",
            "accepted_at",
        ),
        "deal_ratings": _rows(
            DealRating.objects.filter(models.Q(deal__customer=member) | models.Q(rater=member)),
            "deal_id",
            "side",
            "stars",
            "words",
            "created_at",
        ),
        "offers_made": _rows(
            Offer.objects.filter(author=member),
            "intent_id",
            "organization__name",
            "price",
            "status",
            "created_at",
        ),
    }


def do_forget_customer(member: Member) -> None:
    """Delete the member's requests (offers, matches and threads with them) and the ratings of
    their deals; their deals stay with the vendors, without a customer."""
    DealRating.objects.filter(deal__customer=member).delete()
    for intent in Intent.objects.filter(customer=member).only("pk", "customer_id"):
        do_forget_notices(intent)  # vendors' notices named the requests
    Intent.objects.filter(customer=member).delete()
    Deal.objects.filter(customer=member).update(customer=None)
