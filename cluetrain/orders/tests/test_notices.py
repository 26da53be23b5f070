"""What orders tell people: the day's new offers, the resolution's notices written in bulk
inside its batches (crash and rerun: each once), shipped and delivered."""

import contextlib
import datetime
import itertools
from collections import Counter
from dataclasses import dataclass

import pytest
from django.utils import timezone

from cluetrain.core.events import Phase, subscribe, unsubscribe
from cluetrain.members.models import Member
from cluetrain.notifications.models import Notification
from cluetrain.orders.actions import (
    check_claim,
    check_deliver,
    check_place_order,
    check_ship,
)
from cluetrain.orders.events import OrdersResolved
from cluetrain.orders.models import Offer, Order, Retailer
from cluetrain.orders.resolution import resolve_due
from cluetrain.orders.tests.factories import manufacturer_listing, open_order, retailer
from cluetrain.organizations.models import Organization

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2026, 12, 1, 8, tzinfo=datetime.UTC)
CUTOFF = T0 + datetime.timedelta(days=1)
_serial = itertools.count(1)


class Crash(Exception):
    pass


def _member(organization: Organization | None = None, role: str = "customer") -> Member:
    n = next(_serial)
    return Member.objects.create_user(
        username=f"n{n}", email=f"n{n}@example.com", role=role, organization=organization
    )


def _staff(shop: Retailer) -> Member:
    return _member(shop.organization, Member.Role.PARTNER)


def _told(member: Member) -> list[tuple[str, str]]:
    return sorted(
        Notification.objects.filter(recipient=member, kind=Notification.Kind.ORDER).values_list(
            "dedupe_key", "text"
        )
    )


@dataclass
class World:
    leeds: Member  # the staff of the retailer in Leeds, who wins
    manchester: Member  # the staff of the one in Manchester, who loses
    maker: Member
    customer: Member
    near: Order  # claimed by both
    nobody: Order  # claimed by nobody
    shop: Retailer
    manchester_shop: Retailer


def _world() -> World:
    listing = manufacturer_listing("Lumen Home")
    maker = listing.manufacturer
    maker.kind = Organization.Kind.VENDOR
    maker.save(update_fields=["kind"])
    leeds = retailer(listing, "Leeds")
    manchester = retailer(listing, "Manchester")
    customer = _member()
    near = open_order(listing, "Leeds", customer, T0, (leeds, manchester))
    nobody = open_order(listing, "Paris, France", customer, T0, (leeds,))
    for shop in (leeds, manchester):
        Offer.objects.filter(order=near, retailer=shop).update(claimed_at=T0)
    return World(
        leeds=_staff(leeds),
        manchester=_staff(manchester),
        maker=_member(maker, Member.Role.PARTNER),
        customer=customer,
        near=near,
        nobody=nobody,
        shop=leeds,
        manchester_shop=manchester,
    )


def test_the_resolution_tells_the_winner_the_maker_the_customer_and_the_loser() -> None:
    w = _world()
    near, nobody = w.near, w.nobody
    run = resolve_due(CUTOFF)
    batch = f"{run.pk}:{near.pk}"
    assert _told(w.leeds) == [
        (
            f"orders:won:{batch}:{w.shop.pk}",
            "You won 1 order: ship it from your order board.",
        )
    ]
    assert _told(w.maker) == [
        (
            f"orders:ship:{batch}:{nobody.manufacturer_id}",
            "Nobody claimed 1 order: you ship it (see your orders).",
        )
    ]
    assert _told(w.customer) == [
        (
            f"order:{near.pk}:resolved",
            f"Your order #{near.pk} is on its way: {w.shop.organization.name} ships it.",
        ),
        (
            f"order:{nobody.pk}:resolved",
            f"Your order #{nobody.pk} is on its way: the manufacturer ships it.",
        ),
    ]
    # The loser learns only that it did not win: no order, no customer, no winner.
    assert _told(w.manchester) == [
        (
            f"orders:lost:{run.pk}:{near.pk}:{w.manchester_shop.pk}",
            "1 order you claimed went to another retailer.",
        )
    ]


