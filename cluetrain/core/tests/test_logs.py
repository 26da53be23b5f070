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
