"""Customers' ratings of the retailers that shipped their orders, as reputation rows."""

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import cast

from cluetrain.orders.models import Order
from cluetrain.reputation.signals import Row, member_key, organization_key


def order_ratings() -> Iterator[Row]:
    """(customer, retailer's organization, (stars - 3) / 2, when): one per rated order."""
    rows = Order.objects.filter(
        stars__isnull=False, customer__isnull=False, winner__isnull=False
    ).values_list("customer_id", "winner__organization_id", "stars", "rated_at")
    typed = cast(Iterable[tuple[int, int, int, datetime]], rows)
    for customer, organization, stars, at in typed:
        yield member_key(customer), organization_key(organization), (stars - 3) / 2, at.timestamp()
