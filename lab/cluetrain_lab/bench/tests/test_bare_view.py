import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import Cast

# The yardsticks are served only with BENCH_VIEWS on; these tests use the URLs it adds.
pytestmark = pytest.mark.urls("cluetrain_lab.bench.tests.urls")


@pytest.mark.django_db
def test_bare_view_answers_ok_without_touching_the_database(client: Client) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("bench_bare"))
    assert reverse("bench_bare") == "/bench/bare/"
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    assert response.content == b"ok"
    assert len(queries) == 0


def test_layout_view_costs_a_signed_in_member_only_the_layout(client: Client, cast: Cast) -> None:
    client.force_login(cast.alice)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("bench_layout"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The layout alone." in html
    assert cast.alice.name in html  # the signed-in navigation
    # Session, member, unread notifications: what every signed-in page pays.
    assert len(queries) == 3
