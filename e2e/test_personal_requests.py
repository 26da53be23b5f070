"""Personal requests in a real browser: a customer posts a request, a vendor it was sent to
answers with an offer (seeing a pseudonym, not the customer), the customer accepts it, and
only then does the vendor learn who the customer is."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from cluetrain.intents.models import Deal, Intent
from cluetrain.intents.tests.world import make_market
from conftest import PASSWORD, Cast
from e2e.conftest import VisitorFactory, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_post_a_request_offer_and_accept(
    page: Page, new_visitor: VisitorFactory, live_server: LiveServer, cast: Cast
) -> None:
    market = make_market()
    log_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/requests/new/")
    page.fill("input[name=title]", "A rental car next week")
    page.fill("input[name=category]", "car rental")
    page.fill("textarea[name=description]", "A small car for three days, no upsell.")
    page.fill("input[name=place]", "Boston, MA")
    page.check("input[name=disclose][value=place]")
    page.get_by_role("button", name="Post the request").click()
    expect(page).to_have_url(re.compile(r"/requests/\d+/$"))
    intent = Intent.objects.get()

    vendor = new_visitor()
    log_in(vendor, live_server, market.rita.username, PASSWORD)
    vendor.goto(f"{live_server.url}/vendor/requests/")
    vendor.get_by_role("link", name="A rental car next week").click()
    expect(vendor.get_by_text(intent.pseudonym)).to_be_visible()
    expect(vendor.get_by_text("Alice Archer")).to_have_count(0)
    expires = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    vendor.fill("input[name=price]", "180")
    vendor.fill("input[name=expires_at]", expires)
    vendor.fill("textarea[name=message]", "Compact car, airport pickup.")
    vendor.get_by_role("button", name="Send the offer").click()
    expect(vendor.get_by_role("heading", name="Your offer")).to_be_visible()

    page.reload()
    expect(page.get_by_role("columnheader", name="Beacon Rentals")).to_be_visible()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("heading", name="Deal with Beacon Rentals")).to_be_visible()
    assert Deal.objects.get().organization == market.rentals

    vendor.reload()
    expect(vendor.get_by_text("Alice Archer (@alice)")).to_be_visible()
