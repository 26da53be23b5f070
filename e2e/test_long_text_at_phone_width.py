"""Pages with long unbroken text (a webhook's address, an API token, an import's summary, one
long word in a thread's title) or wide tables (orders, the idea ranking) at phone width: nothing
makes the page scroll sideways; address and date fields look like the other fields."""

import secrets

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page
from pytest_django.live_server_helper import LiveServer

from cluetrain.ideas.actions import check_create_idea, check_vote_idea
from cluetrain.threads.actions import check_create_thread
from cluetrain.webhooks.actions import check_create_endpoint
from cluetrain.webhooks.models import WebhookDelivery
from conftest import PASSWORD, Cast, Places
from e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 375
LONG_HOOK = "https://hooks.example.com/cluetrain/receivers/lumen-home/production/community-events"
JSONL = (
    b'{"id": "m1", "source": "Trustpilot", "author": "a1", '
    b'"created_at": "2026-11-01T10:00:00Z", "text": "My hub keeps dropping off the wifi."}\n'
)


@pytest.fixture
def phone(context: BrowserContext) -> Page:
    page = context.new_page()
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 812})
    return page


def _fits_the_screen(page: Page) -> None:
    page.wait_for_load_state()  # the stylesheet too: before it, any long line is too wide
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    too_wide = page.evaluate(
        """width => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > width)
        .map(e => e.tagName.toLowerCase() + '.' + e.className)""",
        inner_width,
    )
    assert scroll_width <= inner_width, (
        f"{page.url} scrolls sideways ({scroll_width}px): {too_wide}"
    )


def test_a_webhook_with_a_long_address_and_its_log_fit_a_phone(
    phone: Page, live_server: LiveServer, cast: Cast
) -> None:
    endpoint = check_create_endpoint(cast.sam, url=LONG_HOOK, events=["post.created"])
    WebhookDelivery.objects.create(
        endpoint=endpoint,
        event="post.created",
        payload={},
        attempts=2,
        last_error="Could not resolve the host name.",
        last_duration_ms=5278,
        next_attempt_at=timezone.now(),
        created_at=timezone.now(),
    )
    log_in(phone, live_server, "sam", PASSWORD)
    phone.goto(f"{live_server.url}/staff/webhooks/{endpoint.pk}/")
    phone.get_by_text("Reveal the signing secret").click()
    _fits_the_screen(phone)
    # The address field is styled like the description field beside it (it was the browser's
    # bare default: input[type=url] had no rule).
    url_field = phone.locator("input[name=url]")
    description_field = phone.locator("input[name=description]")
    style = "e => [getComputedStyle(e).borderRadius, e.getBoundingClientRect().width]"
    assert url_field.evaluate(style) == description_field.evaluate(style)


def test_a_new_api_token_fits_a_phone(
    phone: Page, live_server: LiveServer, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A random token with a "-" in it may wrap there by luck: this one has none.
    monkeypatch.setattr(secrets, "token_urlsafe", lambda nbytes: "A1b2C3d4" * 5 + "E5f")
    log_in(phone, live_server, "alice", PASSWORD)
    phone.goto(f"{live_server.url}/settings/tokens/")
    phone.fill("input[name=name]", "phone")
    phone.locator("form:has(input[name=name]) [type=submit]").click()
    phone.get_by_text("Copy your new token now").wait_for()
    _fits_the_screen(phone)


def test_an_import_summary_fits_a_phone(
    phone: Page, live_server: LiveServer, cast: Cast, places: Places
) -> None:
    log_in(phone, live_server, "sam", PASSWORD)
    phone.goto(f"{live_server.url}/admin-tools/import/")
    phone.select_option("select[name=format]", "jsonl")
    phone.set_input_files(
        "input[name=file]", {"name": "m.jsonl", "mimeType": "text/plain", "buffer": JSONL}
    )
    phone.locator("form:has(input[name=file]) [type=submit]").click()
    phone.locator("#import-result").wait_for()
    _fits_the_screen(phone)


LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 2
WIDE_BODY = (
    f"A long link: https://example.com/{'a' * 90}/b\n\n"
    f'```\nline_of_code = "{"x" * 90}"\n```\n\n'
    "| Column one | Column two | Column three | Column four | Column five | Column six |\n"
    "|---|---|---|---|---|---|\n"
    "| value | value | value | value | value | value |\n"
)


def test_a_thread_with_a_long_word_in_its_title_fits_a_phone(
    phone: Page, live_server: LiveServer, cast: Cast, places: Places
) -> None:
    # One unbroken word in a title widened the whole page to 1,200 px: the grid's column and
    # the feed's rows were as wide as the word.
    thread = check_create_thread(
        cast.alice, places.forum, title=f"About {LONG_WORD} again", body_md=WIDE_BODY
    )
    for path in (f"/t/{thread.pk}/", f"/s/{places.forum.slug}/", "/"):
        phone.goto(f"{live_server.url}{path}")
        _fits_the_screen(phone)


def test_the_order_resolution_history_fits_a_phone(
    phone: Page, live_server: LiveServer, cast: Cast
) -> None:
    # Its tables of seven columns stood out of the page at phone width.
    log_in(phone, live_server, "sam", PASSWORD)
    phone.goto(f"{live_server.url}/orders/resolutions/")
    phone.get_by_role("button", name="Resolve due orders now").click()
    phone.locator("table").first.wait_for()
    _fits_the_screen(phone)


def test_the_idea_ranking_fits_a_phone(
    phone: Page, live_server: LiveServer, cast: Cast, places: Places
) -> None:
    # Its seven-column table stood out of the page at phone width (643 px at 375 px).
    idea = check_create_idea(cast.alice, places.ideas, title="Dark mode", body_md="Please.")
    check_vote_idea(cast.bob, idea)
    phone.goto(f"{live_server.url}/ideas/ranking/")
    phone.locator("table").first.wait_for()
    _fits_the_screen(phone)
