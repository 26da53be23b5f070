"""A database outage is a 503 with Retry-After, in the site's layout or the API's JSON shape.

The drills on real servers (PostgreSQL stopped, SQLite locked) are in
cluetrain/ops/tests/test_outage_drills.py; these pin the answer's shape, quickly.
"""

import pytest
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path
from pytest_django import DjangoAssertNumQueries
from pytest_django.fixtures import Settings

import cluetrain.urls


def _lost(request: HttpRequest) -> HttpResponse:
    raise OperationalError("server closed the connection unexpectedly")


def _closed(request: HttpRequest) -> HttpResponse:
    raise InterfaceError("connection already closed")


def _bug(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


class _FailsOnTheWayOut:
    """A middleware that meets the outage after the view (as saving a session would)."""

    def __init__(self, get_response: object) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raise OperationalError("database is locked")


urlpatterns = [
    path("lost/", _lost),
    path("api/lost", _lost),
    path("closed/", _closed),
    path("bug/", _bug),
    *cluetrain.urls.urlpatterns,
]
handler500 = cluetrain.urls.handler500

pytestmark = pytest.mark.urls("cluetrain.core.tests.test_outage")


@pytest.fixture(autouse=True)
def _production(settings: Settings) -> None:
    settings.DEBUG = False


@pytest.mark.parametrize("url", ["/lost/", "/closed/"])
def test_a_page_that_meets_an_outage_is_a_friendly_503(
    url: str, db: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    content = response.content.decode()
    assert "We are back in a moment" in content
    assert "Nothing you have already posted is lost." in content
    assert 'class="topbar"' in content
    assert "language-chooser" not in content  # it could not be posted without a CSRF token


def test_an_api_call_that_meets_an_outage_is_a_json_503(db: None) -> None:
    response = Client(raise_request_exception=False).get("/api/lost")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["error"]["code"] == "unavailable"
    assert response.json()["error"]["field"] is None


def test_an_outage_met_by_a_middleware_is_a_503_too(db: None, settings: Settings) -> None:
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "cluetrain.core.tests.test_outage._FailsOnTheWayOut",
    ]
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 503
    assert "We are back in a moment" in response.content.decode()


def test_other_errors_stay_500(db: None) -> None:
    response = Client(raise_request_exception=False).get("/bug/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
