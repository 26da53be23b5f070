"""Blogs in a real browser, every page: write (draft, then publish), the draft's preview,
edit, the blog with its follow button, the blogs index with staff marked, a tag page, the
feeds, and the published post's thread where a reader comments. Forms work without
JavaScript, so the writing part runs with it off."""

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from cluetrain.blogs.actions import PUBLISH, do_write_post
from cluetrain.blogs.models import BlogPost
from cluetrain.notifications.models import Notification
from conftest import PASSWORD, Cast
from e2e.conftest import VisitorFactory, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_write_a_draft_preview_it_publish_it_and_read_the_comments(
    new_visitor: VisitorFactory, live_server: LiveServer, cast: Cast
) -> None:
    writer = new_visitor(javascript=False)
    log_in(writer, live_server, "alice", PASSWORD)
    writer.goto(f"{live_server.url}/blogs/write/")
    writer.fill("input[name=title]", "A year with a smart home")
    writer.fill("textarea[name=body]", "The **leak sensor** saved my kitchen.")
    writer.fill("input[name=tags]", "smart-home, sensors")
    writer.get_by_role("button", name="Save draft").click()
    expect(writer.get_by_text("Only you can see it.").first).to_be_visible()
    expect(writer.locator("article strong")).to_have_text("leak sensor")
    draft = BlogPost.objects.get()

    reader = new_visitor()
    log_in(reader, live_server, "bob", PASSWORD)
    reader.goto(f"{live_server.url}/blogs/posts/{draft.pk}/")
    expect(reader.get_by_role("heading", name="We could not find that page")).to_be_visible()
    reader.goto(f"{live_server.url}/blogs/by/alice/")
    reader.get_by_role("button", name="Follow this blog").click()
    expect(reader.get_by_text("You will be told of each new post.")).to_be_visible()

    writer.goto(f"{live_server.url}/blogs/posts/{draft.pk}/edit/")
    writer.fill("input[name=title]", "A year with a smart home: what stuck")
    # Publishing reads the post at once (listening's first read loads its models): give the
    # page longer than the default 10 s on a loaded machine.
    writer.get_by_role("button", name="Publish now").click(timeout=60_000)
    expect(writer).to_have_url(re.compile(r"/t/\d+/$"), timeout=60_000)
    expect(
        writer.get_by_role("heading", name="A year with a smart home: what stuck")
    ).to_be_visible()
    assert Notification.objects.filter(recipient=cast.bob, kind="blog_post").count() == 1

    reader.goto(f"{live_server.url}/blogs/by/alice/")
    reader.get_by_role("link", name="A year with a smart home: what stuck").click()
    expect(reader.get_by_text("saved my kitchen")).to_be_visible()


def test_the_index_marks_staff_and_tag_pages_and_feeds_list_posts(
    page: Page, live_server: LiveServer, cast: Cast
) -> None:
    do_write_post(
        cast.sam, title="Firmware 3.2 explained", body_md="Why.", tags=["firmware"], action=PUBLISH
    )
    do_write_post(
        cast.pat,
        title="Installing in old houses",
        body_md="Walls.",
        tags=["install"],
        action=PUBLISH,
    )
    page.goto(f"{live_server.url}/blogs/")
    blogs = page.locator("#blog-list")
    expect(blogs.locator("li", has_text="Sam Staff").locator(".badge.staff")).to_be_visible()
    expect(blogs.locator("li", has_text="Pat Partner").locator(".badge.warn")).to_have_text(
        "Partner"
    )
    page.locator("#blog-posts").get_by_role("link", name="firmware", exact=True).click()
    expect(page).to_have_url(re.compile(r"/blogs/tags/firmware/$"))
    expect(page.locator("#blog-posts")).to_contain_text("Firmware 3.2 explained")
    expect(page.locator("#blog-posts")).not_to_contain_text("Installing in old houses")
    for path in ("/blogs/tags/firmware/feed/", "/blogs/by/sam/feed/"):
        feed = page.request.get(f"{live_server.url}{path}")
        assert feed.ok
        assert "Firmware 3.2 explained" in feed.text()


def test_schedule_a_post_and_edit_it_on_the_blog_page(
    page: Page, live_server: LiveServer, cast: Cast
) -> None:
    log_in(page, live_server, "pat", PASSWORD)
    page.goto(f"{live_server.url}/blogs/write/")
    page.fill("input[name=title]", "Winter checklist")
    page.fill("textarea[name=body]", "Check the window sensors.")
    page.fill("input[name=publish_at]", "2099-01-01T09:00")
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_text("Your post is scheduled.")).to_be_visible()
    page.goto(f"{live_server.url}/blogs/by/pat/")
    unpublished = page.locator("#blog-unpublished")
    expect(unpublished).to_contain_text("Winter checklist")
    expect(unpublished).to_contain_text("Scheduled")
    unpublished.get_by_role("link", name="Edit").click()
    page.get_by_role("button", name="Delete this post").click()
    expect(page.get_by_text("The post is deleted.")).to_be_visible()
    assert not BlogPost.objects.exists()
