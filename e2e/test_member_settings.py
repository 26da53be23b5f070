"""Issue 12 in the browser: onboarding after sign-up, e-mail settings and unsubscribing, the
avatar upload; with and without JavaScript."""

import io
import re
from pathlib import Path

import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from cluetrain.members.models import Member
from cluetrain.notifications import emails
from cluetrain.notifications.models import Frequency
from cluetrain.spaces.models import SpaceFollow
from conftest import PASSWORD, Cast, Places
from e2e.conftest import VisitorFactory, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSPHRASE = "quiet lantern orbit 42"


@pytest.mark.parametrize("javascript", [True, False])
def test_onboarding_after_sign_up(
    new_visitor: VisitorFactory,
    live_server: LiveServer,
    cast: Cast,
    places: Places,
    javascript: bool,
) -> None:
    page = new_visitor(javascript=javascript)
    page.goto(f"{live_server.url}/signup/")
    page.fill("input[name=username]", "nora")
    page.fill("input[name=display_name]", "Nora Newcomer")
    page.fill("input[name=email]", "nora@example.com")
    page.fill("input[name=password1]", PASSPHRASE)
    page.fill("input[name=password2]", PASSPHRASE)
    page.get_by_role("button", name="Create my account").click()

    expect(page).to_have_url(f"{live_server.url}/welcome/")
    expect(page.get_by_text("Step 1 of 3")).to_be_visible()
    page.fill("input[name=headline]", "Owns three hubs")
    page.get_by_role("button", name="Save and continue").click()

    expect(page).to_have_url(f"{live_server.url}/welcome/follow/")
    page.get_by_label("General").check()
    page.fill("input[name=other_topics]", "solar")
    page.get_by_role("button", name="Follow and continue").click()

    expect(page).to_have_url(f"{live_server.url}/welcome/people/")
    page.get_by_label(re.compile("Sam Staff")).check()
    page.get_by_role("button", name="Finish").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_text("You now follow 1 person.")).to_be_visible()

    nora = Member.objects.get(username="nora")
    assert nora.profile.headline == "Owns three hubs"
    assert SpaceFollow.objects.filter(member=nora, space=places.forum).exists()
    assert nora.connections_out.filter(to_member=cast.sam).exists()


def test_onboarding_steps_can_be_skipped(
    page: Page, live_server: LiveServer, cast: Cast, places: Places
) -> None:
    log_in(page, live_server, "bob", PASSWORD)
    page.goto(f"{live_server.url}/welcome/")
    page.get_by_role("link", name="Skip this step").click()
    expect(page).to_have_url(f"{live_server.url}/welcome/follow/")
    page.get_by_role("link", name="Skip this step").click()
    expect(page).to_have_url(f"{live_server.url}/welcome/people/")
    page.get_by_role("link", name="Skip", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/")
    assert not SpaceFollow.objects.filter(member=cast.bob).exists()


def test_email_settings_and_one_click_unsubscribe(
    page: Page, new_visitor: VisitorFactory, live_server: LiveServer, cast: Cast
) -> None:
    log_in(page, live_server, "alice", PASSWORD)
    page.locator("summary", has_text="Alice Archer").click()  # the account menu
    page.get_by_role("link", name="E-mail settings").click()
    expect(page.locator("h1")).to_have_text("E-mail settings")
    page.get_by_label("A weekly digest").check()
    page.get_by_role("button", name="Save e-mail settings").click()
    expect(page.get_by_text("Your e-mail settings are saved.")).to_be_visible()
    expect(page.get_by_label("A weekly digest")).to_be_checked()
    assert emails.frequency_of(cast.alice.pk) == Frequency.WEEKLY

    # The link in an e-mail works for someone who is not signed in, once.
    token = emails.unsubscribe_token(cast.alice.pk)
    stranger = new_visitor(javascript=False)
    stranger.goto(f"{live_server.url}/unsubscribe/{token}/")
    stranger.get_by_role("button", name="Unsubscribe from all e-mails").click()
    expect(stranger.get_by_text("You are unsubscribed")).to_be_visible()
    assert emails.frequency_of(cast.alice.pk) == Frequency.OFF
    stranger.goto(f"{live_server.url}/unsubscribe/{token}/")
    stranger.get_by_role("button", name="Unsubscribe from all e-mails").click()
    expect(stranger.get_by_role("alert")).to_contain_text("already been used")
    assert mail.outbox == []


def test_avatar_upload_and_initials(
    page: Page, live_server: LiveServer, cast: Cast, settings: Settings, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    log_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/people/alice/")
    expect(page.locator(".avatar-initials").first).to_have_text("AA")

    page.goto(f"{live_server.url}/settings/avatar/")
    not_a_picture = tmp_path / "notes.txt"
    not_a_picture.write_text("hello")
    page.set_input_files("input[name=avatar]", str(not_a_picture))
    page.get_by_role("button", name="Upload picture").click()
    expect(page.get_by_role("alert")).to_contain_text("not a picture we can read")

    photo = tmp_path / "me.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 90, 200)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())
    page.set_input_files("input[name=avatar]", str(photo))
    page.get_by_role("button", name="Upload picture").click()
    expect(page.get_by_text("Your picture is saved.")).to_be_visible()

    page.goto(f"{live_server.url}/people/alice/")
    picture = page.locator("img.avatar").first
    expect(picture).to_be_visible()
    # Visible is not loaded: wait for the image itself, under load it comes a moment later.
    page.wait_for_function(
        "() => { const i = document.querySelector('img.avatar'); return i && i.complete }"
    )
    # The browser really loaded the stored image: 256 px square.
    assert picture.evaluate("img => img.naturalWidth") == 256
    assert picture.evaluate("img => img.naturalHeight") == 256
