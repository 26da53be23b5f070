import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from conftest import PASSWORD, Cast
from e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_logs_a_member_in(page: Page, live_server: LiveServer, cast: Cast) -> None:
    response = page.goto(f"{live_server.url}/accounts/login/")
    assert response is not None
    assert response.status == 200
    expect(page.locator("input[name=username]")).to_be_visible()
    expect(page.locator("input[name=password]")).to_be_visible()

    log_in(page, live_server, "alice", PASSWORD)

    assert page.url == f"{live_server.url}/"
    assert any(c["name"] == "sessionid" for c in page.context.cookies())


def test_login_page_refuses_a_wrong_password(
    page: Page, live_server: LiveServer, cast: Cast
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", "not the password")
    page.locator("form:has(input[name=password]) [type=submit]").click()

    expect(page.locator(".errorlist")).to_contain_text("enter a correct username and password")
    assert page.url == f"{live_server.url}/accounts/login/"
    assert not any(c["name"] == "sessionid" for c in page.context.cookies())
