"""Deal ratings as reputation rows (registered with cluetrain.reputation.signals)."""

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import cast

from cluetrain.intents.models import DealRating
from cluetrain.reputation.signals import Row, member_key, organization_key


def deal_ratings() -> Iterator[Row]:
    """A customer rates the vendor's organization; a vendor's member rates the customer."""
    rows = DealRating.objects.filter(rater__isnull=False, deal__customer__isnull=False).values_list(
        "side", "rater_id", "deal__customer_id", "deal__organization_id", "stars", "created_at"
    )
    for side, rater, customer, org, stars, at in cast(
        Iterable[tuple[str, int, int, int, int, datetime]], rows
    ):
        target = organization_key(org) if side == DealRating.Side.CUSTOMER else member_key(customer)
        if target != member_key(rater):
            yield member_key(rater), target, (stars - 3) / 2, at.timestamp()
