"""Issue 12 in the browser: the dark colour scheme, the charts at phone width (375 px), and the
language chooser."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, FloatRect, Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from cluetrain.listening.enrichment import enrich_pending
from cluetrain.listening.readers import forget_readers
from cluetrain.listening.rollup import roll_up
from cluetrain.listening.tests.helpers import complain
from cluetrain.listening.tests.test_root_issues import REFUND, WIFI
from conftest import PASSWORD, Cast, Places
from e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_375: ViewportSize = {"width": 375, "height": 812}


@pytest.fixture
def listened(cast: Cast, places: Places) -> None:
    """Complaints over most of a year: the dashboard's charts have many periods to label."""
    forget_readers()
    for days_ago in range(5, 330, 30):
        complain(cast, places, WIFI if days_ago % 60 == 5 else REFUND, days_ago=days_ago)
    enrich_pending()
    roll_up()


@pytest.fixture
def dark_phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE_375, color_scheme="dark")
    context.set_default_timeout(10_000)
    yield context
    context.close()


def _overlap(a: FloatRect, b: FloatRect) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def test_charts_are_readable_in_the_dark_at_phone_width(
    dark_phone: BrowserContext, live_server: LiveServer, listened: None
) -> None:
    page = dark_phone.new_page()
    log_in(page, live_server, "sam", PASSWORD)
    page.goto(f"{live_server.url}/listening/")
    # The dark scheme: dark page and cards, light text.
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(15, 20, 25)"
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(230, 233, 239)"
    card = page.locator(".card").first
    assert card.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(23, 29, 37)"

    figures = page.locator("figure.chart")
    assert figures.count() >= 2
    for figure in figures.all():
        expect(figure.locator("svg.chart-wide")).to_be_hidden()
        narrow = figure.locator("svg.chart-narrow")
        expect(narrow).to_be_visible()
        frame = narrow.bounding_box()
        assert frame is not None
        assert frame["x"] >= 0
        assert frame["x"] + frame["width"] <= PHONE_375["width"]  # no sideways scrolling
        labels = narrow.locator("text.tick")
        assert labels.count() >= 4
        boxes = []
        for label in labels.all():
            box = label.bounding_box()
            assert box is not None
            # Inside the chart: not cut at either edge.
            assert box["x"] >= frame["x"] - 0.5, label.text_content()
            assert box["x"] + box["width"] <= frame["x"] + frame["width"] + 0.5
            # Drawn large enough to read (the wide chart's would be about 5 px here).
            assert box["height"] >= 10, (label.text_content(), box)
            boxes.append((label.text_content(), box))
        for index, (text, box) in enumerate(boxes):
            for other_text, other in boxes[index + 1 :]:
                assert not _overlap(box, other), f"{text!r} overlaps {other_text!r}"


def test_switching_the_language_translates_the_navigation(
    page: Page, live_server: LiveServer, cast: Cast
) -> None:
    page.goto(f"{live_server.url}/")
    navigation = page.locator("nav.mainnav")
    expect(navigation).to_contain_text("Spaces")
    page.select_option("select[name=language]", "fr")
    page.get_by_role("button", name="Change language").click()
    expect(navigation).to_contain_text("Espaces")
    expect(navigation).to_contain_text("Se connecter")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    # Remembered on the next page, and back to English the same way.
    page.goto(f"{live_server.url}/spaces/")
    expect(page.locator("nav.mainnav")).to_contain_text("Espaces")
    page.select_option("select[name=language]", "en")
    page.get_by_role("button", name="Changer de langue").click()
    expect(page.locator("nav.mainnav")).to_contain_text("Spaces")
    assert page.url == f"{live_server.url}/spaces/"
