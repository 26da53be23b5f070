"""The partner network in a real browser: a customer describes a need, picks the proposed
inspector and sends a referral; the inspector accepts it from the partner inbox and marks
it completed; the customer rates it, and sees its status in "My referrals"."""

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from cluetrain.partners.models import Referral
from cluetrain.partners.tests.conftest import make_network
from conftest import PASSWORD, Cast
from e2e.conftest import VisitorFactory, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bundle_referral_accept_complete_and_rate(
    page: Page, new_visitor: VisitorFactory, live_server: LiveServer, cast: Cast
) -> None:
    make_network(cast)
    log_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/partners/bundle/")
    page.fill("textarea[name=need]", "A roof and foundation inspection before I buy")
    page.check("input[name=category][value=inspection]")
    page.fill("input[name=place]", "Austin, TX")
    page.get_by_role("button", name="Propose providers").click()
    proposal = page.locator("#proposal-inspection .candidate.best")
    expect(proposal).to_contain_text("Acme Inspections")
    expect(proposal).to_contain_text("serves Austin, TX")
    proposal.get_by_role("button", name="Send a referral").click()
    expect(page).to_have_url(re.compile(r"/partners/referrals/\d+/$"))
    expect(page.get_by_text("Waiting for the provider")).to_be_visible()

    provider = new_visitor()
    log_in(provider, live_server, "pat", PASSWORD)
    provider.goto(f"{live_server.url}/partners/inbox/")
    provider.get_by_role("link", name=re.compile("roof and foundation")).click()
    provider.fill("input[name=note]", "Tuesday at nine")
    provider.get_by_role("button", name="Accept").click()
    expect(provider.get_by_text("Tuesday at nine")).to_be_visible()
    provider.get_by_role("button", name="Completed", exact=True).click()
    expect(provider.locator(".badge.status-completed")).to_be_visible()

    page.reload()
    page.check("input[name=stars][value='5']")
    page.fill("textarea[name=words]", "Thorough, and the report came the same day.")
    page.get_by_role("button", name="Rate").click()
    expect(page.get_by_text("Rated 5/5")).to_be_visible()
    page.goto(f"{live_server.url}/partners/referrals/")
    expect(page.locator("#referrals")).to_contain_text("Completed")
    assert Referral.objects.get().stars == 5
