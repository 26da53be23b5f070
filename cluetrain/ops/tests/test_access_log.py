"""`cluetrain serve`'s access log: on by default, in the combined format, without secrets.

A real gunicorn started with serve's own command line, on a migrated instance of the suite's
database, and real requests for the pages whose addresses carry secrets.
"""

import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from pytest_django.fixtures import Settings

from cluetrain.core.logs import redacted_path, secret_routes
from cluetrain.ops.management.commands.serve import gunicorn_command
from cluetrain.ops.tests.conftest import Instances
from cluetrain.ops.tests.private_postgres import free_port

# Combined Log Format: host ident user [time] "request" status bytes "referer" "user agent"
COMBINED = re.compile(r'^(\S+) - - \[[^]]+\] "([^"]*)" (\d{3}) (\S+) "([^"]*)" "([^"]*)"$')


def test_serve_writes_the_access_log_to_stdout_by_default(settings: Settings) -> None:
    settings.DEBUG = False
    settings.ACCESS_LOG = "-"
    command = gunicorn_command(host="127.0.0.1", port=8000, workers=2, threads=4)
    assert command[command.index("--access-logfile") + 1] == "-"
    assert "/dev/null" not in command
    settings.ACCESS_LOG = "/var/log/cluetrain/access.log"
    command = gunicorn_command(host="127.0.0.1", port=8000, workers=2, threads=4)
    assert command[command.index("--access-logfile") + 1] == "/var/log/cluetrain/access.log"
    settings.ACCESS_LOG = "off"
    assert "--access-logfile" not in gunicorn_command("127.0.0.1", 8000, workers=2, threads=4)


@contextmanager
def _served(env: dict[str, str], cwd: Path) -> Iterator[str]:
    """gunicorn as serve starts it; its stdout (the access log) goes to `cwd/stdout`."""
    port = free_port()
    command = gunicorn_command(host="127.0.0.1", port=port, workers=1, threads=2)
    # A file, not a pipe: one line per request, and nothing reads it until the end.
    stdout = (cwd / "stdout").open("w")
    server = subprocess.Popen(  # noqa: S603 - serve's own command line
        command, env=env, cwd=cwd, stdout=stdout, stderr=subprocess.DEVNULL, text=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(url + "/robots.txt", timeout=5)
                break
            except httpx.TransportError:
                assert server.poll() is None, "gunicorn exited"
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        stdout.close()


def test_the_access_log_holds_no_secrets(instances: Instances, tmp_path: Path) -> None:
    env = instances.new() | {
        "DEBUG": "false",
        "SECRET_KEY": "access-log-test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "ACCESS_LOG": "-",
        "CLIENT_ADDRESS_HEADER": "X-Real-IP",
    }
    with _served(env, tmp_path) as url:
        referer = "http://127.0.0.1/unsubscribe/secret-unsubscribe-token-2/?utm=leak-query"
        httpx.get(
            url + "/unsubscribe/secret-unsubscribe-token/?from=leak-query",
            headers={"Referer": referer, "X-Real-IP": "203.0.113.9", "User-Agent": "drill/1"},
        )
        httpx.get(url + "/accounts/reset/secret-uid/secret-reset-token/")
        httpx.get(url + "/search/?q=leak-query")
        httpx.get(url + "/no-such-page/?q=leak-query")
    output = (tmp_path / "stdout").read_text()
    assert "secret-" not in output
    assert "leak-" not in output
    lines = [COMBINED.match(line) for line in output.splitlines() if '"GET /' in line]
    seen = {match.group(2): match for match in lines if match is not None}
    unsubscribe = seen["GET /unsubscribe/[redacted]/ HTTP/1.1"]
    assert unsubscribe.group(1) == "203.0.113.9"  # from CLIENT_ADDRESS_HEADER
    assert unsubscribe.group(5) == "http://127.0.0.1/unsubscribe/[redacted]/"
    assert unsubscribe.group(6) == "drill/1"
    assert "GET /accounts/reset/[redacted]/[redacted]/ HTTP/1.1" in seen
    assert seen["GET /search/ HTTP/1.1"].group(3) == "200"
    assert seen["GET /no-such-page/ HTTP/1.1"].group(3) == "404"


def test_the_routes_with_secrets_are_found_in_the_sites_own_patterns() -> None:
    assert [route.pattern for route in secret_routes()] == [
        r"^/accounts/reset/(?P<uidb64>[^/]+)/(?P<token>[^/]+)/\Z",
        r"^/unsubscribe/(?P<token>[^/]+)/\Z",
    ]
    assert redacted_path("/accounts/reset/MQ/set-password/") == (
        "/accounts/reset/[redacted]/[redacted]/"
    )
    assert redacted_path("/accounts/reset/done/") == "/accounts/reset/done/"
    assert redacted_path("/unsubscribe/ab%2Dcd/") == "/unsubscribe/[redacted]/"
    assert redacted_path("/t/12/") == "/t/12/"
