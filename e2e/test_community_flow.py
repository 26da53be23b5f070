"""The issue's flow through real pages in a real browser.

sign up → start a thread → another member replies → staff replies → vote for an idea →
review a product → search finds all three (by words unique to each).
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from cluetrain.ideas.models import Idea, IdeaVote
from cluetrain.members.models import Member
from cluetrain.reviews.models import Review
from cluetrain.threads.models import Post, Thread
from conftest import PASSWORD, Cast, Places
from e2e.conftest import PHONE, VisitorFactory, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "quiet lantern orbit 42"
# Made-up words: each appears in exactly one of the thread, the idea and the review.
THREAD_WORD, IDEA_WORD, REVIEW_WORD = "quokkafirmware", "marmosetschedule", "pangolinglow"


def sign_up(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/signup/")
    page.fill("input[name=username]", "nora")
    page.fill("input[name=display_name]", "Nora Newcomer")
    page.fill("input[name=email]", "nora@example.com")
    page.fill("input[name=password1]", NEW_PASSWORD)
    page.fill("input[name=password2]", NEW_PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page).to_have_url(f"{live_server.url}/welcome/")  # onboarding, skippable
    expect(page.get_by_text("Welcome, Nora Newcomer!")).to_be_visible()


def start_thread(page: Page, live_server: LiveServer) -> str:
    page.goto(f"{live_server.url}/s/general/new/")
    page.fill("input[name=title]", f"Pairing fails after the {THREAD_WORD} update")
    page.fill("textarea[name=body]", f"Since the {THREAD_WORD} update my bulbs will not pair.")
    page.locator("button[name=submit]").click()
    expect(page).to_have_url(re.compile(r"/t/\d+/$"))
    expect(page.locator("h1")).to_have_text(f"Pairing fails after the {THREAD_WORD} update")
    return page.url


def reply(page: Page, thread_url: str, text: str) -> None:
    page.goto(thread_url)
    page.locator("form.reply-form textarea[name=body]").fill(text)
    page.locator("form.reply-form button[name=submit]").click()
    expect(page.locator(".post-body", has_text=text)).to_be_visible()


def test_community_flow(
    page: Page, new_visitor: VisitorFactory, live_server: LiveServer, cast: Cast, places: Places
) -> None:
    # A visitor signs up and starts a thread.
    sign_up(page, live_server)
    thread_url = start_thread(page, live_server)
    thread = Thread.objects.get(title__contains=THREAD_WORD)
    assert thread.author == Member.objects.get(username="nora")

    # Another member replies.
    bob = new_visitor()
    log_in(bob, live_server, "bob", PASSWORD)
    reply(bob, thread_url, "Did you try resetting the hub? Hold the button for ten seconds.")

    # Staff replies, and everyone sees it is staff.
    sam = new_visitor()
    log_in(sam, live_server, "sam", PASSWORD)
    reply(sam, thread_url, "Thanks for the report: a fix ships in tomorrow's release.")
    page.goto(thread_url)
    staff_post = page.locator("article.post", has_text="a fix ships in tomorrow's release")
    expect(staff_post).to_have_class(re.compile(r"\bstaff\b"))
    expect(staff_post.locator(".badge.staff").first).to_have_text("Staff")
    bob_post = page.locator("article.post", has_text="Hold the button for ten seconds")
    expect(bob_post.locator(".badge.staff")).to_have_count(0)
    expect(page.locator("#replies-heading")).to_have_text("2 replies")
    posts = Post.objects.filter(thread=thread).order_by("created_at", "pk")
    assert [(p.author.username, p.is_staff_reply) for p in posts if p.author] == [
        ("nora", False),
        ("bob", False),
        ("sam", True),
    ]

    # Bob shares an idea; the newcomer votes for it.
    bob.goto(f"{live_server.url}/ideas/new/")
    bob.fill("input[name=title]", f"Let the hub follow a {IDEA_WORD}")
    bob.fill("textarea[name=body]", f"A {IDEA_WORD} would dim the lights at sunset by itself.")
    bob.get_by_role("button", name="Post idea").click()
    expect(bob).to_have_url(re.compile(r"/t/\d+/$"))
    idea_url = bob.url
    page.goto(idea_url)
    votebox = page.locator(".votebox")
    expect(votebox.locator("strong")).to_have_text("0")
    votebox.get_by_role("button", name="▲ Vote").click()
    expect(votebox.locator("strong")).to_have_text("1")
    expect(votebox.get_by_role("button", name="✓ Voted")).to_be_visible()
    page.reload()
    expect(page.locator(".votebox strong")).to_have_text("1")
    idea = Idea.objects.get(thread__title__contains=IDEA_WORD)
    assert idea.vote_count == 1
    assert list(IdeaVote.objects.filter(idea=idea).values_list("member__username", flat=True)) == [
        "nora"
    ]

    # The newcomer reviews the product.
    page.goto(f"{live_server.url}/products/{places.product.slug}/review/")
    page.check("input[name=stars][value='4']")
    page.fill("input[name=title]", f"Bright, but the {REVIEW_WORD} is too strong")
    page.fill("textarea[name=body]", f"Setup took minutes. The {REVIEW_WORD} keeps me awake.")
    page.get_by_role("button", name="Publish review").click()
    expect(page).to_have_url(re.compile(r"/t/\d+/$"))
    expect(page.locator(".review-stars")).to_have_attribute("aria-label", "4 out of 5 stars")
    expect(page.locator(".review-stars")).to_have_text("★★★★☆")
    review = Review.objects.get(thread__title__contains=REVIEW_WORD)
    assert (review.stars, review.author_id, review.product) == (4, thread.author_id, places.product)

    # Search finds each of the three by its own word, and only that one.
    for word, title in [
        (THREAD_WORD, f"Pairing fails after the {THREAD_WORD} update"),
        (IDEA_WORD, f"Let the hub follow a {IDEA_WORD}"),
        (REVIEW_WORD, f"Bright, but the {REVIEW_WORD} is too strong"),
    ]:
        # The search box in the site header, on whatever page the visitor is.
        page.get_by_role("banner").get_by_role("searchbox", name="Search").fill(word)
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(rf"/search/\?q={word}"))
        titles = page.locator(".search-results li a strong")
        expect(titles.first).to_have_text(title)
        assert set(titles.all_inner_texts()) == {title}


def test_thread_page_fits_a_phone(
    new_visitor: VisitorFactory, live_server: LiveServer, cast: Cast, places: Places, tmp_path: Path
) -> None:
    phone = new_visitor(phone=True)
    log_in(phone, live_server, "alice", PASSWORD)
    long_word = "a-rather-long-unbroken-identifier-" * 3  # the kind of text that breaks layouts
    phone.goto(f"{live_server.url}/s/general/new/")
    phone.fill("input[name=title]", "Hub light blinks orange after setup on my phone")
    phone.fill(
        "textarea[name=body]",
        f"It blinks orange. Log line: `{long_word}`\n\n- tried a restart\n- tried a reset",
    )
    phone.locator("button[name=submit]").click()
    expect(phone).to_have_url(re.compile(r"/t/\d+/$"))
    reply(phone, phone.url, "Same here, on the second floor only.")

    shot = tmp_path / "thread-phone.png"
    phone.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert phone.viewport_size == PHONE
    scroll_width, inner_width = phone.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert inner_width == 390
    assert scroll_width <= inner_width, f"{scroll_width}px wide on a {inner_width}px phone"
