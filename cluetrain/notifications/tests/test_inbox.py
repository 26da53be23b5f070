from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from cluetrain.core.sentences import Sentence
from cluetrain.notifications.actions import do_notify
from cluetrain.notifications.models import Notification
from cluetrain.threads.actions import do_create_thread
from conftest import Cast, Places


def _notify(
    recipient_id: int,
    key: str,
    minutes_ago: int,
    *,
    text: str,
    actor_id: int | None = None,
    thread_id: int | None = None,
) -> None:
    do_notify(
        recipient_id=recipient_id,
        kind="follow",
        dedupe_key=key,
        actor_id=actor_id,
        thread_id=thread_id,
        sentence=Sentence(text),
    )
    Notification.objects.filter(dedupe_key=key).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )


def test_inbox_lists_own_notifications_newest_first_with_links(
    cast: Cast, places: Places, client: Client
) -> None:
    thread = do_create_thread(cast.bob, places.forum, title="Hi", body_md="x", kind="discussion")
    _notify(cast.alice.pk, "old", 30, actor_id=cast.bob.pk, text="Bob Baker started following you")
    _notify(cast.alice.pk, "new", 5, actor_id=cast.bob.pk, thread_id=thread.pk, text="In thread")
    _notify(cast.bob.pk, "not-mine", 1, text="For Bob")
    client.force_login(cast.alice)
    response = client.get("/notifications/")
    assert response.status_code == 200
    assert [n.dedupe_key for n in response.context["page"].object_list] == ["new", "old"]
    content = response.content.decode()
    assert f'<a href="/t/{thread.pk}/">In thread</a>' in content
    assert '<a href="/people/bob/">Bob Baker started following you</a>' in content
    assert "For Bob" not in content
    assert content.count('<span class="badge">New</span>') == 2
    assert "Mark all read" in content


def test_mark_all_read(cast: Cast, client: Client) -> None:
    _notify(cast.alice.pk, "a", 3, text="one")
    _notify(cast.alice.pk, "b", 2, text="two")
    _notify(cast.bob.pk, "c", 1, text="bob's")
    client.force_login(cast.alice)
    response = client.post("/notifications/read/")
    assert response.status_code == 302
    assert response["Location"] == "/notifications/"
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
    page = client.get("/notifications/")
    assert b"Marked 2 notifications read." in page.content
    assert b'<span class="badge">New</span>' not in page.content


def test_mark_all_read_needs_post(cast: Cast, client: Client) -> None:
    _notify(cast.alice.pk, "a", 3, text="one")
    client.force_login(cast.alice)
    assert client.get("/notifications/read/").status_code == 405
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_inbox_needs_login(client: Client) -> None:
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/notifications/"


def test_nav_shows_the_unread_count(cast: Cast, client: Client) -> None:
    _notify(cast.alice.pk, "a", 3, text="one")
    _notify(cast.alice.pk, "b", 2, text="two")
    client.force_login(cast.alice)
    assert b'Notifications <span class="badge">2</span>' in client.get("/people/").content


@pytest.mark.parametrize("rows", [1, 12])
def test_inbox_query_count_is_pinned(
    cast: Cast, client: Client, django_assert_num_queries: DjangoAssertNumQueries, rows: int
) -> None:
    for i in range(rows):
        _notify(cast.alice.pk, f"k{i}", i, actor_id=cast.bob.pk, text=f"n{i}")
    client.force_login(cast.alice)
    # session, viewer, count, page with actors, unread count (nav).
    with django_assert_num_queries(5):
        response = client.get("/notifications/")
    assert len(response.context["page"].object_list) == rows
