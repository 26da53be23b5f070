"""Found #7: rate limits are one conditional write, so concurrency cannot beat them."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import close_old_connections, connection
from pytest_django.fixtures import Settings

from cluetrain.core.errors import ActionError
from cluetrain.core.models import RateCounter
from cluetrain.core.ratelimit import do_reset, do_take, seconds_left, used, window_start
from cluetrain.members.models import Member
from cluetrain.spaces.models import Space
from cluetrain.threads.actions import check_create_thread, check_reply
from cluetrain.threads.models import Post
from conftest import Cast, Places, make_member

MINUTE = timedelta(minutes=1)


def test_windows_are_fixed_and_aligned() -> None:
    now = datetime(2026, 5, 4, 10, 7, 42, tzinfo=UTC)
    assert window_start(MINUTE, now) == datetime(2026, 5, 4, 10, 7, tzinfo=UTC)
    assert window_start(timedelta(minutes=15), now) == datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    assert seconds_left(MINUTE, now) == 18


@pytest.mark.django_db
def test_take_counts_up_to_the_limit_then_refuses_without_counting() -> None:
    now = datetime(2026, 5, 4, 10, 7, 42, tzinfo=UTC)
    assert [do_take("k", limit=3, window=MINUTE, now=now) for _ in range(5)] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert used("k", window=MINUTE, now=now) == 3
    assert do_take("other", limit=3, window=MINUTE, now=now)
    # A new window starts from zero and drops the key's old rows.
    later = now + MINUTE
    assert do_take("k", limit=3, window=MINUTE, now=later)
    assert RateCounter.objects.filter(key="k").count() == 1
    assert do_reset("k") == 1
    assert used("k", window=MINUTE, now=later) == 0


def test_posting_limit_counts_threads_and_replies(
    cast: Cast, places: Places, settings: Settings
) -> None:
    settings.POST_RATE_LIMIT_PER_MINUTE = 3
    thread = check_create_thread(cast.alice, places.forum, title="One", body_md="x")
    check_reply(cast.alice, thread, body_md="two")
    check_reply(cast.alice, thread, body_md="three")
    with pytest.raises(ActionError) as refused:
        check_reply(cast.alice, thread, body_md="four")
    assert refused.value.status == 429
    assert "posting too fast" in refused.value.message
    # Another member has a limit of their own; moderators have none.
    check_reply(cast.bob, thread, body_md="bob")
    for _ in range(5):
        check_reply(cast.maya, thread, body_md="maya")


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_by_one_member_never_pass_the_limit(settings: Settings) -> None:
    """Found #7: 50 concurrent posts created 11 with a limit of 8 (count, then insert)."""
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL (SQLite serializes every write)")
    settings.POST_RATE_LIMIT_PER_MINUTE = 8
    settings.LISTENING_ENRICH = False
    alice = make_member("alice", Member.Role.CUSTOMER)
    forum = Space.objects.create(name="General", slug="general", kind=Space.Kind.FORUM)
    thread = check_create_thread(
        make_member("bob", Member.Role.CUSTOMER), forum, title="T", body_md="x"
    )
    start = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def post(n: int) -> None:
        try:
            start.wait()
            try:
                check_reply(alice, thread, body_md=f"reply {n}")
                outcome = "posted"
            except ActionError as error:
                outcome = str(error.status)
            with lock:
                outcomes.append(outcome)
        finally:
            close_old_connections()
            connection.close()

    workers = [threading.Thread(target=post, args=(n,)) for n in range(20)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(outcomes) == ["429"] * 12 + ["posted"] * 8
    assert Post.objects.filter(author=alice).count() == 8
