"""`order.resolved`: one delivery per resolved order and subscribed endpoint, exactly once.

Subscribed in the transaction that resolves the orders (orders/resolution.py), so the
deliveries commit with the resolution or not at all; each carries an event id derived from the
order, so even a delivery made again by hand reads as the same event to the receiver.
"""

import uuid

from django.utils import timezone

from cluetrain.core.links import absolute_url
from cluetrain.core.tasks import enqueue_on_commit
from cluetrain.orders.events import OrdersResolved
from cluetrain.orders.models import Order
from cluetrain.webhooks.events import Payload
from cluetrain.webhooks.models import Event, WebhookDelivery, WebhookEndpoint
from cluetrain.webhooks.tasks import deliver_webhook

NAMESPACE = uuid.UUID("6f1d6a52-3c59-4d0e-9a53-0c1b8f1e7a01")


def event_id(order_id: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"order.resolved:{order_id}")


def order_data(order: Order) -> Payload:
    winner = order.winner
    return {
        "order": {
            "id": order.pk,
            "url": absolute_url("orders:order", order.pk),
            "manufacturer": {"id": order.manufacturer_id, "name": order.manufacturer.name},
            "ship_to": order.ship_to,
            "outcome": order.outcome,
            "retailer": None
            if winner is None
            else {"id": winner.pk, "name": winner.organization.name, "place": winner.place},
            "distance_km": order.distance_km,
            "resolved_at": order.resolved_at.isoformat() if order.resolved_at else None,
        }
    }


def on_orders_resolved(event: OrdersResolved) -> None:
    endpoints = [
        e for e in WebhookEndpoint.objects.filter(active=True) if Event.ORDER_RESOLVED in e.events
    ]
    if not endpoints:
        return
    now = timezone.now()
    orders = Order.objects.filter(pk__in=event.order_ids).select_related(
        "manufacturer", "winner__organization"
    )
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint,
            event=Event.ORDER_RESOLVED,
            event_id=event_id(order.pk),
            payload={
                "id": str(event_id(order.pk)),
                "event": Event.ORDER_RESOLVED.value,
                "created_at": now.isoformat(),
                "data": order_data(order),
            },
            next_attempt_at=now,
            created_at=now,
        )
        for order in orders
        for endpoint in endpoints
    )
    for delivery in deliveries:
        enqueue_on_commit(deliver_webhook, delivery.pk)
