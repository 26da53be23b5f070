"""`cluetrain check --deploy` on a site whose SECRET_KEY was generated into its data folder."""

import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

from django.core.checks import run_checks
from pytest_django.fixtures import Settings

from conftest import child_environment

ROOT = Path(__file__).resolve().parents[3]


def _environment(data_dir: Path, **overrides: str) -> dict[str, str]:
    """A production environment (docs/settings.md), less everything else Cluetrain reads."""
    production = {
        "DEBUG": "false",
        "SITE_URL": "https://community.example.com",
        "ALLOWED_HOSTS": "community.example.com",
    }
    return child_environment(data_dir) | production | overrides


def _check(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, str(ROOT / "manage.py"), "check", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_warns_when_the_secret_key_was_generated(tmp_path: Path) -> None:
    generated = _check(_environment(tmp_path), "--deploy", "--fail-level", "WARNING")
    assert generated.returncode != 0
    assert "cluetrain.W001" in generated.stderr
    assert str(tmp_path / "secret_key") in generated.stderr
    assert "SECRET_KEY" in generated.stderr
    # The zero-config site (the demo) still starts: a plain check says nothing.
    assert _check(_environment(tmp_path), "--fail-level", "WARNING").returncode == 0
    key = secrets.token_urlsafe(64)
    for named in ({"SECRET_KEY": key}, {"SECRET_KEY_FILE": str(tmp_path / "secret_key")}):
        result = _check(_environment(tmp_path, **named), "--deploy", "--fail-level", "WARNING")
        assert result.returncode == 0, result.stderr
        assert "cluetrain.W001" not in result.stderr


def test_the_warning_follows_the_setting(settings: Settings) -> None:
    settings.SECRET_KEY_GENERATED = True
    found = run_checks(include_deployment_checks=True)
    assert [message.id for message in found if message.id == "cluetrain.W001"] == ["cluetrain.W001"]
    settings.SECRET_KEY_GENERATED = False
    assert "cluetrain.W001" not in {m.id for m in run_checks(include_deployment_checks=True)}


def _readme_production_environment() -> dict[str, str]:
    """The variables the README's production section exports, as an operator copies them."""
    section = (ROOT / "README.md").read_text().split("## Running in production", 1)[1]
    exported: dict[str, str] = {}
    for line in section.split("## ", 1)[0].splitlines():
        if line.startswith("export "):
            words = shlex.split(line, comments=True)[1:]
            exported |= dict(word.split("=", 1) for word in words)
    return exported


def test_the_readmes_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    readme = _readme_production_environment()
    assert readme["SECRET_KEY"] == "..."  # the reader fills it in
    assert readme["SITE_URL"].startswith("https://")
    env = _environment(tmp_path) | readme
    env |= {"SECRET_KEY": secrets.token_urlsafe(64), "CLUETRAIN_DATA_DIR": str(tmp_path)}
    result = _check(env, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    # Forgetting the key is the one thing left to warn about.
    del env["SECRET_KEY"]
    result = _check(env, "--deploy", "--fail-level", "WARNING")
    assert re.findall(r"\((\S+\.[WE]\d+)\)", result.stderr) == ["cluetrain.W001"]
