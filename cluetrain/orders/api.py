"""Order routing (Shopatron) in the JSON API: listings, placing and following orders, the
retailers' board (claim, decline), shipping, delivery and rating, the resolution history."""

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from pydantic import Field

from cluetrain.api.auth import member
from cluetrain.api.pagination import PageParams, paginate
from cluetrain.api.schemas import Input, Page
from cluetrain.core.errors import ActionError
from cluetrain.orders import actions
from cluetrain.orders.access import access_order, manufacturers_of, retailer_of, visible_orders
from cluetrain.orders.models import Listing, Offer, Order, Resolution

router = Router(tags=["orders"])


class ListingOut(Schema):
    id: int
    product: str
    slug: str
    manufacturer: str
    price: str


class LineIn(Input):
    product: str = Field(max_length=200)  # the product's slug
    quantity: int = Field(default=1)


class OrderIn(Input):
    items: list[LineIn]
    ship_to: str = Field(max_length=200)


class OrderEventOut(Schema):
    kind: str
    at: datetime
    retailer: str | None
    text: str


class OrderOut(Schema):
    id: int
    manufacturer: str
    ship_to: str
    status: str
    placed_at: datetime
    closes_at: datetime
    outcome: str
    retailer: str | None
    distance_km: float | None
    stars: int | None


class OrderDetail(OrderOut):
    items: list[dict[str, str | int]]
    life: list[OrderEventOut]


class BoardOfferOut(Schema):
    order: int
    manufacturer: str
    ship_to: str
    closes_at: datetime
    answer: str  # open, claimed, declined, won, not won


class OrderRatingIn(Input):
    stars: int
    comment: str = Field(default="", max_length=300)


class ResolutionOut(Schema):
    id: int
    started_at: datetime
    finished_at: datetime | None
    orders: int
    to_retailers: int
    to_manufacturer: int


class ListingPage(Page):
    items: list[ListingOut]


class OrderPage(Page):
    items: list[OrderOut]


class BoardPage(Page):
    items: list[BoardOfferOut]


class ResolutionPage(Page):
    items: list[ResolutionOut]


def order_out(order: Order) -> OrderOut:
    return OrderOut(
        id=order.pk,
        manufacturer=order.manufacturer.name,
        ship_to=order.ship_to,
        status=order.status,
        placed_at=order.placed_at,
        closes_at=order.closes_at,
        outcome=order.outcome,
        retailer=order.winner.organization.name if order.winner else None,
        distance_km=order.distance_km,
        stars=order.stars,
    )


def order_detail(order: Order) -> OrderDetail:
    items = order.items.select_related("listing__product")
    events = order.events.select_related("retailer__organization").order_by("at", "pk")
    return OrderDetail(
        **order_out(order).model_dump(),
        items=[
            {"product": i.listing.product.name, "quantity": i.quantity, "price": str(i.price)}
            for i in items
        ],
        life=[
            OrderEventOut(
                kind=e.kind,
                at=e.at,
                retailer=e.retailer.organization.name if e.retailer else None,
                text=e.text,
            )
            for e in events
        ],
    )


def offer_out(offer: Offer) -> BoardOfferOut:
    order = offer.order
    if order.status != Order.Status.OPEN:
        # A losing retailer learns only that it did not win.
        answer = "won" if order.winner_id == offer.retailer_id else "not won"
    elif offer.claimed_at is not None:
        answer = "claimed"
    else:
        answer = "declined" if offer.declined_at is not None else "open"
    return BoardOfferOut(
        order=order.pk,
        manufacturer=order.manufacturer.name,
        ship_to=order.ship_to,
        closes_at=order.closes_at,
        answer=answer,
    )


@router.get("/orders/listings", response=ListingPage)
def listings(request: HttpRequest, page: Query[PageParams]) -> ListingPage:
    """Products their manufacturers sell through retailers, at the fixed price."""
    active = Listing.objects.filter(active=True).select_related("product", "manufacturer")
    rows, next_cursor = paginate(active, ("pk",), page, "order-listings")
    items = [
        ListingOut(
            id=row.pk,
            product=row.product.name,
            slug=row.product.slug,
            manufacturer=row.manufacturer.name,
            price=str(row.price),
        )
        for row in rows
    ]
    return ListingPage(items=items, next=next_cursor)


