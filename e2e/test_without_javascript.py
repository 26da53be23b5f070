"""Every page works without JavaScript: plain forms and redirects, htmx only enhances."""

import re

import pytest
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from cluetrain.ideas.actions import check_create_idea
from cluetrain.ideas.models import IdeaVote
from cluetrain.threads.models import Post
from conftest import PASSWORD, Cast, Places
from e2e.conftest import VisitorFactory, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_post_reply_and_vote_without_javascript(
    new_visitor: VisitorFactory, live_server: LiveServer, cast: Cast, places: Places
) -> None:
    idea = check_create_idea(
        cast.bob, places.ideas, title="Sunrise mode for the hub", body_md="Lights up at dawn."
    )
    page = new_visitor(javascript=False)
    log_in(page, live_server, "alice", PASSWORD)

    page.goto(f"{live_server.url}/s/help/new/")
    page.fill("input[name=title]", "How do I move the hub to another room?")
    page.fill("textarea[name=body]", "Do I have to pair every bulb again?")
    page.locator("button[name=submit]").click()
    expect(page).to_have_url(re.compile(r"/t/\d+/$"))
    page.locator("form.reply-form textarea[name=body]").fill("Answering myself: no, it keeps them.")
    page.locator("form.reply-form button[name=submit]").click()
    expect(page.locator(".post-body", has_text="Answering myself")).to_be_visible()
    assert Post.objects.filter(body_md="Answering myself: no, it keeps them.").count() == 1

    page.goto(f"{live_server.url}/t/{idea.thread_id}/")
    page.locator(".votebox").get_by_role("button", name="▲ Vote").click()
    expect(page).to_have_url(re.compile(rf"/t/{idea.thread_id}/"))
    expect(page.locator(".votebox strong")).to_have_text("1")
    expect(page.locator(".votebox").get_by_role("button", name="✓ Voted")).to_be_visible()
    assert IdeaVote.objects.filter(idea=idea, member=cast.alice).count() == 1
