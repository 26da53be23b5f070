"""The lab plugs into the `cluetrain` command line when installed; its pages only on request."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

LAB_COMMANDS = {"eval", "bench", "bench_text", "bench_graph", "bench_import", "train_text"}
ROOT = Path(__file__).resolve().parents[3]


def _resolve_in_a_fresh_process(path: str, tmp_path: Path, **env: str) -> str:
    # The URLs are fixed when the settings load: a process of its own reads the environment.
    script = (
        "import django; django.setup()\n"
        "from django.urls import Resolver404, resolve\n"
        "try:\n"
        f"    match = resolve({path!r})\n"
        "    print(match.func.__module__ + '.' + match.func.__name__)\n"
        "except Resolver404:\n"
        "    print('404')\n"
    )
    base = {k: v for k, v in os.environ.items() if k != "BENCH_VIEWS"}
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", script],
        env=base
        | {"DJANGO_SETTINGS_MODULE": "cluetrain.settings", "CLUETRAIN_DATA_DIR": str(tmp_path)}
        | env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_the_installed_lab_is_an_app_and_owns_its_commands() -> None:
    assert "cluetrain_lab" in settings.INSTALLED_APPS
    commands = get_commands()
    assert {name: commands.get(name) for name in LAB_COMMANDS} == dict.fromkeys(
        LAB_COMMANDS, "cluetrain_lab"
    )


def test_the_command_line_lists_the_lab_commands() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cluetrain.cli", "help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    section = done.stdout.split("[cluetrain_lab]", 1)[1].split("[", 1)[0]
    assert set(section.split()) == LAB_COMMANDS


def test_bench_views_are_served_only_when_asked_for(tmp_path: Path) -> None:
    assert _resolve_in_a_fresh_process("/bench/bare/", tmp_path) == "404"
    assert _resolve_in_a_fresh_process("/bench/bare/", tmp_path, BENCH_VIEWS="false") == "404"
    assert (
        _resolve_in_a_fresh_process("/bench/layout/", tmp_path, BENCH_VIEWS="true")
        == "cluetrain_lab.bench.views.layout"
    )
