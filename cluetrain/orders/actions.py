"""Order routing: list a product, place an order, claim or decline it, resolve, ship, deliver,
rate. Each `check_*` validates (refusing with ActionError) and hands over to one `do_*`."""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from cluetrain.core.errors import ActionError
from cluetrain.core.events import publish
from cluetrain.members.models import Member
from cluetrain.orders import notices
from cluetrain.orders.access import access_offer, access_order, acts_for, retailer_of
from cluetrain.orders.events import OrderRated
from cluetrain.orders.models import (
    Listing,
    Offer,
    Order,
    OrderEvent,
    OrderItem,
    Resolution,
    Retailer,
)
from cluetrain.orders.resolution import resolve_due
from cluetrain.organizations.models import Organization, Product
from cluetrain_analytics import routing

MANUFACTURER_KINDS = (Organization.Kind.COMPANY, Organization.Kind.VENDOR)
MAX_LINES = 20
MAX_QUANTITY = 1000


def _geocode(place: str, field: str) -> routing.City:
    city = routing.geocode(place.strip()) if place.strip() else None
    if city is None:
        raise ActionError(
            gettext(
                "We could not find the city %(place)s; write it as 'City' or "
                "'City, Country' (for example 'Leeds, United Kingdom')."
            )
            % {"place": repr(place.strip())},
            field=field,
        )
    return city


# Listings and retailers ------------------------------------------------------------------


def check_list_product(member: Member, product: Product, price: str) -> Listing:
    maker = product.organization
    if maker.kind not in MANUFACTURER_KINDS or not acts_for(member, maker):
        raise ActionError(
            gettext("Only the product's manufacturer lists it for retailers."), status=403
        )
    try:
        amount = Decimal(price)
    except InvalidOperation:
        raise ActionError(gettext("The price must be a number."), field="price") from None
    if not amount.is_finite() or amount <= 0 or amount >= Decimal("1e8"):
        raise ActionError(
            gettext("The price must be above 0 and below 100,000,000."), field="price"
        )
    return do_list_product(product, amount.quantize(Decimal("0.01")))


def do_list_product(product: Product, price: Decimal) -> Listing:
    listing, _ = Listing.objects.update_or_create(
        product=product,
        defaults={"manufacturer": product.organization, "price": price, "active": True},
    )
    return listing


def do_register_retailer(
    organization: Organization, place: str, listings: list[Listing], serves_km: int = 150
) -> Retailer:
    """Make `organization` a retailer at `place` (demo, tests and the admin)."""
    city = _geocode(place, "place")
    retailer, _ = Retailer.objects.update_or_create(
        organization=organization,
        defaults={
            "place": city.name,
            "latitude": city.latitude,
            "longitude": city.longitude,
            "serves_km": serves_km,
        },
    )
    retailer.listings.add(*listings)
    return retailer


# Placing an order ------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    listing: Listing
    quantity: int


def check_place_order(
    member: Member, lines: list[tuple[int, int]], ship_to: str, now: datetime.datetime | None = None
) -> Order:
    """`lines` are (listing id, quantity); every listing from one manufacturer."""
    if not lines:
        raise ActionError(gettext("An order needs at least one product."), field="items")
    if len(lines) > MAX_LINES:
        raise ActionError(
            gettext("An order has at most %(max)s products.") % {"max": MAX_LINES}, field="items"
        )
    if len({listing for listing, _ in lines}) != len(lines):
        raise ActionError(gettext("Each product appears once; set its quantity."), field="items")
    if any(not 1 <= quantity <= MAX_QUANTITY for _, quantity in lines):
        raise ActionError(
            gettext("Quantities are from 1 to %(max)s.") % {"max": MAX_QUANTITY}, field="items"
        )
    listings = Listing.objects.select_related("manufacturer").in_bulk(
        [listing for listing, _ in lines]
    )
    if len(listings) != len(lines) or not all(item.active for item in listings.values()):
        raise ActionError(gettext("One of these products is not for sale."), field="items")
    if len({item.manufacturer_id for item in listings.values()}) != 1:
        raise ActionError(
            gettext("One order, one manufacturer: order the others apart."), field="items"
        )
    city = _geocode(ship_to, "ship_to")
    resolved = [Line(listings[listing], quantity) for listing, quantity in lines]
    return do_place_order(member, resolved, city, now or timezone.now())


