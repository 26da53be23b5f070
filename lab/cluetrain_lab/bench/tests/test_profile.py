from collections.abc import Iterator

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from cluetrain_lab.bench.profile import profile_page
from cluetrain_lab.bench.targets import _login_session
from conftest import Cast

# The yardsticks are served only with BENCH_VIEWS on; these tests use the URLs it adds.
pytestmark = pytest.mark.urls("cluetrain_lab.bench.tests.urls")


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    # As Django's test client does: a request must not close the test's open transaction's
    # connection (PostgreSQL), which the WSGI handler does between requests in production.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_a_profile_names_the_pages_queries_and_where_its_time_went(cast: Cast) -> None:
    found = profile_page("/bench/layout/", _login_session(cast.alice), requests=3, top=200)
    assert found.ms_per_request > 0
    # Session, member, unread count: the layout's three.
    assert len(found.queries) == 3
    assert "django_session" in found.queries[0]
    assert "cluetrain/notifications/context_processors.py" in found.stats
    bare = profile_page("/bench/bare/", "", requests=3, top=5)
    assert bare.queries == []


@pytest.mark.django_db
def test_a_page_that_does_not_answer_200_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="answered 404"):
        profile_page("/bench/no-such-page/", "", requests=1, top=5)
