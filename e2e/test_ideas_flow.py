"""Ideas at scale in a real browser: similar ideas shown while typing, a staff status change
with its explanation, and the roadmap with its numbers."""

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from cluetrain.ideas.actions import do_create_idea, do_vote_idea
from cluetrain.ideas.models import Idea, IdeaStatusChange
from conftest import PASSWORD, Cast, Places
from e2e.conftest import VisitorFactory, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_similar_ideas_status_change_and_roadmap(
    page: Page, new_visitor: VisitorFactory, live_server: LiveServer, cast: Cast, places: Places
) -> None:
    idea = do_create_idea(
        cast.bob, places.ideas, title="Dark mode for the app", body_md="A dark theme at night."
    )
    do_vote_idea(cast.pat, idea)

    # Alice starts typing the same idea: the existing one is shown before she posts.
    log_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/ideas/new/")
    page.locator("input[name=title]").press_sequentially("Please add a dark mode")
    similar = page.locator("#similar-ideas")
    expect(similar.get_by_role("link", name="Dark mode for the app")).to_be_visible()
    assert Idea.objects.count() == 1

    # Staff plan it, with an explanation everyone sees on the idea.
    sam = new_visitor()
    log_in(sam, live_server, "sam", PASSWORD)
    sam.goto(f"{live_server.url}/t/{idea.thread_id}/")
    sam.locator("summary", has_text="Change status").click()
    sam.locator("select[name=status]").select_option("planned")
    sam.fill("textarea[name=explanation]", "Coming in the spring release.")
    sam.get_by_role("button", name="Change status").click()
    expect(sam).to_have_url(re.compile(rf"/t/{idea.thread_id}/$"))
    expect(sam.locator(".status-history")).to_contain_text("Coming in the spring release.")
    assert IdeaStatusChange.objects.get().explanation == "Coming in the spring release."

    # The roadmap lists it under "Planned", with the numbers.
    page.goto(f"{live_server.url}/ideas/roadmap/")
    expect(page.locator("#roadmap-planned")).to_contain_text("Dark mode for the app")
    expect(page.locator(".roadmap-numbers")).to_contain_text("1 taken forward")