def test_a_batch_that_crashes_before_its_commit_tells_nobody_and_the_rerun_tells_once() -> None:
    listing = manufacturer_listing()
    shops = [retailer(listing, city) for city in ("Leeds", "Manchester", "Lyon")]
    staff = [_staff(shop) for shop in shops]
    customer = _member()
    orders = []
    for n, city in enumerate(["Leeds", "Manchester", "Lyon", "Leeds", "Osaka"]):
        order = open_order(listing, city, customer, T0, tuple(shops))
        Offer.objects.filter(order=order, retailer=shops[n % 3]).update(claimed_at=T0)
        Offer.objects.filter(order=order, retailer=shops[(n + 1) % 3]).update(claimed_at=T0)
        orders.append(order)
    calls = Counter[str]()

    def crash_in_second_batch(event: OrdersResolved) -> None:
        calls["batches"] += 1
        if calls["batches"] == 2:
            raise Crash  # after the batch's orders and notices are written, before its commit

    subscribe(OrdersResolved, crash_in_second_batch, phase=Phase.IN_TRANSACTION)
    try:
        with contextlib.suppress(Crash):
            resolve_due(CUTOFF, batch=2)
    finally:
        unsubscribe(OrdersResolved, crash_in_second_batch)
    # The first batch committed with its notices; the second rolled back with its own.
    assert Order.objects.filter(status=Order.Status.RESOLVED).count() == 2
    assert Notification.objects.filter(recipient=customer).count() == 2
    resolve_due(CUTOFF, batch=2)
    assert resolve_due(CUTOFF).orders == 0  # a third run finds nothing to say
    keys = Counter(
        Notification.objects.filter(recipient=customer).values_list("dedupe_key", flat=True)
    )
    assert keys == Counter(f"order:{o.pk}:resolved" for o in orders)
    # Each order won is counted once over the winners' notices, one per retailer and batch.
    won = sum(
        int(text.split()[2])
        for text in Notification.objects.filter(
            recipient__in=staff, dedupe_key__startswith="orders:won:"
        ).values_list("text", flat=True)
    )
    assert won == len(orders)
    # Every claim that lost is counted once over the losers' notices.
    lost_claims = sum(
        int(text.split()[0])
        for text in Notification.objects.filter(
            recipient__in=staff, dedupe_key__startswith="orders:lost:"
        ).values_list("text", flat=True)
    )
    assert lost_claims == len(orders)  # two claims an order, one of them lost


def test_a_retailer_hears_once_a_day_how_many_orders_it_may_claim() -> None:
    listing = manufacturer_listing()
    shop = retailer(listing, "Leeds")
    staff = _staff(shop)
    customer = _member()
    now = timezone.now()
    first = check_place_order(customer, [(listing.pk, 1)], "Leeds", now)
    assert _told(staff) == [
        (
            f"orders:new:{shop.pk}:{now.date().isoformat()}",
            "1 new order you may claim today: see your order board.",
        )
    ]
    Notification.objects.filter(recipient=staff).update(read_at=now)
    check_place_order(customer, [(listing.pk, 2)], "Leeds", now)
    check_place_order(customer, [(listing.pk, 3)], "Bradford", now)
    told = Notification.objects.get(recipient=staff)  # still one notice
    assert told.text == "3 new orders you may claim today: see your order board."
    assert told.read_at is None  # unread again
    check_claim(staff, first.pk, now)
    check_place_order(customer, [(listing.pk, 1)], "Leeds", now)
    assert Notification.objects.get(recipient=staff).text.startswith("3 new orders")
    assert Notification.objects.filter(recipient=customer).count() == 0


def test_the_customer_hears_when_the_order_ships_and_when_someone_else_delivers_it() -> None:
    w = _world()
    near, nobody, customer = w.near, w.nobody, w.customer
    resolve_due(CUTOFF)
    check_ship(w.leeds, near.pk)
    check_deliver(w.leeds, near.pk)
    assert [k for k, _ in _told(customer) if k.startswith(f"order:{near.pk}:")] == [
        f"order:{near.pk}:delivered",
        f"order:{near.pk}:resolved",
        f"order:{near.pk}:shipped",
    ]
    check_ship(w.maker, nobody.pk)
    check_deliver(customer, nobody.pk)  # the customer's own step: not told to themselves
    assert [k for k, _ in _told(customer) if k.startswith(f"order:{nobody.pk}:")] == [
        f"order:{nobody.pk}:resolved",
        f"order:{nobody.pk}:shipped",
    ]
