"""The orders' lists in the API page through every row (they were cut at the latest 100)."""

import datetime
from decimal import Decimal

import pytest

from cluetrain.api.tests.conftest import ApiClient
from cluetrain.api.tests.paging import assert_cursor_refused, read_all_pages
from cluetrain.api.tokens import do_create_token
from cluetrain.members.models import Member
from cluetrain.orders.actions import do_list_product
from cluetrain.orders.models import Order, Resolution, Retailer
from cluetrain.orders.tests.factories import manufacturer_listing, open_order, retailer
from cluetrain.organizations.models import Product
from conftest import Cast, make_member

START = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=datetime.UTC)
MANY = 105  # more than the 100 the lists used to stop at


def _api(member: Member) -> ApiClient:
    return ApiClient(do_create_token(member, name="tests", scope="read")[1])


@pytest.fixture
def leeds(db: None) -> Retailer:
    return retailer(manufacturer_listing(), "Leeds", serves_km=100)


def _orders(shop: Retailer, customer: Member, count: int, start: datetime.datetime) -> list[int]:
    listing = shop.listings.get()
    return [
        open_order(listing, "Leeds", customer, start + datetime.timedelta(minutes=n), (shop,)).pk
        for n in range(count)
    ]


def test_a_customer_pages_through_all_their_orders(cast: Cast, leeds: Retailer) -> None:
    placed = _orders(leeds, cast.alice, MANY, START)
    late: list[int] = []
    api = _api(cast.alice)
    first = api.get("/api/orders").json()
    assert [o["id"] for o in first["items"]] == placed[::-1][:20]

    def order_placed_meanwhile() -> None:
        late.extend(_orders(leeds, cast.alice, 1, START + datetime.timedelta(days=1)))

    seen = [o["id"] for o in read_all_pages(api, "/api/orders", 30, order_placed_meanwhile)]
    assert seen == placed[::-1]  # all of them, newest first, none twice, the newcomer not among
    assert late
    assert late[0] not in seen
    assert Order.objects.count() == MANY + 1


def test_the_board_listings_and_resolutions_page_too(cast: Cast, leeds: Retailer) -> None:
    offered = _orders(leeds, cast.alice, MANY, START)
    staff = make_member("leeds_staff", Member.Role.PARTNER)
    staff.organization = leeds.organization
    staff.save(update_fields=["organization"])
    board = read_all_pages(_api(staff), "/api/orders/board", 40)
    assert [o["order"] for o in board] == offered[::-1]

    maker = leeds.listings.get().manufacturer
    for n in range(MANY):
        product = Product.objects.create(organization=maker, name=f"Bulb {n}", slug=f"bulb-{n}")
        do_list_product(product, price=Decimal("5.00"))
    listings = read_all_pages(_api(cast.alice), "/api/orders/listings", 50)
    assert len(listings) == MANY + 1
    assert [row["id"] for row in listings] == sorted({row["id"] for row in listings})

    Resolution.objects.bulk_create(
        Resolution(started_at=START + datetime.timedelta(days=n), cutoff=START) for n in range(MANY)
    )
    runs = read_all_pages(_api(cast.sam), "/api/orders/resolutions", 100)
    started = [run["started_at"] for run in runs]
    assert len(runs) == MANY
    assert started == sorted(started, reverse=True)


def test_a_cursor_from_another_list_is_refused(cast: Cast, leeds: Retailer) -> None:
    _orders(leeds, cast.alice, 3, START)
    staff = make_member("leeds_staff", Member.Role.PARTNER)
    staff.organization = leeds.organization
    staff.save(update_fields=["organization"])
    # The board and the orders are both newest first: only the list's name tells them apart.
    board_cursor = _api(staff).get("/api/orders/board", limit=1).json()["next"]
    assert board_cursor
    assert_cursor_refused(_api(cast.alice), "/api/orders", board_cursor)
    orders_cursor = _api(cast.alice).get("/api/orders", limit=1).json()["next"]
    assert_cursor_refused(_api(staff), "/api/orders/board", orders_cursor)
