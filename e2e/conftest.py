"""Browser tests: real headless Chromium (Debian's package) driven by Playwright.

Chromium is found at $CHROMIUM_PATH or /usr/bin/chromium. Without it the tests are skipped,
loudly, except in CI (CI=true), where a missing browser is a failure.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    ViewportSize,
    expect,
    sync_playwright,
)
from pytest_django.live_server_helper import LiveServer

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE: ViewportSize = {"width": 390, "height": 844}


def chromium_path() -> Path:
    return Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))


@pytest.fixture(scope="session")
def browser(django_db_setup: None) -> Iterator[Browser]:
    # After the test database exists: its setup must not run beside Playwright's loop.
    path = chromium_path()
    if not path.exists():
        message = f"Chromium not found at {path} — install Debian's chromium to run browser tests"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI=true: browser tests must run in CI)")
        pytest.skip(message)
    # While Playwright's sync API runs, an asyncio loop runs in this thread, and Django's
    # async-safety guard would refuse every ORM call made here, by tests and by pytest-django
    # alike, though they are ordinary synchronous calls. Lift the guard for exactly that time.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(path), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    # A fresh context per test: its own cookies, so every visitor starts logged out.
    context = browser.new_context()
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def new_visitor(browser: Browser) -> Iterator["VisitorFactory"]:
    factory = VisitorFactory(browser)
    yield factory
    factory.close()


class VisitorFactory:
    """Extra people in the same test, each in a browser context (a cookie jar) of their own."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.contexts: list[BrowserContext] = []

    def __call__(self, *, phone: bool = False, javascript: bool = True) -> Page:
        context = self.browser.new_context(
            viewport=PHONE if phone else None, java_script_enabled=javascript
        )
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        return context.new_page()

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def log_in(page: Page, live_server: LiveServer, username: str, password: str) -> None:
    """Log in through the real login page, as a person would."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    # Waits for the redirect away from the login page (a refused login stays there).
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
