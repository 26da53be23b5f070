import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client

from cluetrain.members.models import Member
from cluetrain.threads.actions import do_create_thread, do_reply
from cluetrain.threads.models import Thread
from cluetrain_lab.bench.targets import pick_targets
from conftest import Cast, Places, make_member

# The yardsticks are served only with BENCH_VIEWS on; these tests use the URLs it adds.
pytestmark = pytest.mark.urls("cluetrain_lab.bench.tests.urls")


def test_targets_are_the_largest_public_thread_a_common_name_and_a_customer_session(
    cast: Cast, places: Places
) -> None:
    kind = Thread.Kind.DISCUSSION
    small = do_create_thread(cast.alice, places.forum, title="Small", body_md="hi", kind=kind)
    large = do_create_thread(cast.bob, places.forum, title="Large", body_md="hi", kind=kind)
    staff_only = do_create_thread(cast.sam, places.staff_room, title="S", body_md="x", kind=kind)
    for _ in range(3):
        do_reply(cast.bob, large, body_md="more")
        do_reply(cast.sam, staff_only, body_md="more")  # bigger, but not public
    do_reply(cast.alice, small, body_md="one")
    make_member("alice2", Member.Role.CUSTOMER, "Alice Other")

    targets = pick_targets()

    assert (targets.thread_id, targets.thread_posts) == (large.pk, 4)
    assert (targets.common_name, targets.name_matches, targets.members) == ("Alice", 2, 7)
    assert targets.username == "bob"  # the customer with the most posts
    session = Session.objects.get(session_key=targets.session_key)
    assert session.get_decoded()[SESSION_KEY] == str(cast.bob.pk)
    client = Client()
    client.cookies["sessionid"] = targets.session_key
    assert client.get("/bench/bare/").wsgi_request.user == cast.bob
    assert targets.db_version.split()[0] in {"sqlite", "postgresql"}


@pytest.mark.django_db
def test_targets_refuse_an_empty_database() -> None:
    with pytest.raises(LookupError, match="did `cluetrain demo` run"):
        pick_targets()
