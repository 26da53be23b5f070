"""Drills on a served site whose database goes away: pages answer 503 and come back alone.

PostgreSQL: a private server (private_postgres.py, never the machine's shared one) is stopped
while `cluetrain serve` serves pages and its worker is in the middle of a task, then started
again. SQLite: another process holds the write lock longer than the busy timeout.
"""

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import closing
from http.cookiejar import CookieJar
from pathlib import Path

import psycopg
import pytest

from cluetrain.ops.tests.conftest import CLUETRAIN, _base_env, cluetrain
from cluetrain.ops.tests.drill_tasks import wait_for
from cluetrain.ops.tests.private_postgres import PrivatePostgres, free_port
from cluetrain.ops.tests.test_drills import DONE, NOTIFICATIONS, SETUP, TASKS

FRIENDLY = "We are back in a moment"


class Site:
    """`cluetrain serve` on a free port (gunicorn and its worker), and a browser-like client."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # A file, not a pipe: the access log writes a line per request, and a pipe nobody reads
        # until the end would fill up and stop the server mid-drill.
        self.output = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            [CLUETRAIN, "serve", "--no-migrate", "--port", str(self.port),
             "--workers", "1", "--threads", "2"],
            env=env, stdout=self.output, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,  # its own process group: gunicorn and the worker go with it
        )  # fmt: skip
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str, data: bytes | None = None) -> tuple[int, dict[str, str], str]:
        request = urllib.request.Request(self.base + path, data=data)  # noqa: S310 - local
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def wait_until(self, path: str, status: int, seconds: float) -> float:
        """Seconds until `path` answers `status`."""
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            assert self.process.poll() is None, self.stop()
            try:
                if self.get(path)[0] == status:
                    return time.monotonic() - started
            except (urllib.error.URLError, OSError):
                pass  # not listening yet, or the first request still loading on a busy machine
            time.sleep(0.3)
        raise AssertionError(f"{path} never answered {status}: {self.get(path)[:1]}")

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        self.output.seek(0)
        return self.output.read()


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    server = PrivatePostgres()
    try:
        server.start()
        yield server
    finally:
        server.close()


SITES: list[Site] = []


@pytest.fixture(autouse=True)
def _no_site_left_behind() -> Iterator[None]:
    yield
    while SITES:
        site = SITES.pop()
        # The whole group: killing `serve` alone would leave gunicorn and the worker behind.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(site.process.pid, signal.SIGKILL)
        site.process.wait()
        site.output.close()


def _serve(env: dict[str, str]) -> Site:
    site = Site(env)
    SITES.append(site)
    site.wait_until("/", 200, seconds=240)
    return site


def _assert_unavailable(site: Site) -> None:
    status, headers, page = site.get("/")
    assert status == 503, page[:500]
    assert FRIENDLY in page
    assert 'class="topbar"' in page  # the site's layout
    assert headers["Retry-After"] == "30"
    status, headers, body = site.get("/api/spaces")
    assert status == 503
    assert json.loads(body)["error"]["code"] == "unavailable"
    assert headers["Retry-After"] == "30"


def test_postgresql_restarted_while_serving_and_running_a_task(
    private_postgres: PrivatePostgres, tmp_path: Path
) -> None:
    with psycopg.connect(f"{private_postgres.url}/postgres", autocommit=True) as conn:
        conn.execute("CREATE DATABASE drill")
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    database_url = f"{private_postgres.url}/drill"
    env = {**_base_env(data_dir), "DATABASE_URL": database_url, "LISTENING_ENRICH": "0"}
    cluetrain(env, "migrate", "--no-input", "-v", "0")
    gate = tmp_path / "gate"
    cluetrain(env, "shell", "-c", SETUP.format(gate=gate))

    site = _serve(env)
    wait_for(Path(f"{gate}.started"))  # the worker is in the middle of a task
    private_postgres.stop()
    _assert_unavailable(site)
    gate.touch()  # the task goes on while the database is down, and fails to write
    time.sleep(3)
    _assert_unavailable(site)

    private_postgres.start()
    site.wait_until("/", 200, seconds=120)  # by itself: nothing is restarted
    assert site.get("/api/spaces")[0] == 200

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with psycopg.connect(database_url) as conn:
            statuses = [row[0] for row in conn.execute(TASKS).fetchall()]
            notifications = [list(row) for row in conn.execute(NOTIFICATIONS).fetchall()]
        if statuses and all(status == "SUCCESSFUL" for status in statuses):
            break
        time.sleep(0.5)
    output = site.stop()
    assert statuses, output
    assert all(status == "SUCCESSFUL" for status in statuses), (statuses, output)
    assert notifications == DONE  # nothing lost, nothing twice
    assert "Database unavailable" in output  # said in the console, with the request's path


def test_sqlite_locked_longer_than_the_busy_timeout(tmp_path: Path) -> None:
    # Its own SQLite instance, whichever database the suite runs on.
    env = {**_base_env(tmp_path), "LISTENING_ENRICH": "0"}
    cluetrain(env, "migrate", "--no-input", "-v", "0")
    cluetrain(
        env, "shell", "-c",
        "from cluetrain.members.models import Member; "
        "Member.objects.create_user('alice', password='x-Long-pass-1', display_name='Alice')",
    )  # fmt: skip
    site = _serve(env)
    status, _, page = site.get("/accounts/login/")
    assert status == 200
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    form = f"csrfmiddlewaretoken={token}&username=alice&password=x-Long-pass-1".encode()

    path = Path(env["CLUETRAIN_DATA_DIR"]) / "cluetrain.sqlite3"
    with closing(sqlite3.connect(path, timeout=30)) as holder:
        holder.execute("BEGIN IMMEDIATE")  # signing in writes a session: it waits, then gives up
        status, headers, page = site.get("/accounts/login/", data=form)
        holder.rollback()
    assert status == 503, page[:500]
    assert FRIENDLY in page
    assert headers["Retry-After"] == "30"

    status, _, page = site.get("/accounts/login/", data=form)  # the lock is gone
    assert status == 200
    assert "Log out" in page
    assert "database is locked" in site.stop()
