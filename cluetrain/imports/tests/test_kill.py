"""A real `kill -9` in the middle of an import, then a rerun, on a SQLite file of its own
(whichever database the rest of the suite runs on)."""

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.conf import settings

MANAGE = Path(settings.BASE_DIR) / "manage.py"
HEADER = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"


def twcs(conversations: int) -> str:
    """Conversations of three tweets, replies first as in twcs.csv."""
    rows = [HEADER]
    for n in range(conversations):
        root = 3 * n + 1
        customer = str(100000 + n)
        when = f"Tue Oct 31 {n % 24:02d}:{n % 60:02d}:%02d +0000 2017"
        rows.append(f"{root + 2},{customer},True,{when % 2},thanks {n},,{root + 1}\n")
        rows.append(f"{root + 1},brand,False,{when % 1},@{customer} on it,,{root}\n")
        rows.append(f"{root},{customer},True,{when % 0},help with order {n},,\n")
    return "".join(rows)


def manage(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CLUETRAIN_DATA_DIR": str(tmp_path),
    }
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(MANAGE), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_kill_9_mid_batch_then_rerun_completes_without_duplicates(tmp_path: Path) -> None:
    data = tmp_path / "twcs.csv"
    data.write_text(twcs(200))
    assert manage(tmp_path, "migrate", "-v0").returncode == 0

    killed = manage(
        tmp_path, "import", "twcs", str(data), "--batch-size", "100", "--kill-in-batch", "3"
    )
    assert killed.returncode == -signal.SIGKILL
    db = sqlite3.connect(tmp_path / "db.sqlite3")
    assert db.execute("SELECT count(*) FROM threads_post").fetchone() == (200,)

    rerun = manage(tmp_path, "import", "twcs", str(data), "--batch-size", "100", "-v0")

    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout == '{"read": 600, "imported": 400, "duplicates": 200, "errors": 0}\n'
    counts = db.execute(
        "SELECT (SELECT count(*) FROM threads_post), (SELECT count(DISTINCT external_id)"
        " FROM threads_post), (SELECT count(*) FROM threads_thread),"
        " (SELECT count(*) FROM search_searchentry WHERE kind = 'post'),"
        " (SELECT count(*) FROM imports_pendingreply)"
    ).fetchone()
    assert counts == (600, 600, 200, 600, 0)
    # Every thread: a root and two replies, counters from its posts.
    wrong = db.execute(
        "SELECT count(*) FROM threads_thread t WHERE reply_count != 2 OR last_activity_at !="
        " (SELECT max(created_at) FROM threads_post p WHERE p.thread_id = t.id)"
    ).fetchone()
    assert wrong == (0,)
