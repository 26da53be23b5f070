"""A long export must not hold SQLite's write lock: it reads a snapshot made by the backup API."""

import sqlite3
import threading
from contextlib import closing

import pytest
from django.db import connection, connections

from cluetrain.exports.instance import SNAPSHOT_ALIAS, _snapshot
from cluetrain.members.models import Member


def _sign_up_in_another_thread(username: str) -> BaseException | None:
    """What the site does meanwhile: a write on a connection of its own."""
    errors: list[BaseException] = []

    def write() -> None:
        try:
            Member.objects.create_user(username, password="x-Long-pass-1")
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=write)
    thread.start()
    thread.join(timeout=30)
    return errors[0] if errors else None


@pytest.mark.django_db(transaction=True)
def test_sqlite_export_reads_a_snapshot_and_leaves_writers_alone() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's REPEATABLE READ snapshot holds no write lock anyway")
    Member.objects.create_user("alice", password="x-Long-pass-1")
    with _snapshot() as alias:
        assert alias == SNAPSHOT_ALIAS
        assert not connection.in_atomic_block  # no transaction, so no lock, is held
        assert _sign_up_in_another_thread("bob") is None
        # The export reads the moment it started at. (Read here without Django: the test
        # framework allows no connection to an alias it did not set up.)
        with closing(sqlite3.connect(connections.settings[alias]["NAME"])) as snapshot:
            rows = snapshot.execute("SELECT username FROM members_member").fetchall()
        assert rows == [("alice",)]
    assert sorted(Member.objects.values_list("username", flat=True)) == ["alice", "bob"]
    assert SNAPSHOT_ALIAS not in connections.settings
