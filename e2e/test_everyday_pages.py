"""Issue 12 in the browser: the sign-in lock message, pages in the site's layout, the favicon,
and a bio's Markdown."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from conftest import PASSWORD, Cast
from e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _try(page: Page, live_server: LiveServer, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", password)
    page.locator("form:has(input[name=password]) [type=submit]").click()


def test_a_locked_account_is_told_why_and_stays_out(
    page: Page, live_server: LiveServer, cast: Cast, settings: Settings
) -> None:
    settings.LOGIN_FAILURES_PER_ACCOUNT = 2
    for _ in range(2):
        _try(page, live_server, "not the password")
        expect(page.locator(".errorlist")).to_contain_text("enter a correct username")
    _try(page, live_server, PASSWORD)
    expect(page.locator("[role=alert]")).to_contain_text("Too many failed attempts")
    assert page.url == f"{live_server.url}/accounts/login/"
    assert not any(c["name"] == "sessionid" for c in page.context.cookies())


def test_not_found_and_forbidden_pages_keep_the_layout(
    page: Page, live_server: LiveServer, cast: Cast, settings: Settings
) -> None:
    settings.DEBUG = False
    log_in(page, live_server, "alice", PASSWORD)
    response = page.goto(f"{live_server.url}/t/999999/")
    assert response is not None
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("We could not find that page")
    expect(page.locator("header.topbar .brand")).to_be_visible()
    response = page.goto(f"{live_server.url}/listening/")
    assert response is not None
    assert response.status == 403
    expect(page.locator("main")).to_contain_text("Listening is for staff.")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert icon is not None
    icon_response = page.request.get(f"{live_server.url}{icon}")
    assert icon_response.status == 200


def test_a_bio_shows_its_markdown(page: Page, live_server: LiveServer, cast: Cast) -> None:
    cast.alice.profile.bio = "I install **smart lights**."
    cast.alice.profile.save()
    page.goto(f"{live_server.url}/people/alice/")
    expect(page.locator(".bio strong")).to_have_text("smart lights")
