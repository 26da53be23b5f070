"""`cluetrain backup` and `cluetrain restore`: a round trip, on the database the suite runs on."""

import json
import subprocess
from pathlib import Path

from cluetrain.ops.tests.conftest import CLUETRAIN, Instances, cluetrain

SETUP = """
from cluetrain.members.models import Member
from cluetrain.spaces.models import Space
from cluetrain.threads.actions import check_create_thread, check_reply
alice = Member.objects.create_user("alice", password="x-Long-pass-1", display_name="Alice")
bob = Member.objects.create_user("bob", password="x-Long-pass-1", display_name="Bob")
space = Space.objects.create(name="General", slug="general")
thread = check_create_thread(alice, space, title="Hub offline", body_md="Since Tuesday.")
check_reply(bob, thread, body_md="Same here, @alice.")
"""

LATER = """
from cluetrain.members.models import Member
from cluetrain.spaces.models import Space
from cluetrain.threads.actions import check_create_thread
bob = Member.objects.get(username="bob")
check_create_thread(bob, Space.objects.get(), title="After the backup", body_md="Undone.")
"""

STATE = """
import json
from django.contrib.auth import authenticate
from cluetrain.notifications.models import Notification
from cluetrain.threads.models import Post, Thread
print(json.dumps({
    "threads": sorted(Thread.objects.values_list("title", flat=True)),
    "posts": sorted(Post.objects.values_list("body_md", flat=True)),
    "notifications": sorted(Notification.objects.values_list("recipient__username", "kind")),
    "alice_logs_in": authenticate(username="alice", password="x-Long-pass-1") is not None,
}))
"""


def _state(env: dict[str, str]) -> dict[str, object]:
    state: dict[str, object] = json.loads(cluetrain(env, "shell", "--no-imports", "-c", STATE))
    return state


def _fails(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own command line
        [CLUETRAIN, *args], env=env, capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 1, result.stdout
    return result.stderr


def test_backup_and_restore_round_trip(instances: Instances, tmp_path: Path) -> None:
    site = {**instances.new(), "TASK_BACKEND": "immediate", "LISTENING_ENRICH": "0"}
    cluetrain(site, "shell", "-c", SETUP)
    before = _state(site)
    assert before["notifications"] == [["alice", "mention"], ["alice", "reply"]]

    # The export reads a snapshot (SQLite: made by the backup API) and sees all of it.
    cluetrain(site, "export", str(tmp_path / "export"))
    manifest = json.loads((tmp_path / "export" / "manifest.json").read_text())
    rows = {entry["model"]: entry["rows"] for entry in manifest["files"]}
    assert (rows["threads.thread"], rows["threads.post"], rows["members.member"]) == (1, 2, 2)

    backup = tmp_path / "backup"
    assert "Backed up the" in cluetrain(site, "backup", str(backup))
    info = json.loads((backup / "backup.json").read_text())
    assert (backup / info["file"]).stat().st_mode & 0o777 == 0o600
    assert "not empty" in _fails(site, "backup", str(backup))

    # Restoring over a database with content needs --replace, then undoes what came later.
    cluetrain(site, "shell", "-c", LATER)
    assert _state(site) != before
    assert "--replace" in _fails(site, "restore", str(backup))
    cluetrain(site, "restore", str(backup), "--replace")
    assert _state(site) == before

    # Into a new, empty database (a new file, or a new PostgreSQL database).
    elsewhere = {**instances.new(migrated=False), "TASK_BACKEND": "immediate"}
    cluetrain(elsewhere, "restore", str(backup))
    assert _state(elsewhere) == before

    # A damaged backup is refused before anything is written.
    damaged = backup / info["file"]
    damaged.chmod(0o600)
    with damaged.open("r+b") as file:
        file.seek(100)
        file.write(b"\xff")
    assert "damaged" in _fails(elsewhere, "restore", str(backup), "--replace")
    assert _state(elsewhere) == before
