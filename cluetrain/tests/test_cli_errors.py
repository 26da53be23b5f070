"""A bad setting or an unreachable database stops the command line with one clear message."""

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import child_environment

ROOT = Path(__file__).resolve().parents[2]


def _cluetrain(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and module, fixed arguments
        [sys.executable, "-m", "cluetrain.cli", *args],
        env=child_environment(tmp_path) | env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be true or false, not 'maybe'"),
        ({"DATABASE_URL": "mysql://db/cluetrain"}, "DATABASE_URL must start with sqlite://"),
        ({"SECRET_KEY_FILE": "/nonexistent/key"}, "SECRET_KEY_FILE points to an unreadable"),
    ],
)
def test_a_bad_setting_is_one_message_without_a_traceback(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    result = _cluetrain(tmp_path, "migrate", **env)
    assert result.returncode == 2
    assert result.stderr.startswith(f"cluetrain: configuration error: {message}")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) <= 3


def test_a_database_that_cannot_be_reached_is_one_message(tmp_path: Path) -> None:
    # A SQLite file in a folder that does not exist cannot be opened.
    unreachable = f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}"
    result = _cluetrain(tmp_path, "migrate", DATABASE_URL=unreachable)
    assert result.returncode == 2
    assert result.stderr.startswith("cluetrain: database error: unable to open database file")
    assert "Traceback" not in result.stderr


def test_the_traceback_is_there_on_request(tmp_path: Path) -> None:
    result = _cluetrain(tmp_path, "migrate", "--traceback", DEBUG="maybe")
    assert result.returncode != 0
    assert "Traceback" in result.stderr
