"""The real worker runs queued tasks from the database; running one twice is harmless."""

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management.base import OutputWrapper

from cluetrain.ops.management.commands import serve

CLUETRAIN = str(Path(sys.executable).parent / "cluetrain")

SETUP = """
from cluetrain.members.models import Member, Profile
from cluetrain.spaces.models import Space
from cluetrain.threads.actions import check_create_thread, check_reply
alice = Member.objects.create_user("alice", password="x-Long-pass-1", display_name="Alice")
bob = Member.objects.create_user("bob", password="x-Long-pass-1", display_name="Bob")
space = Space.objects.create(name="General", slug="general")
thread = check_create_thread(alice, space, title="Hub offline", body_md="Since Tuesday.")
check_reply(bob, thread, body_md="Same here, @alice.")
"""

STATE = """
import json
from django_tasks_db.models import DBTaskResult
from cluetrain.listening.models import Enrichment
from cluetrain.notifications.models import Notification
print(json.dumps({
    "enriched": Enrichment.objects.count(),
    "notifications": sorted(Notification.objects.values_list("recipient__username", "kind")),
    "tasks": sorted(DBTaskResult.objects.values_list("status", flat=True)),
}))
"""

REQUEUE = """
from cluetrain.notifications.tasks import send_post_notifications
from cluetrain.threads.models import Post
for post in Post.objects.all():
    send_post_notifications.enqueue(post.pk)
"""


@pytest.fixture
def worker_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {**os.environ, "CLUETRAIN_DATA_DIR": str(tmp_path), "TASK_BACKEND": "database"}
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("postgresql"):
        name = "cluetrain_worker_test"
        admin_url = (
            f"postgresql://{database['USER']}@{database['HOST']}:{database['PORT']}/postgres"
        )
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        env["DATABASE_URL"] = admin_url.rsplit("/", 1)[0] + f"/{name}"
        yield env
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    else:
        env.pop("DATABASE_URL", None)
        yield env


def _cluetrain(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own command line
        [CLUETRAIN, *args], env=env, capture_output=True, text=True, check=False, timeout=600
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _state(env: dict[str, str]) -> dict[str, object]:
    state: dict[str, object] = json.loads(_cluetrain(env, "shell", "--no-imports", "-c", STATE))
    return state


def test_worker_runs_queued_tasks_once(worker_env: dict[str, str]) -> None:
    _cluetrain(worker_env, "migrate", "--no-input", "-v", "0")
    _cluetrain(worker_env, "shell", "-c", SETUP)
    # Each message queues its notifications and a listening pass (and whatever else other
    # apps subscribe to its event): all waiting for the worker.
    queued = _state(worker_env)
    tasks = queued.pop("tasks")
    assert isinstance(tasks, list)
    assert queued == {"enriched": 0, "notifications": []}
    assert len(tasks) >= 4
    assert set(tasks) == {"READY"}

    _cluetrain(worker_env, "worker", "--batch", "--interval", "0.1")
    done = _state(worker_env)
    finished = done.pop("tasks")
    assert isinstance(finished, list)
    assert done == {"enriched": 2, "notifications": [["alice", "mention"], ["alice", "reply"]]}
    # Every task ran (some queue follow-ups of their own, which ran too).
    assert len(finished) >= len(tasks)
    assert set(finished) == {"SUCCESSFUL"}

    # The same tasks delivered again write nothing new.
    _cluetrain(worker_env, "shell", "-c", REQUEUE)
    _cluetrain(worker_env, "worker", "--batch", "--interval", "0.1")
    again = _state(worker_env)
    assert again == {**done, "tasks": ["SUCCESSFUL"] * (len(finished) + 2)}


def test_worker_refuses_to_start_with_in_process_tasks(worker_env: dict[str, str]) -> None:
    env = {**worker_env, "TASK_BACKEND": "immediate"}
    result = subprocess.run(  # noqa: S603 - our own command line
        [CLUETRAIN, "worker", "--batch"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "TASK_BACKEND=database" in result.stderr


def test_serve_restarts_a_worker_that_exits(capsys: pytest.CaptureFixture[str]) -> None:
    log = OutputWrapper(sys.stderr)
    # A "worker" that dies at once, every time.
    supervised = serve.Supervised([sys.executable, "-c", "raise SystemExit(3)"], {}, log)
    pids: list[int] = []
    deadline = time.monotonic() + 30
    while len(pids) < 3 and time.monotonic() < deadline:
        supervised.keep_running()
        if supervised.process is not None and supervised.process.pid not in pids:
            pids.append(supervised.process.pid)
        time.sleep(0.1)
    assert len(pids) == 3, "started again after each exit"
    messages = capsys.readouterr().err
    assert "The background worker stopped (exit code 3); restarting it in 2 s." in messages
    # Quick exits in a row wait longer each time (no busy restart loop).
    assert "restarting it in 4 s." in messages
    assert supervised.process is not None
    supervised.process.wait()
