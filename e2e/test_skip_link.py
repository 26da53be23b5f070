"""Keyboard users skip the navigation: the first Tab shows a link to the page's content."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from conftest import PASSWORD, Cast
from e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_first_tab_offers_to_skip_to_the_content(
    page: Page, live_server: LiveServer, cast: Cast
) -> None:
    log_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/ideas/")
    skip = page.get_by_role("link", name="Skip to content")
    # Out of sight until a keyboard reaches it.
    box = skip.bounding_box()
    assert box is None or box["y"] + box["height"] <= 0 or box["width"] <= 1

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None
    assert box["y"] >= 0
    assert box["width"] > 20

    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()
    # The next Tab lands inside the content, not on the navigation.
    page.keyboard.press("Tab")
    inside_main = page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert inside_main
