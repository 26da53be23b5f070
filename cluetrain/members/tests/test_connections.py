from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from cluetrain.core.errors import ActionError
from cluetrain.members.actions import (
    check_follow,
    check_request_connection,
    check_respond_to_connection,
    do_disconnect,
    do_unfollow,
)
from cluetrain.members.models import Connection, Member
from cluetrain.notifications.models import Notification
from conftest import Cast, make_member

CaptureCommits = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def _notifications() -> list[tuple[str, str, str, str]]:
    return [
        (n.recipient.username, n.kind, n.actor.username if n.actor else "", n.text)
        for n in Notification.objects.select_related("recipient", "actor").order_by("pk")
    ]


def test_follow_creates_the_tie_and_notifies(
    cast: Cast, django_capture_on_commit_callbacks: CaptureCommits
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        connection = check_follow(cast.alice, cast.bob)
    assert (connection.kind, connection.status) == ("follow", "accepted")
    assert _notifications() == [("bob", "follow", "alice", "Alice Archer started following you")]


def test_follow_refuses_self_and_duplicates(cast: Cast) -> None:
    with pytest.raises(ActionError) as refused:
        check_follow(cast.alice, cast.alice)
    assert (refused.value.message, refused.value.status) == ("You cannot follow yourself.", 400)
    check_follow(cast.alice, cast.bob)
    with pytest.raises(ActionError) as refused:
        check_follow(cast.alice, cast.bob)
    assert (refused.value.message, refused.value.status) == ("You already follow Bob Baker.", 409)
    assert Connection.objects.count() == 1


def test_unfollow_removes_only_the_follow(cast: Cast) -> None:
    check_follow(cast.alice, cast.bob)
    check_request_connection(cast.alice, cast.bob)
    assert do_unfollow(cast.alice, cast.bob) is True
    assert do_unfollow(cast.alice, cast.bob) is False
    assert list(Connection.objects.values_list("kind", flat=True)) == ["connect"]


def test_connect_request_then_accept_notifies_both_sides(
    cast: Cast, django_capture_on_commit_callbacks: CaptureCommits
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request = check_request_connection(cast.alice, cast.bob)
    assert request.status == Connection.Status.PENDING
    assert _notifications() == [
        ("bob", "connect_request", "alice", "Alice Archer wants to connect")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        check_respond_to_connection(cast.bob, request, accept=True)
    request.refresh_from_db()
    assert request.status == Connection.Status.ACCEPTED
    assert request.responded_at is not None
    assert _notifications()[1] == (
        "alice",
        "connect_accepted",
        "bob",
        "Bob Baker accepted your connection request",
    )


def test_decline_writes_no_notification(
    cast: Cast, django_capture_on_commit_callbacks: CaptureCommits
) -> None:
    request = check_request_connection(cast.alice, cast.bob)
    with django_capture_on_commit_callbacks(execute=True):
        check_respond_to_connection(cast.bob, request, accept=False)
    assert _notifications() == []
    request.refresh_from_db()
    assert request.status == Connection.Status.DECLINED


def test_only_the_recipient_may_answer(cast: Cast) -> None:
    request = check_request_connection(cast.alice, cast.bob)
    for member in (cast.alice, cast.sam):
        with pytest.raises(ActionError) as refused:
            check_respond_to_connection(member, request, accept=True)
        assert refused.value.status == 403
    request.refresh_from_db()
    assert (request.status, request.responded_at) == ("pending", None)


def test_answering_twice_is_refused(cast: Cast) -> None:
    request = check_request_connection(cast.alice, cast.bob)
    check_respond_to_connection(cast.bob, request, accept=False)
    with pytest.raises(ActionError) as refused:
        check_respond_to_connection(cast.bob, request, accept=True)
    assert (refused.value.message, refused.value.status) == (
        "This request has already been answered.",
        409,
    )
    request.refresh_from_db()
    assert request.status == "declined"


def test_asking_someone_who_asked_you_accepts_their_request(
    cast: Cast, django_capture_on_commit_callbacks: CaptureCommits
) -> None:
    theirs = check_request_connection(cast.bob, cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        result = check_request_connection(cast.alice, cast.bob)
    assert result.pk == theirs.pk
    assert result.status == Connection.Status.ACCEPTED
    assert Connection.objects.count() == 1
    assert [(n[0], n[1]) for n in _notifications()] == [("bob", "connect_accepted")]


def test_connect_refuses_self_duplicates_and_existing_connections(cast: Cast) -> None:
    with pytest.raises(ActionError, match=r"You cannot connect with yourself\."):
        check_request_connection(cast.alice, cast.alice)
    request = check_request_connection(cast.alice, cast.bob)
    with pytest.raises(ActionError, match=r"You already asked to connect with Bob Baker\.") as e:
        check_request_connection(cast.alice, cast.bob)
    assert e.value.status == 409
    check_respond_to_connection(cast.bob, request, accept=True)
    for a, b in ((cast.alice, cast.bob), (cast.bob, cast.alice)):
        with pytest.raises(ActionError, match="You are already connected with"):
            check_request_connection(a, b)
    assert Connection.objects.count() == 1


def test_disconnect_removes_the_connection(cast: Cast) -> None:
    request = check_request_connection(cast.alice, cast.bob)
    check_respond_to_connection(cast.bob, request, accept=True)
    assert do_disconnect(cast.bob, cast.alice) is True
    assert Connection.objects.count() == 0


# --- Through the pages ----------------------------------------------------------------------


def test_follow_button_without_js_redirects_to_the_profile(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    response = client.post("/people/bob/follow/")
    assert response.status_code == 302
    assert response["Location"] == "/people/bob/"
    assert Connection.objects.filter(from_member=cast.alice, to_member=cast.bob).count() == 1
    page = client.get("/people/bob/")
    assert b"You now follow Bob Baker." in page.content
    assert b">Unfollow</button>" in page.content
    response = client.post("/people/bob/unfollow/")
    assert response.status_code == 302
    assert Connection.objects.count() == 0


def test_follow_button_with_htmx_returns_the_buttons(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    response = client.post("/people/bob/follow/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert [t.name for t in response.templates] == ["members/_relation.html"]
    assert b">Unfollow</button>" in response.content
    assert b"1 follower " in response.content


def test_following_yourself_through_the_page_is_refused(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    response = client.post("/people/alice/follow/")
    assert response.status_code == 400
    assert b"You cannot follow yourself." in response.content
    assert Connection.objects.count() == 0


def test_follow_needs_login_and_post(cast: Cast, client: Client) -> None:
    response = client.post("/people/bob/follow/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/people/bob/follow/"
    client.force_login(cast.alice)
    assert client.get("/people/bob/follow/").status_code == 405
    assert Connection.objects.count() == 0


def test_connect_accept_flow_through_the_pages(cast: Cast, client: Client) -> None:
    client.force_login(cast.alice)
    client.post("/people/bob/connect/")
    assert b"Request sent" in client.get("/people/bob/").content
    request = Connection.objects.get(kind="connect")

    bob = Client()
    bob.force_login(cast.bob)
    page = bob.get("/connections/")
    assert [c.pk for c in page.context["incoming"]] == [request.pk]
    assert b"Accept connection" in bob.get("/people/alice/").content
    response = bob.post(f"/connections/{request.pk}/respond/", {"decision": "accept"})
    assert response.status_code == 302
    page = bob.get("/connections/")
    assert page.context["incoming"] == []
    assert page.context["mutual"] == [cast.alice]
    assert client.get("/connections/").context["mutual"] == [cast.bob]
    assert b"Connected" in client.get("/people/bob/").content


def test_the_sender_cannot_accept_their_own_request(cast: Cast, client: Client) -> None:
    request = check_request_connection(cast.alice, cast.bob)
    client.force_login(cast.alice)
    response = client.post(f"/connections/{request.pk}/respond/", {"decision": "accept"})
    assert response.status_code == 403
    assert b"Only the person asked can answer this request." in response.content
    request.refresh_from_db()
    assert request.status == "pending"


def test_others_cannot_see_or_answer_a_request(cast: Cast, client: Client) -> None:
    request = check_request_connection(cast.alice, cast.bob)
    client.force_login(cast.sam)
    response = client.post(f"/connections/{request.pk}/respond/", {"decision": "accept"})
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"


def test_a_bad_decision_is_refused(cast: Cast, client: Client) -> None:
    request = check_request_connection(cast.alice, cast.bob)
    client.force_login(cast.bob)
    response = client.post(f"/connections/{request.pk}/respond/", {"decision": "maybe"})
    assert response.status_code == 400
    assert b"Choose accept or decline." in response.content
    request.refresh_from_db()
    assert request.status == "pending"


@pytest.mark.parametrize("rows", [1, 5])
def test_connections_page_query_count_is_pinned(
    cast: Cast, client: Client, django_assert_num_queries: DjangoAssertNumQueries, rows: int
) -> None:
    for i in range(rows):
        incoming = make_member(f"in{i}", Member.Role.CUSTOMER)
        outgoing = make_member(f"out{i}", Member.Role.CUSTOMER)
        friend = make_member(f"friend{i}", Member.Role.CUSTOMER)
        check_request_connection(incoming, cast.alice)
        check_request_connection(cast.alice, outgoing)
        check_respond_to_connection(
            cast.alice, check_request_connection(friend, cast.alice), accept=True
        )
    client.force_login(cast.alice)
    # session, viewer, incoming, outgoing, mutual, unread notifications (nav).
    with django_assert_num_queries(6):
        response = client.get("/connections/")
    assert len(response.context["incoming"]) == rows
    assert len(response.context["outgoing"]) == rows
    assert len(response.context["mutual"]) == rows
