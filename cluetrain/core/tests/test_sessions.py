import datetime

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cluetrain.core.sessions import SessionStore
from conftest import Cast


def test_a_stored_session_reads_back_with_one_query(cast: Cast) -> None:
    assert settings.SESSION_ENGINE == "cluetrain.core.sessions"
    stored = SessionStore()
    stored["member"] = cast.alice.pk
    stored.create()
    with CaptureQueriesContext(connection) as queries:
        loaded = SessionStore(stored.session_key)
        assert loaded["member"] == cast.alice.pk
    assert len(queries) == 1
    assert loaded.session_key == stored.session_key


def test_expired_unknown_and_malformed_keys_read_as_empty_sessions(cast: Cast) -> None:
    expired = SessionStore()
    expired["member"] = cast.alice.pk
    expired.create()
    Session.objects.filter(pk=expired.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    for key in (expired.session_key, "x" * 32, "no good", None):
        session = SessionStore(key)
        assert dict(session.items()) == {}
        assert session.session_key is None  # a new one is made if anything is stored


def test_signing_in_and_out_goes_through_the_database_each_time(cast: Cast) -> None:
    browser, thief = Client(), Client()
    browser.force_login(cast.alice)
    thief.cookies[settings.SESSION_COOKIE_NAME] = browser.cookies[
        settings.SESSION_COOKIE_NAME
    ].value
    assert thief.get("/").wsgi_request.user == cast.alice
    browser.post("/accounts/logout/")
    # The copied cookie is worth nothing at once: no process keeps the session.
    assert not thief.get("/").wsgi_request.user.is_authenticated
