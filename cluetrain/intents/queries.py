"""A vendor's inbox and offers, read the way every vendor view reads: through the filter that
hides withdrawn and deleted requests."""

from django.db.models import QuerySet
from django.utils import timezone

from cluetrain.intents.access import VENDOR_VISIBLE, VendorView, vendor_view
from cluetrain.intents.models import Intent, Match, Offer
from cluetrain.organizations.models import Organization

INBOX_SIZE = 200


def inbox_matches(org: Organization) -> QuerySet[Match]:
    """The matches of the open requests sent to `org`, best fit first."""
    return (
        Match.objects.filter(
            organization=org,
            intent__status=Intent.Status.OPEN,
            intent__moderation=Intent.Moderation.PASSED,
            intent__open_until__gt=timezone.now(),
        )
        .select_related("intent__customer")
        .order_by("-score", "-created_at", "-pk")
    )


def inbox(org: Organization) -> list[VendorView]:
    """Open requests sent to `org`, best fit first, as `org` may see them."""
    return [vendor_view(m.intent, org, m) for m in inbox_matches(org)[:INBOX_SIZE]]


def offers_of(org: Organization) -> QuerySet[Offer]:
    """`org`'s offers on requests it still sees, newest first."""
    return (
        Offer.objects.filter(
            organization=org,
            intent__status__in=VENDOR_VISIBLE,
            intent__moderation=Intent.Moderation.PASSED,
        )
        .select_related("intent", "author")
        .order_by("-created_at")
    )
