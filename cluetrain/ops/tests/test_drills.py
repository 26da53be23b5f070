"""Drills on real `cluetrain worker` processes: killed mid-task, locked out, disconnected.

Each ends the same way: every queued task SUCCESSFUL and every notification there exactly once
(tasks are rerun, and running one twice writes nothing new).
"""

import json
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg
import pytest

from cluetrain.ops.tests.conftest import CLUETRAIN, Instances, cluetrain
from cluetrain.ops.tests.drill_tasks import wait_for

SETUP = """
from cluetrain.members.models import Member
from cluetrain.spaces.models import Space
from cluetrain.threads.actions import check_create_thread, check_reply
from cluetrain.ops.tests.drill_tasks import notify_after_gate
alice = Member.objects.create_user("alice", password="x-Long-pass-1", display_name="Alice")
bob = Member.objects.create_user("bob", password="x-Long-pass-1", display_name="Bob")
space = Space.objects.create(name="General", slug="general")
thread = check_create_thread(alice, space, title="Hub offline", body_md="Since Tuesday.")
reply = check_reply(bob, thread, body_md="Same here, @alice.")
notify_after_gate.enqueue(reply.pk, "{gate}")
"""

NOTIFICATIONS = (
    "SELECT m.username, n.kind FROM notifications_notification n"
    " JOIN members_member m ON m.id = n.recipient_id ORDER BY 1, 2"
)
TASKS = "SELECT status, task_path, worker_ids FROM django_tasks_database_dbtaskresult"

DONE = [["alice", "mention"], ["alice", "reply"]]
LEASE_SECONDS = "2"


def _query(env: dict[str, str], sql: str) -> list[tuple[Any, ...]]:
    """Read the instance's tables directly: polling through `cluetrain shell` is too slow."""
    if "DATABASE_URL" in env:
        with psycopg.connect(env["DATABASE_URL"]) as conn:
            return conn.execute(sql).fetchall()
    path = Path(env["CLUETRAIN_DATA_DIR"]) / "cluetrain.sqlite3"
    with closing(sqlite3.connect(path, timeout=30)) as conn:
        return conn.execute(sql).fetchall()


def _state(env: dict[str, str]) -> dict[str, Any]:
    tasks = _query(env, TASKS)
    return {
        "notifications": [list(row) for row in _query(env, NOTIFICATIONS)],
        "tasks": sorted(status for status, _, _ in tasks),
        "drill_claims": [
            len(json.loads(ids) if isinstance(ids, str) else ids)
            for _, path, ids in tasks
            if path.endswith("notify_after_gate")
        ],
    }


def _wait_until_done(env: dict[str, str], worker: subprocess.Popen[str], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert worker.poll() is None, f"the worker died: {worker.communicate()[0]}"
        tasks = _state(env)["tasks"]
        if tasks and all(status == "SUCCESSFUL" for status in tasks):
            return
        time.sleep(0.5)
    raise AssertionError(f"not done in {seconds} s: {_state(env)}")


@pytest.fixture
def drill(instances: Instances, tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An instance with a post whose notifications wait behind a gated task, and no worker."""
    env = {**instances.new(), "WORKER_LEASE_SECONDS": LEASE_SECONDS, "LISTENING_ENRICH": "0"}
    gate = tmp_path / "gate"
    cluetrain(env, "shell", "-c", SETUP.format(gate=gate))
    return env, gate


STARTED: list[subprocess.Popen[str]] = []


@pytest.fixture(autouse=True)
def _no_worker_left_behind() -> Iterator[None]:
    """A failed assertion must not leave a worker running after the test."""
    yield
    while STARTED:
        worker = STARTED.pop()
        if worker.poll() is None:
            worker.kill()
            worker.communicate()


def _start_worker(env: dict[str, str]) -> subprocess.Popen[str]:
    worker = subprocess.Popen(  # noqa: S603 - our own command line
        [CLUETRAIN, "worker", "--interval", "0.1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    STARTED.append(worker)
    return worker


def _stop(worker: subprocess.Popen[str]) -> str:
    worker.send_signal(signal.SIGTERM)
    output, _ = worker.communicate(timeout=30)
    return output


def test_a_worker_killed_mid_task_loses_nothing_and_repeats_nothing(
    drill: tuple[dict[str, str], Path],
) -> None:
    env, gate = drill
    first = _start_worker(env)
    wait_for(Path(f"{gate}.started"))
    first.kill()  # kill -9: no cleanup, the task stays RUNNING
    first.wait()
    assert "RUNNING" in _state(env)["tasks"]
    assert _state(env)["notifications"] == []

    gate.touch()
    second = _start_worker(env)
    # After the lease the task goes back to the queue; the second worker reruns it.
    _wait_until_done(env, second, seconds=90)
    output = _stop(second)
    assert "Took back tasks of stopped workers: 1 requeued" in output
    state = _state(env)
    assert state["drill_claims"] == [2]
    # The gated task and the reply's own notification task both notified: once in effect.
    assert state["notifications"] == DONE


def test_a_worker_rides_out_a_locked_sqlite_database(
    drill: tuple[dict[str, str], Path], instances: Instances
) -> None:
    if instances.postgresql:
        pytest.skip("SQLite's write lock")
    env, gate = drill
    worker = _start_worker(env)
    wait_for(Path(f"{gate}.started"))
    # Hold the write lock longer than the busy timeout (5 s) while the task needs to write.
    holder = sqlite3.connect(Path(env["CLUETRAIN_DATA_DIR"]) / "cluetrain.sqlite3")
    holder.execute("BEGIN IMMEDIATE")
    gate.touch()
    time.sleep(8)
    assert worker.poll() is None
    holder.rollback()
    holder.close()

    _wait_until_done(env, worker, seconds=90)
    output = _stop(worker)
    assert "database is locked" in output
    assert _state(env)["notifications"] == DONE


def test_a_worker_reconnects_after_postgresql_drops_its_connection(
    drill: tuple[dict[str, str], Path], instances: Instances
) -> None:
    if not instances.postgresql:
        pytest.skip("PostgreSQL's connections")
    env, gate = drill
    worker = _start_worker(env)
    wait_for(Path(f"{gate}.started"))
    name = env["DATABASE_URL"].rsplit("/", 1)[1]
    assert instances.admin_url is not None
    with psycopg.connect(instances.admin_url, autocommit=True) as conn:
        killed = conn.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s",
            [name],
        ).fetchone()
    assert killed is not None
    assert killed[0] >= 1  # the worker's main connection and its heartbeat's
    gate.touch()

    _wait_until_done(env, worker, seconds=90)
    output = _stop(worker)
    # The task met the dropped connection; the worker reconnected instead of dying.
    assert "Database unavailable" in output or "met a database error; requeued" in output
    assert _state(env)["notifications"] == DONE