def eligible_retailers(listing_ids: list[int], city: routing.City) -> list[int]:
    """Retailers that carry one of the listings and serve `city` (great-circle distance)."""
    rows = list(
        Retailer.objects.filter(listings__in=listing_ids)
        .distinct()
        .values_list("id", "latitude", "longitude", "serves_km")
    )
    if not rows:
        return []
    table = np.array(rows, dtype=np.float64)
    km = routing.distances_km(
        np.full(len(rows), city.latitude),
        np.full(len(rows), city.longitude),
        table[:, 1],
        table[:, 2],
    )
    return sorted(
        int(pk) for pk, inside in zip(table[:, 0], km <= table[:, 3], strict=True) if inside
    )


@transaction.atomic
def do_place_order(
    member: Member, lines: list[Line], city: routing.City, now: datetime.datetime
) -> Order:
    window = datetime.timedelta(hours=settings.ORDERS_CLAIM_WINDOW_HOURS)
    order = Order.objects.create(
        manufacturer=lines[0].listing.manufacturer,
        customer=member,
        ship_to=city.name,
        latitude=city.latitude,
        longitude=city.longitude,
        placed_at=now,
        closes_at=now + window,
    )
    OrderItem.objects.bulk_create(
        OrderItem(
            order=order, listing=line.listing, quantity=line.quantity, price=line.listing.price
        )
        for line in lines
    )
    retailers = eligible_retailers([line.listing.pk for line in lines], city)
    Offer.objects.bulk_create(
        Offer(order=order, retailer_id=retailer, offered_at=now) for retailer in retailers
    )
    OrderEvent.objects.bulk_create(
        [
            OrderEvent(order=order, kind=OrderEvent.Kind.PLACED, at=now, text=f"to {city.name}"),
            OrderEvent(
                order=order,
                kind=OrderEvent.Kind.OFFERED,
                at=now,
                text=f"to {len(retailers)} retailer{'s' if len(retailers) != 1 else ''}",
            ),
        ]
    )
    notices.tell_new_offers(retailers, now)
    return order


# Claims and declines ---------------------------------------------------------------------


def _check_answerable(offer: Offer, now: datetime.datetime) -> None:
    if offer.order.status != Order.Status.OPEN or now >= offer.order.closes_at:
        raise ActionError(gettext("This order is no longer open to claims."), status=409)
    if offer.claimed_at is not None or offer.declined_at is not None:
        raise ActionError(gettext("You have already answered this offer."), status=409)


def check_claim(member: Member, order_id: int, now: datetime.datetime | None = None) -> Offer:
    return check_answer(member, order_id, OrderEvent.Kind.CLAIMED, now)


def check_decline(member: Member, order_id: int, now: datetime.datetime | None = None) -> Offer:
    return check_answer(member, order_id, OrderEvent.Kind.DECLINED, now)


def check_answer(
    member: Member, order_id: int, kind: str, now: datetime.datetime | None = None
) -> Offer:
    """Claim or decline the offer of `order_id` to `member`'s retailer, while it is open."""
    offer = access_offer(member, order_id)
    now = now or timezone.now()
    _check_answerable(offer, now)
    if not do_answer(offer, kind, now):
        raise ActionError(gettext("You have already answered this offer."), status=409)
    return offer


@transaction.atomic
def do_answer(offer: Offer, kind: str, now: datetime.datetime) -> bool:
    """Claim or decline, once: a conditional update, so two requests answer once. Each
    retailer writes its own row, so two retailers claiming at one instant both count."""
    field = "claimed_at" if kind == OrderEvent.Kind.CLAIMED else "declined_at"
    # The order's row first: a resolution running now waits for this claim, or this claim
    # for the resolution (and then finds the order no longer open).
    list(Order.objects.select_for_update().filter(pk=offer.order_id).values_list("pk"))
    answered = Offer.objects.filter(
        pk=offer.pk,
        claimed_at=None,
        declined_at=None,
        order__status=Order.Status.OPEN,
        order__closes_at__gt=now,
    ).update(**{field: now})
    if answered:
        setattr(offer, field, now)
        OrderEvent.objects.create(
            order_id=offer.order_id, kind=kind, at=now, retailer_id=offer.retailer_id
        )
    return bool(answered)


