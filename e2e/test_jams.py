"""An idea jam in a real browser: staff create it, a member posts an idea into it, the
emerging themes show on the jam page, and a moderator renames one."""

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from cluetrain.ideas.actions import do_create_idea
from cluetrain.jams.models import Jam, Theme
from cluetrain.jams.tests.conftest import TOPICS
from conftest import PASSWORD, Cast
from e2e.conftest import VisitorFactory, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_a_jam_post_an_idea_see_themes_and_rename_one(
    page: Page, new_visitor: VisitorFactory, live_server: LiveServer, cast: Cast
) -> None:
    log_in(page, live_server, "sam", PASSWORD)
    page.goto(f"{live_server.url}/jams/new/")
    page.fill("input[name=title]", "Winter at home")
    page.fill("textarea[name=question]", "How should the hub help this winter?")
    page.fill("input[name=starts_at]", "2020-01-01T09:00")
    page.fill("input[name=ends_at]", "2099-01-01T09:00")
    page.select_option("select[name=audience]", "members")
    page.fill("input[name=hosts]", "sam")
    page.fill("input[name=moderators]", "maya")
    page.get_by_role("button", name="Create the jam").click()
    expect(page).to_have_url(re.compile(r"/jams/winter-at-home-jam/$"))
    expect(page.locator("#jam-state")).to_have_text("Live now")

    jam = Jam.objects.get()
    for topic, titles in TOPICS.items():
        for title in titles[:4]:
            do_create_idea(cast.bob, jam.space, title=title, body_md=f"{title}. Better {topic}.")

    member = new_visitor()
    log_in(member, live_server, "alice", PASSWORD)
    member.goto(f"{live_server.url}/jams/{jam.slug}/")
    member.fill("input[name=title]", "Battery alerts on the phone")
    member.fill("textarea[name=body]", "Tell me when a sensor battery runs low. Better battery.")
    member.get_by_role("button", name="Post to the jam").click()
    expect(member.get_by_text("Your idea is in the jam")).to_be_visible()
    member.goto(f"{live_server.url}/jams/{jam.slug}/")
    expect(member.locator("#jam-live")).to_contain_text("Battery alerts on the phone")
    themes = member.locator("#jam-themes .jam-theme")
    expect(themes.first).to_be_visible()

    moderator = new_visitor()
    log_in(moderator, live_server, "maya", PASSWORD)
    theme = Theme.objects.filter(jam=jam, size__gt=0).first()
    assert theme is not None
    moderator.goto(f"{live_server.url}/jams/{jam.slug}/themes/{theme.pk}/")
    moderator.get_by_text("Moderate this theme").click()
    moderator.fill("input[name=label]", "Batteries and power")
    moderator.get_by_role("button", name="Rename").click()
    expect(moderator.get_by_role("heading", name="Batteries and power")).to_be_visible()
    member.goto(f"{live_server.url}/jams/{jam.slug}/")
    expect(member.locator("#jam-themes")).to_contain_text("Batteries and power")
