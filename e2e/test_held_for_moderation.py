"""The spam filter's queue in a real browser: a fresh account's spam reply is held (its
author sees it awaiting moderation, another member does not see it), a moderator approves it
from the queue, and then everyone sees it."""

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from cluetrain.members.models import Member
from cluetrain.moderation.tests.spam import SPAM
from cluetrain.threads.actions import check_create_thread
from conftest import PASSWORD, Cast, Places, make_member
from e2e.conftest import VisitorFactory, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_moderator_approves_a_held_reply_from_the_queue(
    page: Page, new_visitor: VisitorFactory, live_server: LiveServer, cast: Cast, places: Places
) -> None:
    thread = check_create_thread(
        cast.alice, places.forum, title="Thermostat offline", body_md="Since last night."
    )
    thread_url = f"{live_server.url}/t/{thread.pk}/"
    make_member("dealer", Member.Role.CUSTOMER, "Deal Dealer")

    # A fresh account replies with spam: held, and its author sees it marked so.
    log_in(page, live_server, "dealer", PASSWORD)
    page.goto(thread_url)
    page.locator("form.reply-form textarea[name=body]").fill(SPAM)
    page.locator("form.reply-form button[name=submit]").click()
    expect(page.locator(".post-body", has_text="cheap pills")).to_be_visible()
    expect(page.locator(".badge", has_text="Awaiting moderation")).to_be_visible()

    # Another member does not see it at all.
    bob = new_visitor()
    log_in(bob, live_server, "bob", PASSWORD)
    bob.goto(thread_url)
    expect(bob.locator("h1")).to_have_text("Thermostat offline")
    expect(bob.get_by_text("cheap pills")).to_have_count(0)

    # The moderator finds it in the queue with its reasons, and approves it.
    maya = new_visitor()
    log_in(maya, live_server, "maya", PASSWORD)
    maya.goto(f"{live_server.url}/moderation/")
    maya.get_by_role("link", name="Held by the spam filter").click()
    expect(maya).to_have_url(re.compile(r"/moderation/held/$"))
    held = maya.locator("article.held")
    expect(held).to_have_count(1)
    expect(held.get_by_text(re.compile("spam phrases"))).to_be_visible()
    held.get_by_role("button", name="Approve: show it").click()
    expect(maya.get_by_text("Nothing is held.")).to_be_visible()
    expect(maya.locator("#false-hold-rate")).to_contain_text("1 of 1")

    bob.reload()
    expect(bob.locator(".post-body", has_text="cheap pills")).to_be_visible()
