"""A manufacturer, its listing and retailers at real cities, for the orders tests."""

import datetime
import itertools
from decimal import Decimal

from cluetrain.members.models import Member
from cluetrain.orders.actions import do_list_product, do_register_retailer
from cluetrain.orders.models import Listing, Offer, Order, Retailer
from cluetrain.organizations.models import Organization, Product
from cluetrain.reputation.models import Reputation
from cluetrain_analytics import routing

_serial = itertools.count(1)


def manufacturer_listing(name: str = "Lumen Home") -> Listing:
    slug = f"maker-{next(_serial)}"
    maker = Organization.objects.create(name=name, slug=slug, kind=Organization.Kind.COMPANY)
    product = Product.objects.create(organization=maker, name="Lumen Hub", slug=f"{slug}-hub")
    return do_list_product(product, price=Decimal("99.00"))


def retailer(
    listing: Listing, place: str, *, reputation: float | None = None, serves_km: int = 20_000
) -> Retailer:
    number = next(_serial)
    organization = Organization.objects.create(
        name=f"Shop {number} {place}", slug=f"shop-{number}", kind=Organization.Kind.VENDOR
    )
    if reputation is not None:
        Reputation.objects.create(
            organization=organization,
            score=reputation,
            ratings=1,
            raters=1,
            computed_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        )
    return do_register_retailer(organization, place, [listing], serves_km=serves_km)


def open_order(
    listing: Listing,
    place: str,
    customer: Member | None,
    placed_at: datetime.datetime,
    retailers: tuple[Retailer, ...] = (),
) -> Order:
    """An order straight in the table (no offers computed), offered to `retailers`."""
    city = routing.geocode(place)
    assert city is not None
    order = Order.objects.create(
        manufacturer=listing.manufacturer,
        customer=customer,
        ship_to=city.name,
        latitude=city.latitude,
        longitude=city.longitude,
        placed_at=placed_at,
        closes_at=placed_at + datetime.timedelta(hours=20),
    )
    Offer.objects.bulk_create(
        Offer(order=order, retailer=shop, offered_at=placed_at) for shop in retailers
    )
    return order
