"""scripts/demo builds the demo with links to the address it then serves on.

The script runs for real in a copy of the repository's layout whose `scripts/setup` and
`.venv/bin/cluetrain` only record how they were called.
"""

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "demo"

RECORDER = """#!/usr/bin/env bash
echo "$1 SITE_URL=${SITE_URL:-} PORT=${PORT:-} HOST=${CLUETRAIN_HOST:-} \\
ACCESS_LOG=${ACCESS_LOG-unset} ARGS=${*:2}" >> calls.txt
"""
RECORDED = {"SITE_URL", "PORT", "CLUETRAIN_HOST", "ACCESS_LOG"}


def _run_demo(tmp_path: Path, *args: str, **env: str) -> list[str]:
    (tmp_path / "scripts").mkdir()
    shutil.copy(SCRIPT, tmp_path / "scripts" / "demo")
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    for stub in [tmp_path / "scripts" / "setup", tmp_path / ".venv" / "bin" / "cluetrain"]:
        stub.write_text(RECORDER)
        stub.chmod(stub.stat().st_mode | stat.S_IXUSR)
    clean = {k: v for k, v in os.environ.items() if k not in RECORDED}
    subprocess.run(  # noqa: S603 - the repository's own script, no shell
        [str(tmp_path / "scripts" / "demo"), *args], env={**clean, **env}, check=True, timeout=30
    )
    return (tmp_path / "calls.txt").read_text().splitlines()


@pytest.mark.parametrize(
    ("args", "site_url"),
    [
        ((), "http://127.0.0.1:8000"),
        (("--port", "8791"), "http://127.0.0.1:8791"),
        (("--port=8791", "--workers", "1"), "http://127.0.0.1:8791"),
        (("--host", "localhost", "--port", "9000"), "http://localhost:9000"),
        (("--host", "0.0.0.0", "--port", "9000"), "http://127.0.0.1:9000"),  # noqa: S104
        (("--host=::1",), "http://[::1]:8000"),
    ],
)
def test_the_demo_links_to_the_address_it_serves_on(
    tmp_path: Path, args: tuple[str, ...], site_url: str
) -> None:
    build, serve = [
        call for call in _run_demo(tmp_path, *args) if call.startswith(("demo", "serve"))
    ]
    assert build.startswith(f"demo SITE_URL={site_url} ")
    assert serve.startswith(f"serve SITE_URL={site_url} ")
    assert serve.endswith(" ".join(args))


def test_a_site_url_the_user_set_is_kept(tmp_path: Path) -> None:
    calls = _run_demo(tmp_path, "--port", "8791", SITE_URL="https://demo.example.com")
    assert [call.split()[1] for call in calls if call.startswith(("demo", "serve"))] == [
        "SITE_URL=https://demo.example.com"
    ] * 2


def test_the_port_setting_is_followed_without_a_port_argument(tmp_path: Path) -> None:
    calls = _run_demo(tmp_path, PORT="8123")
    assert "demo SITE_URL=http://127.0.0.1:8123 PORT=8123 " in "\n".join(calls) + " "


def test_the_demo_serves_without_an_access_log_unless_one_is_asked_for(tmp_path: Path) -> None:
    # A line per request (and per stylesheet) scrolled the demo's log-ins off the console.
    serve = [call for call in _run_demo(tmp_path) if call.startswith("serve")]
    assert " ACCESS_LOG=off " in serve[0]
    asked = tmp_path / "asked"
    asked.mkdir()
    serve = [call for call in _run_demo(asked, ACCESS_LOG="-") if call.startswith("serve")]
    assert " ACCESS_LOG=- " in serve[0]
