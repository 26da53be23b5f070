"""Accessibility: axe-core (Deque) on one page or more per area of the site, as a visitor, a
member, and the staff, moderator and admin; every serious or critical violation fails the test,
and so do the few lesser rules that no page breaks any more.

axe's script comes from the axe-playwright-python package (a dev dependency), read from the
installed file: nothing is downloaded while the tests run. docs/accessibility.md says what is
checked and what is left.
"""

from functools import cache
from importlib.resources import files
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page
from pytest_django.live_server_helper import LiveServer

from cluetrain.ideas.actions import check_create_idea
from cluetrain.listening.enrichment import enrich_pending
from cluetrain.listening.readers import forget_readers
from cluetrain.listening.rollup import roll_up
from cluetrain.listening.tests.helpers import complain
from cluetrain.listening.tests.test_root_issues import REFUND, WIFI
from cluetrain.reviews.actions import check_post_review
from cluetrain.threads.actions import check_accept_answer, check_create_thread, check_reply
from conftest import PASSWORD, Cast, Places
from e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAILING_IMPACTS = {"serious", "critical"}
# Moderate and minor rules that no page breaks any more: they fail too, so that stays so.
FAILING_RULES = {"heading-order", "page-has-heading-one", "landmark-unique", "empty-table-header"}
# The WCAG 2.1 A and AA rules, and axe's best practices (landmarks, headings, ...).
RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@cache
def axe_script() -> str:
    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    page.evaluate(axe_script())
    results: dict[str, Any] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        RULE_TAGS,
    )
    violations: list[dict[str, Any]] = results["violations"]
    return violations


def audit(page: Page, base: str, paths: list[str], who: str) -> list[str]:
    """Visit each page and describe its failing violations, one line per element."""
    found = []
    for path in paths:
        response = page.goto(base + path)
        assert response is not None, f"{who} {path}: no response"
        assert response.status == 200, f"{who} {path}: {response.status}"
        for violation in axe_violations(page):
            if violation["impact"] not in FAILING_IMPACTS and violation["id"] not in FAILING_RULES:
                continue
            for node in violation["nodes"]:
                found.append(
                    f"{who} {path}: {violation['impact']} {violation['id']}"
                    f" ({violation['help']}) at {' '.join(map(str, node['target']))}"
                )
    return found


def signed_in(
    browser: Browser, live_server: LiveServer, username: str
) -> tuple[BrowserContext, Page]:
    context = browser.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, live_server, username, PASSWORD)
    return context, page


@pytest.fixture
def community(cast: Cast, places: Places) -> dict[str, int]:
    """A question with replies and an accepted answer, an idea, a review, and complaints that
    listening has read (its charts have bars to link)."""
    question = check_create_thread(
        cast.alice, places.qa, title="Pairing the hub", body_md="How do I pair a bulb?"
    )
    answer = check_reply(cast.sam, question, body_md="Hold the button for five seconds.")
    check_reply(cast.bob, question, body_md="That worked for me too.", parent=answer)
    check_accept_answer(cast.alice, answer)
    idea = check_create_idea(
        cast.bob, places.ideas, title="Sunrise mode", body_md="Lights up slowly at dawn."
    )
    check_post_review(
        cast.bob, places.product, stars=4, title="Solid hub", body_md="Pairs fast, rarely drops."
    )
    forget_readers()
    for days_ago in range(5, 120, 30):
        complain(cast, places, WIFI if days_ago % 60 == 5 else REFUND, days_ago=days_ago)
    enrich_pending()
    roll_up()
    return {"question": question.pk, "idea": idea.thread_id}


def test_public_pages_in_english_and_french(
    browser: Browser, live_server: LiveServer, community: dict[str, int]
) -> None:
    paths = [
        "/",
        "/accounts/login/",
        "/signup/",
        "/people/",
        "/people/alice/",
        "/spaces/",
        "/s/help/",
        f"/t/{community['question']}/",
        "/ideas/",
        f"/t/{community['idea']}/",
        "/ideas/roadmap/",
        "/ideas/ranking/",
        "/products/lumen-hub/",
        "/jams/",
        "/blogs/",
        "/partners/",
        "/search/?q=hub",
    ]
    context = browser.new_context()
    page = context.new_page()
    found = audit(page, live_server.url, paths, "visitor")
    # In French the page says so to a screen reader (lang), and the same rules hold.
    context.add_cookies([{"name": "django_language", "value": "fr", "url": live_server.url}])
    found += audit(page, live_server.url, ["/", f"/t/{community['question']}/"], "visiteur")
    assert page.evaluate("document.documentElement.lang") == "fr"
    context.close()
    assert not found, "\n".join(found)


def test_member_pages(browser: Browser, live_server: LiveServer, community: dict[str, int]) -> None:
    paths = [
        "/",
        f"/t/{community['question']}/",
        f"/t/{community['idea']}/",
        "/ideas/new/",
        "/s/help/new/",
        "/products/lumen-hub/review/",
        "/notifications/",
        "/requests/",
        "/requests/new/",
        "/orders/",
        "/relationships/",
        "/experts/",
        "/settings/profile/",
        "/settings/tokens/",
        "/blogs/write/",
    ]
    context, page = signed_in(browser, live_server, "alice")
    found = audit(page, live_server.url, paths, "member")
    context.close()
    assert not found, "\n".join(found)


def test_staff_moderator_and_admin_pages(
    browser: Browser, live_server: LiveServer, community: dict[str, int]
) -> None:
    visits = {
        "sam": [
            "/listening/",
            "/listening/issues/",
            "/influence/",
            "/relationships/map/",
            "/reputation/flagged/",
            "/experts/team/?text=heat+pumps+in+Leeds&skills=heat-pumps",
            "/staff/webhooks/",
            "/staff/queue/",
        ],
        "maya": ["/moderation/", "/moderation/held/"],
        "ada": ["/staff/instance/", "/settings/tokens/"],
    }
    found = []
    for username, paths in visits.items():
        context, page = signed_in(browser, live_server, username)
        found += audit(page, live_server.url, paths, username)
        context.close()
    assert not found, "\n".join(found)