# Resolution ------------------------------------------------------------------------------


def may_resolve(member: Member) -> bool:
    return member.is_company_staff


def check_resolve(member: Member) -> Resolution:
    if not may_resolve(member):
        raise ActionError(
            gettext("Only the company's staff run the resolution by hand."), status=403
        )
    return do_resolve(member)


def do_resolve(member: Member | None) -> Resolution:
    return resolve_due(triggered_by=member)


# Shipping, delivery, rating --------------------------------------------------------------


def ships(member: Member, order: Order) -> bool:
    """The winner ships; the manufacturer when nobody claimed."""
    if order.winner is not None:
        return acts_for(member, order.winner.organization)
    return order.outcome == Order.Outcome.MANUFACTURER and acts_for(member, order.manufacturer)


def check_ship(member: Member, order_id: int) -> Order:
    order = access_order(member, order_id)
    if not ships(member, order):
        raise ActionError(gettext("Only whoever the order went to ships it."), status=403)
    if order.status != Order.Status.RESOLVED:
        raise ActionError(
            gettext("Only a resolved order that has not shipped can ship."), status=409
        )
    return do_step(
        order, Order.Status.SHIPPED, OrderEvent.Kind.SHIPPED, retailer_of(member), actor=member
    )


def check_deliver(member: Member, order_id: int) -> Order:
    order = access_order(member, order_id)
    if order.customer_id != member.pk and not ships(member, order):
        raise ActionError(
            gettext("The customer or the shipper marks an order delivered."), status=403
        )
    if order.status != Order.Status.SHIPPED:
        raise ActionError(gettext("Only a shipped order can be delivered."), status=409)
    return do_step(order, Order.Status.DELIVERED, OrderEvent.Kind.DELIVERED, None, actor=member)


@transaction.atomic
def do_step(
    order: Order, status: str, kind: str, retailer: Retailer | None, actor: Member | None = None
) -> Order:
    """Ship or deliver, once; the customer is told (unless they did it themselves)."""
    before = Order.Status.RESOLVED if status == Order.Status.SHIPPED else Order.Status.SHIPPED
    if Order.objects.filter(pk=order.pk, status=before).update(status=status):
        OrderEvent.objects.create(order=order, kind=kind, at=timezone.now(), retailer=retailer)
        order.status = status
        notices.tell_step(order, status, actor.pk if actor is not None else None)
    return order


def check_rate(member: Member, order_id: int, stars: int, comment: str) -> Order:
    order = access_order(member, order_id)
    if order.customer_id != member.pk:
        raise ActionError(gettext("Only the customer rates the order."), status=403)
    if order.winner is None:
        raise ActionError(
            gettext("The manufacturer shipped this order; there is no retailer to rate.")
        )
    if order.status not in (Order.Status.SHIPPED, Order.Status.DELIVERED):
        raise ActionError(gettext("Rate the retailer once the order has shipped."), status=409)
    if order.stars is not None:
        raise ActionError(gettext("You have already rated this order."), status=409)
    if not 1 <= stars <= 5:
        raise ActionError(gettext("Stars are from 1 to 5."), field="stars")
    if len(comment.strip()) > 300:
        raise ActionError(gettext("A few words: at most 300 characters."), field="comment")
    return do_rate(order, stars, comment.strip())


@transaction.atomic
def do_rate(order: Order, stars: int, comment: str) -> Order:
    now = timezone.now()
    if Order.objects.filter(pk=order.pk, stars=None).update(
        stars=stars, rating_comment=comment, rated_at=now
    ):
        assert order.winner is not None  # checked by check_rate
        OrderEvent.objects.create(
            order=order, kind=OrderEvent.Kind.RATED, at=now, text=f"{stars}/5 {comment}".strip()
        )
        order.stars, order.rating_comment, order.rated_at = stars, comment, now
        publish(
            OrderRated(order_id=order.pk, retailer_organization_id=order.winner.organization_id)
        )
    return order