@router.get("/orders", response=OrderPage)
def my_orders(request: HttpRequest, page: Query[PageParams]) -> OrderPage:
    """Orders I placed, my manufacturer's orders, and the ones my retailer won; newest first."""
    visible = visible_orders(member(request)).select_related("manufacturer", "winner__organization")
    rows, next_cursor = paginate(visible, ("-placed_at", "-pk"), page, "orders")
    return OrderPage(items=[order_out(order) for order in rows], next=next_cursor)


@router.post("/orders", response={201: OrderDetail})
def place_order(request: HttpRequest, payload: OrderIn) -> Status[OrderDetail]:
    slugs = [line.product for line in payload.items]
    listed = dict(
        Listing.objects.filter(product__slug__in=slugs).values_list("product__slug", "pk")
    )
    if len(listed) != len(set(slugs)):
        raise ActionError(gettext("One of these products is not for sale."), field="items")
    lines = [(listed[line.product], line.quantity) for line in payload.items]
    order = actions.check_place_order(member(request), lines, payload.ship_to)
    return Status(201, order_detail(access_order(member(request), order.pk)))


@router.get("/orders/board", response=BoardPage)
def board(request: HttpRequest, page: Query[PageParams]) -> BoardPage:
    """The orders offered to my retailer, newest first."""
    retailer = retailer_of(member(request))
    if retailer is None:
        raise ActionError(gettext("The order board is for retailers' staff."), status=403)
    offers = Offer.objects.filter(retailer=retailer).select_related("order__manufacturer")
    rows, next_cursor = paginate(offers, ("-offered_at", "-pk"), page, "order-board")
    return BoardPage(items=[offer_out(offer) for offer in rows], next=next_cursor)


@router.get("/orders/resolutions", response=ResolutionPage)
def resolutions(request: HttpRequest, page: Query[PageParams]) -> ResolutionPage:
    """The daily runs, newest first: for the company's staff and manufacturers."""
    me = member(request)
    if not actions.may_resolve(me) and not manufacturers_of(me).exists():
        raise ActionError(
            gettext("The resolution history is for staff and manufacturers."), status=403
        )
    runs, next_cursor = paginate(
        Resolution.objects.all(), ("-started_at", "-pk"), page, "order-resolutions"
    )
    items = [ResolutionOut.model_validate(run, from_attributes=True) for run in runs]
    return ResolutionPage(items=items, next=next_cursor)


@router.post("/orders/resolutions", response={201: ResolutionOut})
def resolve(request: HttpRequest) -> Status[ResolutionOut]:
    """Resolve every due order now (company staff); the daily run does the same."""
    run = actions.check_resolve(member(request))
    return Status(201, ResolutionOut.model_validate(run, from_attributes=True))


@router.get("/orders/{int:order_id}", response=OrderDetail)
def order(request: HttpRequest, order_id: int) -> OrderDetail:
    """The order and its life: for its customer, its manufacturer and the winning retailer."""
    return order_detail(access_order(member(request), order_id))


@router.post("/orders/{int:order_id}/claim", response=BoardOfferOut)
def claim(request: HttpRequest, order_id: int) -> BoardOfferOut:
    return offer_out(actions.check_claim(member(request), order_id))


@router.post("/orders/{int:order_id}/decline", response=BoardOfferOut)
def decline(request: HttpRequest, order_id: int) -> BoardOfferOut:
    return offer_out(actions.check_decline(member(request), order_id))


@router.post("/orders/{int:order_id}/ship", response=OrderOut)
def ship(request: HttpRequest, order_id: int) -> OrderOut:
    return order_out(actions.check_ship(member(request), order_id))


@router.post("/orders/{int:order_id}/deliver", response=OrderOut)
def deliver(request: HttpRequest, order_id: int) -> OrderOut:
    return order_out(actions.check_deliver(member(request), order_id))


@router.post("/orders/{int:order_id}/rating", response=OrderOut)
def rate(request: HttpRequest, order_id: int, payload: OrderRatingIn) -> OrderOut:
    return order_out(actions.check_rate(member(request), order_id, payload.stars, payload.comment))
