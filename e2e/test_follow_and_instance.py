"""Issue 12 in the browser: following a thread without JavaScript, and the administrators'
instance export page (start an export, download it when the worker has built it)."""

from pathlib import Path

import pytest
from django.db import transaction
from playwright.sync_api import expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from cluetrain.exports import transfer
from cluetrain.threads.actions import check_create_thread
from cluetrain.threads.models import ThreadFollow
from conftest import PASSWORD, Cast, Places
from e2e.conftest import VisitorFactory, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_follow_and_unfollow_a_thread_without_javascript(
    new_visitor: VisitorFactory, live_server: LiveServer, cast: Cast, places: Places
) -> None:
    thread = check_create_thread(cast.alice, places.forum, title="Hub blinks", body_md="Why?")
    page = new_visitor(javascript=False)
    log_in(page, live_server, "bob", PASSWORD)
    page.goto(f"{live_server.url}/t/{thread.pk}/")
    page.get_by_role("button", name="Follow this thread").click()
    expect(page.get_by_role("button", name="Unfollow")).to_be_visible()
    expect(page.get_by_text("You follow this thread: its replies will reach you.")).to_be_visible()
    assert list(ThreadFollow.objects.values_list("member__username", flat=True)) == ["bob"]
    page.get_by_role("button", name="Unfollow").click()
    expect(page.get_by_role("button", name="Follow this thread")).to_be_visible()
    assert not ThreadFollow.objects.exists()


def test_an_administrator_exports_the_instance_from_the_page(
    new_visitor: VisitorFactory,
    live_server: LiveServer,
    cast: Cast,
    places: Places,
    settings: Settings,
    tmp_path: Path,
) -> None:
    settings.DATA_DIR = tmp_path
    # The worker's part, run here inside a transaction: the test framework lets a live-server
    # test open no other connection, such as the SQLite export's snapshot.
    with transaction.atomic():
        name = transfer.do_start_export()
    page = new_visitor()
    log_in(page, live_server, "ada", PASSWORD)
    page.goto(f"{live_server.url}/staff/instance/")
    link = page.locator("#exports").get_by_role("link", name="Download")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"cluetrain-export-{name}.zip"
    page.get_by_role("button", name="Start an export").click()
    expect(page.get_by_text("started: the worker builds it; reload this page.")).to_be_visible()
    expect(page.get_by_role("button", name="Upload and check")).to_be_visible()
