"""Refusals and errors in the site's layout, with DEBUG off as in production."""

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path
from pytest_django import DjangoAssertNumQueries
from pytest_django.fixtures import Settings

import cluetrain.urls
from conftest import Cast


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


# This module doubles as a URLconf: the site's, plus a view that fails.
urlpatterns = [path("boom/", _boom), *cluetrain.urls.urlpatterns]
handler500 = cluetrain.urls.handler500


@pytest.fixture(autouse=True)
def _production(settings: Settings) -> None:
    settings.DEBUG = False
    settings.SITE_NAME = "Lumen Community"


def test_not_found_uses_the_layout(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    response = client.get("/t/999999/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "We could not find that page" in content
    assert 'class="topbar"' in content  # the site's navigation
    assert "Lumen Community" in content
    assert "Alice Archer" in content  # signed in: the member menu


def test_forbidden_uses_the_layout_and_says_why(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    response = client.get("/listening/")
    assert response.status_code == 403
    content = response.content.decode()
    assert "You may not do that" in content
    assert "Listening is for staff." in content
    assert 'class="topbar"' in content


@pytest.mark.urls("cluetrain.core.tests.test_error_pages")
def test_server_error_uses_the_layout_without_the_database(
    db: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/boom/")
    assert response.status_code == 500
    content = response.content.decode()
    assert "Something went wrong on our side" in content
    assert 'class="topbar"' in content
    assert "<title>Something went wrong · Lumen Community</title>" in content
