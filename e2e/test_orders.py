"""Order routing in a real browser: a customer orders, a retailer claims it on its board,
staff run the resolution, the retailer ships, the customer marks it delivered and rates."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from cluetrain.orders.models import Order
from cluetrain.orders.tests.factories import manufacturer_listing, retailer
from conftest import PASSWORD, Cast
from e2e.conftest import VisitorFactory, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_order_claim_resolve_ship_deliver_rate(
    page: Page, new_visitor: VisitorFactory, live_server: LiveServer, cast: Cast
) -> None:
    listing = manufacturer_listing("Lumen Home")
    shop = retailer(listing, "Leeds", serves_km=100)
    cast.pat.organization = shop.organization
    cast.pat.save(update_fields=["organization"])

    log_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/orders/")
    page.fill("input[name=ship_to]", "Bradford")
    page.get_by_role("button", name="Place the order").click()
    expect(page).to_have_url(re.compile(r"/orders/\d+/$"))
    expect(page.locator(".order-life")).to_contain_text("Offered to retailers: to 1 retailer")

    seller = new_visitor()
    log_in(seller, live_server, "pat", PASSWORD)
    seller.goto(f"{live_server.url}/orders/board/")
    seller.get_by_role("button", name="Claim").click()
    expect(seller.locator("table")).to_contain_text("Claimed")

    Order.objects.update(closes_at=timezone.now() - datetime.timedelta(seconds=1))
    staff = new_visitor()
    log_in(staff, live_server, "sam", PASSWORD)
    staff.goto(f"{live_server.url}/orders/resolutions/")
    staff.get_by_role("button", name="Resolve due orders now").click()
    expect(staff.locator("table").first).to_contain_text("1")

    seller.goto(f"{live_server.url}/orders/board/")
    seller.get_by_role("link", name="Won").click()
    seller.get_by_role("button", name="Mark shipped").click()
    expect(seller.locator(".order-life")).to_contain_text("Shipped")

    page.reload()
    expect(page.locator(".card").first).to_contain_text("the nearest retailer that claimed it")
    page.get_by_role("button", name="Mark delivered").click()
    page.select_option("select[name=stars]", "4")
    page.fill("input[name=comment]", "Quick")
    page.get_by_role("button", name="Rate").click()
    expect(page.get_by_text("Rated 4/5")).to_be_visible()
    assert Order.objects.get().stars == 4
