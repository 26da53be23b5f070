"""Orders for the API permission matrix (cluetrain/api/tests/test_permissions.py): the
company's product listed, pat's organization a retailer in Leeds, alice's orders in each state.
Every function runs inside the matrix's savepoint, so each call starts from the same world."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cluetrain.api.tests.conftest import World
from cluetrain.members.models import Member
from cluetrain.orders.actions import do_list_product, do_register_retailer
from cluetrain.orders.models import Listing, Offer, Order, Retailer
from cluetrain.orders.tests.factories import open_order
from cluetrain.organizations.models import Organization


def _listing(world: World) -> Listing:
    return do_list_product(world.places.product, price=Decimal("99"))


def _shop(world: World) -> Retailer:
    # Made again in every savepoint (the matrix rolls each call back).
    shop, _ = Organization.objects.get_or_create(
        slug="leeds-lights", defaults={"name": "Leeds Lights", "kind": Organization.Kind.VENDOR}
    )
    Member.objects.filter(pk=world.cast.pat.pk).update(organization=shop)
    return do_register_retailer(shop, "Leeds", [_listing(world)])


def setup(world: World, me: Member) -> None:
    _shop(world)


def open_order_params(world: World, me: Member | None) -> dict[str, Any]:
    shop = _shop(world)
    order = open_order(_listing(world), "Leeds", world.cast.alice, timezone.now(), (shop,))
    return {"order_id": order.pk}


def _won(world: World, status: str) -> Order:
    shop = _shop(world)
    placed = timezone.now() - datetime.timedelta(days=2)
    order = open_order(_listing(world), "Leeds", world.cast.alice, placed, (shop,))
    Offer.objects.filter(order=order).update(claimed_at=placed + datetime.timedelta(hours=1))
    Order.objects.filter(pk=order.pk).update(
        status=status, outcome=Order.Outcome.NEAREST, winner=shop, resolved_at=timezone.now()
    )
    return order


def resolved_params(world: World, me: Member | None) -> dict[str, Any]:
    return {"order_id": _won(world, Order.Status.RESOLVED).pk}


def shipped_params(world: World, me: Member | None) -> dict[str, Any]:
    return {"order_id": _won(world, Order.Status.SHIPPED).pk}


ORDER_BODY = {"items": [{"product": "lumen-hub", "quantity": 2}], "ship_to": "Leeds"}
