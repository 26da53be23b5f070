"""A refused request is one WARNING line in the log, without a traceback."""

import logging

import pytest
from django.test import Client

from conftest import PASSWORD, Cast


@pytest.mark.django_db
def test_a_403_is_logged_as_one_line(cast: Cast, caplog: pytest.LogCaptureFixture) -> None:
    client = Client()
    assert client.login(username=cast.alice.username, password=PASSWORD)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/experts/team/", {"skills": "battery"})
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.levelno for r in records] == [logging.WARNING]
    assert records[0].getMessage() == "Forbidden (Permission denied): /experts/team/"
    assert records[0].exc_info is None
    assert "Traceback" not in caplog.text


def test_a_request_for_an_unknown_host_is_logged_without_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Django logs DisallowedHost on django.security.DisallowedHost with the traceback; what
    # reaches the console handler (the server's log) must be the one line.
    with caplog.at_level(logging.ERROR, logger="django.security"):
        response = Client().get("/", HTTP_HOST="scanner.example")
    assert response.status_code == 400
    records = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert len(records) == 1
    console = next(h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler)
    assert console.filter(records[0])
    line = console.format(records[0])
    assert line.startswith("Invalid HTTP_HOST header: 'scanner.example'.")
    assert "Traceback" not in line


@pytest.mark.django_db
def test_a_refused_unsubscribe_link_is_logged_without_its_token(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = Client().get("/unsubscribe/secret-looking-token/")
    assert response.status_code == 400
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.getMessage() for r in records] == ["Bad Request: /unsubscribe/[redacted]/"]
    assert "secret-looking-token" not in caplog.text
