"""Order routing in the demo: the company lists two products for retailers, retailers in six
cities carry them, and yesterday's orders have been resolved with every outcome (the nearest
claimant, a tie broken by reputation, a tie broken by claim time, the manufacturer because
nobody claimed), some shipped, delivered and rated; today's orders wait on the board."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cluetrain.members.models import Member, Profile
from cluetrain.orders.actions import (
    Line,
    do_answer,
    do_list_product,
    do_place_order,
    do_register_retailer,
    do_step,
)
from cluetrain.orders.models import Listing, Order, OrderEvent, Retailer
from cluetrain.orders.resolution import resolve_due
from cluetrain.organizations.models import Organization
from cluetrain.reputation.models import Reputation
from cluetrain_analytics import routing

SLUG_PREFIX = "demo-retail-"
# (slug, name, city, reputation figure before today, or None: not rated yet)
RETAILERS = [
    ("leeds", "Leeds Light & Home", "Leeds", 0.4),
    ("manchester-north", "Northern Quarter Electrics", "Manchester", 0.6),
    ("manchester-south", "Didsbury Smart Living", "Manchester", 0.2),
    ("birmingham-a", "Brum Gadgets", "Birmingham", None),
    ("birmingham-b", "Digbeth Devices", "Birmingham", None),
    ("paris", "Maison Connectée", "Paris, France", 0.5),
]
# Yesterday's orders: (ship to, claims as (retailer slug, minutes after the order))
YESTERDAY = [
    ("Leeds", [("leeds", 30), ("manchester-north", 5)]),  # the nearest wins
    ("Manchester", [("manchester-south", 10), ("manchester-north", 40)]),  # reputation
    ("Birmingham", [("birmingham-b", 15), ("birmingham-a", 50)]),  # claim time
    ("Bradford", [("manchester-north", 20), ("leeds", 90)]),  # the nearest, though later
    ("Paris, France", [("paris", 60)]),
    ("Sheffield", []),  # nobody claimed: the manufacturer ships
    ("Lyon", []),
]
TODAY = ["Leeds", "Manchester", "Birmingham", "Paris, France"]


def plant_orders(email_domain: str, password: str) -> str:
    """Plant the orders; returns a line for the demo's summary."""
    company = Organization.objects.filter(kind=Organization.Kind.COMPANY).order_by("pk").first()
    customers = list(
        Member.objects.filter(
            role=Member.Role.CUSTOMER, email__endswith=f"@{email_domain}"
        ).order_by("pk")[:10]
    )
    if company is None or not customers:
        return "no orders planted (no company or customers)"
    products = list(company.products.order_by("pk")[:2])
    if not products:
        return "no orders planted (the company has no products)"
    # Planted again: the previous plant's orders, retailers and their staff go first.
    Order.objects.filter(manufacturer=company).delete()
    Member.objects.filter(username__startswith=SLUG_PREFIX).delete()
    Organization.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    now = timezone.now()
    yesterday = now - datetime.timedelta(hours=30)
    with transaction.atomic():
        listings = [
            do_list_product(product, Decimal(price))
            for product, price in zip(products, ("129.00", "49.00"), strict=False)
        ]
        shops = {
            slug: _retailer(slug, name, city, rep, listings, email_domain, password)
            for slug, name, city, rep in RETAILERS
        }
        placed = []
        for n, (place, claims) in enumerate(YESTERDAY):
            order = _order(customers[n % len(customers)], listings, place, yesterday)
            for slug, minutes in claims:
                offer = order.offers.get(retailer=shops[slug])
                when = yesterday + datetime.timedelta(minutes=minutes)
                do_answer(offer, OrderEvent.Kind.CLAIMED, when)
            placed.append(order)
    run = resolve_due(now)
    with transaction.atomic():
        first, second = (Order.objects.get(pk=order.pk) for order in placed[:2])
        for order in (first, second):
            do_step(order, Order.Status.SHIPPED, OrderEvent.Kind.SHIPPED, order.winner)
        do_step(first, Order.Status.DELIVERED, OrderEvent.Kind.DELIVERED, None)
        _rate(first, 5, "Delivered the same afternoon.")
        _rate(second, 4, "Good, a day late.")
        for n, place in enumerate(TODAY):
            _order(customers[(n + 3) % len(customers)], listings, place, now)
    return (
        f"a day of orders resolved ({run.to_retailers} to retailers, {run.to_manufacturer} to "
        f"the manufacturer; /orders/resolutions/), {len(TODAY)} open on the retailers' boards "
        f"(log in as {SLUG_PREFIX}leeds-staff)"
    )


def _retailer(
    slug: str,
    name: str,
    city: str,
    reputation: float | None,
    listings: list[Listing],
    email_domain: str,
    password: str,
) -> Retailer:
    organization = Organization.objects.create(
        name=name, slug=f"{SLUG_PREFIX}{slug}", kind=Organization.Kind.VENDOR, location=city
    )
    if reputation is not None:
        # The figure before today; `cluetrain reputation` recomputes it from the ratings.
        Reputation.objects.create(
            organization=organization,
            score=reputation,
            ratings=3,
            raters=3,
            computed_at=timezone.now(),
        )
    staff = Member.objects.create_user(
        username=f"{SLUG_PREFIX}{slug}-staff",
        email=f"{SLUG_PREFIX}{slug}@{email_domain}",
        password=password,
        role=Member.Role.PARTNER,
        display_name=f"{name} staff",
        organization=organization,
    )
    Profile.objects.get_or_create(member=staff)
    return do_register_retailer(organization, city, listings, serves_km=150)


def _order(customer: Member, listings: list[Listing], place: str, at: datetime.datetime) -> Order:
    city = routing.geocode(place)
    assert city is not None, place
    return do_place_order(customer, [Line(listings[0], 1)], city, at)


def _rate(order: Order, stars: int, comment: str) -> None:
    # Written directly: the demo's `cluetrain reputation` run reads every rating afterwards.
    at = timezone.now()
    Order.objects.filter(pk=order.pk).update(stars=stars, rating_comment=comment, rated_at=at)
    OrderEvent.objects.create(
        order=order, kind=OrderEvent.Kind.RATED, at=at, text=f"{stars}/5 {comment}"
    )
