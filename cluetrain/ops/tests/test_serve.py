"""What `cluetrain serve` says at start-up about where background tasks run."""

from pathlib import Path

from pytest_django.fixtures import Settings

from cluetrain.ops.management.commands.serve import background_tasks_line, generated_key_line


def test_the_console_says_where_background_tasks_run() -> None:
    assert background_tasks_line("database", run_worker=True) == "a worker beside the server"
    # --no-worker with the database queue: tasks are queued and wait for `cluetrain worker`,
    # they are not run in the request (the console said "in-request" before).
    no_worker = background_tasks_line("database", run_worker=False)
    assert "queued" in no_worker
    assert "cluetrain worker" in no_worker
    assert background_tasks_line("immediate", run_worker=False) == "in-request"


def test_the_console_says_when_the_secret_key_was_generated(settings: Settings) -> None:
    settings.DATA_DIR = Path("/srv/cluetrain/var")
    settings.SECRET_KEY_GENERATED = True
    line = generated_key_line("postgresql")
    assert line is not None
    assert str(Path("/srv/cluetrain/var/secret_key")) in line
    assert "SECRET_KEY" in line
    settings.SECRET_KEY_GENERATED = False
    assert generated_key_line("postgresql") is None


def test_the_demo_on_sqlite_is_not_told_to_set_a_secret_key(settings: Settings) -> None:
    # A SQLite database is this machine's file: no second server can share it, and the
    # zero-config demo's visitor has nothing to act on (`check --deploy` still warns).
    settings.SECRET_KEY_GENERATED = True
    assert generated_key_line("sqlite") is None
