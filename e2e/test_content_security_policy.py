"""The Content-Security-Policy blocks nothing the pages need: htmx and the API docs still work."""

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect
from pytest_django.live_server_helper import LiveServer

from cluetrain.threads.actions import do_create_thread
from conftest import PASSWORD, Cast, Places
from e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch_for_violations(page: Page) -> list[str]:
    """Chromium reports every blocked script, style, image or request on the console."""
    violations: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", on_console)
    return violations


def test_pages_and_htmx_work_under_the_policy(
    page: Page, live_server: LiveServer, cast: Cast, places: Places
) -> None:
    thread = do_create_thread(
        cast.bob,
        places.forum,
        title="Hub blinks red",
        body_md="Since the update.",
        kind="discussion",
    )
    violations = _watch_for_violations(page)
    log_in(page, live_server, "alice", PASSWORD)
    response = page.goto(f"{live_server.url}/t/{thread.pk}/")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # htmx (a static script) posts the reply and swaps it in without a page load.
    page.locator("form.reply-form textarea[name=body]").fill("Mine too, since Tuesday.")
    page.locator("form.reply-form button[name=submit]").click()
    expect(page.locator(".post-body", has_text="Mine too, since Tuesday.")).to_be_visible()
    page.goto(f"{live_server.url}/people/")
    page.locator("main form input[name=q]").fill("bob")
    expect(page).to_have_url(re.compile(r"q=bob"))  # htmx pushed the filtered address
    for address in ("/", "/search/?q=hub", "/s/general/"):
        page.goto(f"{live_server.url}{address}")
    assert violations == []


def test_the_api_docs_render_under_the_policy(page: Page, live_server: LiveServer) -> None:
    violations = _watch_for_violations(page)
    page.goto(f"{live_server.url}/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Cluetrain")
    expect(page.locator(".opblock").first).to_be_visible()
    assert violations == []
