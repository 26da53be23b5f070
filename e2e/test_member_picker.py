"""Naming a member by a few letters in a real browser: the customer field of the bundle page
suggests people while typing (members/static/members/member-picker.js), under the site's
Content-Security-Policy."""

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect
from pytest_django.live_server_helper import LiveServer

from cluetrain.members.models import Member
from cluetrain.partners.tests.conftest import make_network
from conftest import PASSWORD, Cast, make_member
from e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_letters_of_a_name_suggests_people_to_choose(
    page: Page, live_server: LiveServer, cast: Cast
) -> None:
    make_network(cast)
    make_member("jnunez", Member.Role.CUSTOMER, "José Núñez")
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    page.on("console", on_console)
    log_in(page, live_server, "sam", PASSWORD)
    page.goto(f"{live_server.url}/partners/bundle/")
    page.fill("textarea[name=need]", "A roof inspection before they buy")
    page.check("input[name=category][value=inspection]")
    field = page.get_by_role("combobox", name=re.compile("For which customer"))
    field.press_sequentially("jose", delay=30)
    suggestions = page.get_by_role("listbox")
    expect(suggestions.get_by_role("option")).to_have_count(1)
    expect(suggestions.get_by_role("option")).to_contain_text("José Núñez")
    field.press("ArrowDown")
    field.press("Enter")  # chooses the person; the form is not sent yet
    expect(field).to_have_value("@jnunez")
    expect(suggestions).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/partners/bundle/$"))

    # A click chooses too.
    field.fill("")
    field.press_sequentially("ali", delay=30)
    suggestions.get_by_role("option", name=re.compile("Alice Archer")).click()
    expect(field).to_have_value("@alice")
    page.get_by_role("button", name="Propose providers").click()
    proposal = page.locator("#proposal-inspection .candidate.best")
    expect(proposal.locator("input[name=customer]")).to_have_value("alice")
    assert problems == []
