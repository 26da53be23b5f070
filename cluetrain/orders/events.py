"""The orders app's domain events (cluetrain/core/events.py)."""

from dataclasses import dataclass

from cluetrain.core.events import Event


@dataclass(frozen=True, slots=True)
class OrdersResolved(Event):
    """A batch of orders just resolved: published in the transaction that resolves them, so a
    subscriber in that transaction (the webhooks' order.resolved) sends each order once."""

    order_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class OrderRated(Event):
    """A customer rated the retailer that shipped their order (a reputation rating)."""

    order_id: int
    retailer_organization_id: int
