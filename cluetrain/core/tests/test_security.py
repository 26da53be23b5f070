"""Deployment hardening: check --deploy, HTTPS settings, the Content-Security-Policy, headers."""

import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from cluetrain.settings import _proxy_ssl_header
from conftest import PASSWORD, Cast, Places, child_environment

ROOT = Path(__file__).resolve().parents[3]


def _environment(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The test run's environment less everything Cluetrain reads, plus `overrides`."""
    return child_environment(tmp_path) | {"LISTENING_ENRICH": "false"} | overrides


def _production(tmp_path: Path, **overrides: str) -> dict[str, str]:
    return _environment(
        tmp_path,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        SITE_URL="https://community.example.com",
        ALLOWED_HOSTS="community.example.com",
        **overrides,
    )


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_in_a_production_configuration(tmp_path: Path) -> None:
    result = _manage(_production(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_https_is_turned_off(tmp_path: Path) -> None:
    # The yardstick: the same configuration with the HTTPS settings off is not clean.
    env = _production(tmp_path, SECURE_SSL_REDIRECT="false", SECURE_COOKIES="false")
    result = _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    for check in ("security.W008", "security.W012", "security.W016"):
        assert check in result.stderr


def _settings_of(env: dict[str, str], *names: str) -> list[str]:
    # The settings module alone, read afresh under `env` (no need to start Django).
    code = "import cluetrain.settings as s; " + "; ".join(f"print(repr(s.{n}))" for n in names)
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.splitlines()


def test_https_defaults_follow_the_site_address(tmp_path: Path) -> None:
    names = ["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE"]
    names += ["CSRF_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER"]
    production = _settings_of(_production(tmp_path), *names)
    assert production == ["True", "31536000", "True", "True", "None"]
    # The embedded default (http://127.0.0.1:8000) must stay reachable over plain http.
    embedded = _settings_of(_environment(tmp_path), *names)
    assert embedded == ["False", "0", "False", "False", "None"]
    behind_proxy = _production(tmp_path, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https")
    assert _settings_of(behind_proxy, "SECURE_PROXY_SSL_HEADER") == [
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    ]


def test_the_proxy_header_setting_is_checked() -> None:
    assert _proxy_ssl_header("") is None
    assert _proxy_ssl_header("X-Forwarded-Proto:https") == ("HTTP_X_FORWARDED_PROTO", "https")
    for bad in ("X-Forwarded-Proto", ": https", "X-Forwarded-Proto: "):
        with pytest.raises(ImproperlyConfigured, match="SECURE_PROXY_SSL_HEADER"):
            _proxy_ssl_header(bad)


def _directives(header: str) -> dict[str, list[str]]:
    parts = [part.split() for part in header.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def test_pages_send_a_policy_without_inline_script(
    client: Client, cast: Cast, places: Places
) -> None:
    client.login(username="alice", password=PASSWORD)
    for address in ("/", "/s/general/", "/search/?q=x", "/api/docs", "/api/members"):
        response = client.get(address)
        assert response.status_code == 200, address
        policy = _directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], address
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in policy["default-src"]
    refused = client.get("/search/?q=a%00b")
    assert refused.status_code == 400
    assert "script-src 'self'" in refused["Content-Security-Policy"]


def test_templates_hold_no_inline_script() -> None:
    # The policy would block it: every script is a static file (htmx's among them).
    offenders = []
    for template in (ROOT / "cluetrain").rglob("templates/**/*.html"):
        text = template.read_text()
        for line_number, line in enumerate(text.splitlines(), start=1):
            lowered = line.lower()
            # A JSON data block (json_script's) is never run, so the policy lets it be.
            data_block = 'type="application/json"' in lowered
            inline_tag = "<script" in lowered and "src=" not in lowered and not data_block
            handler = any(f" on{event}=" in lowered for event in _EVENTS)
            if inline_tag or handler or "javascript:" in lowered:
                offenders.append(f"{template.relative_to(ROOT)}:{line_number}")
    assert offenders == []


_EVENTS = ("click", "change", "submit", "load", "input", "keyup", "keydown", "error", "focus")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _gunicorn(tmp_path: Path, *config: str) -> Iterator[str]:
    port = _free_port()
    argv = [sys.executable, "-m", "gunicorn", "cluetrain.wsgi:application", *config]
    argv += ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"]
    server = subprocess.Popen(  # noqa: S603 - our own argv
        argv,
        env=_environment(tmp_path),
        cwd=tmp_path,  # not the repository: gunicorn would read a ./gunicorn.conf.py there
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(url + "/static/cluetrain/app.css", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, "gunicorn exited"
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_gunicorn_sends_no_server_header_with_cluetrains_configuration(tmp_path: Path) -> None:
    with _gunicorn(tmp_path, "--config", "python:cluetrain.gunicorn_conf") as url:
        response = httpx.get(url + "/static/cluetrain/app.css")
        assert response.status_code == 200
        assert "server" not in response.headers
        assert response.headers["date"]
    # The yardstick: gunicorn on its own names itself.
    with _gunicorn(tmp_path) as url:
        assert httpx.get(url + "/static/cluetrain/app.css").headers["server"] == "gunicorn"
