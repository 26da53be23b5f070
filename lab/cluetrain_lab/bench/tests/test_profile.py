import pytest

from cluetrain_lab.bench.profile import profile_page
from cluetrain_lab.bench.targets import _login_session
from conftest import Cast

# The yardsticks are served only with BENCH_VIEWS on; these tests use the URLs it adds.
pytestmark = pytest.mark.urls("cluetrain_lab.bench.tests.urls")


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
