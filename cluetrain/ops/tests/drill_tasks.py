"""Tasks for the drills only: they wait on a file, so a test can act while one is running."""

import time
from pathlib import Path

from django_tasks import task

from cluetrain.notifications.tasks import send_post_notifications

GATE_TIMEOUT = 60.0


def wait_for(path: Path) -> None:
    deadline = time.monotonic() + GATE_TIMEOUT
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} never appeared")
        time.sleep(0.05)


@task(priority=10)  # before the tasks the setup queued
def notify_after_gate(post_id: int, gate: str) -> None:
    """Say it started, wait for the gate to open, then send the post's notifications."""
    Path(f"{gate}.started").touch()
    wait_for(Path(gate))
    send_post_notifications.call(post_id)
