"""A radio button's or a check box's words read as an answer, not as a question: only the
field's own label is bold."""

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from conftest import PASSWORD, Cast
from e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WEIGHT = "element => getComputedStyle(element).fontWeight"


def test_only_the_fields_label_is_bold(page: Page, live_server: LiveServer, cast: Cast) -> None:
    log_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/settings/email/")
    question = page.locator("label", has_text="E-mail me").first
    answer = page.locator("label:has(> input[type=radio])").first
    assert question.evaluate(WEIGHT) == "600"
    assert answer.evaluate(WEIGHT) == "400"
