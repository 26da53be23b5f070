"""Run the production server (`cluetrain serve`, i.e. gunicorn) as a child process for a bench."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def cluetrain_command(*args: str) -> list[str]:
    # The same entry point as the `cluetrain` script, with this interpreter.
    return [sys.executable, "-m", "cluetrain.cli", *args]


def run_cluetrain(env: Mapping[str, str], *args: str) -> str:
    """Run one `cluetrain` command to completion in the bench environment; its stdout."""
    done = subprocess.run(
        cluetrain_command(*args), env=dict(env), check=False, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"`cluetrain {' '.join(args)}` failed ({done.returncode}):\n{done.stderr[-3000:]}"
        )
    return done.stdout


@contextmanager
def running_server(
    env: Mapping[str, str], *, port: int, workers: int, threads: int, log: Path
) -> Iterator[str]:
    """`cluetrain serve --no-migrate` on 127.0.0.1:`port`; yields its base URL; always stops it."""
    base = f"http://127.0.0.1:{port}"
    args = ["serve", "--no-migrate", "--host", "127.0.0.1", "--port", str(port)]
    args += ["--workers", str(workers), "--threads", str(threads)]
    with log.open("w") as log_file:
        # A session of its own: stopping signals serve *and* its gunicorn child together.
        process = subprocess.Popen(
            cluetrain_command(*args),
            env=dict(env),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_up(process, f"{base}/bench/bare/", log)
            yield base
        finally:
            _stop(process, port)


def _wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode}):\n{log.read_text()}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer {url} within 60 s:\n{log.read_text()}")


def _stop(process: subprocess.Popen[bytes], port: int) -> None:
    # SIGTERM to the whole group: serve exits, gunicorn shuts down gracefully.
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=20)
    # gunicorn is serve's child, not ours: it is gone once nothing listens on the port.
    deadline = time.monotonic() + 30
    while _listening(port) and time.monotonic() < deadline:
        time.sleep(0.1)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # anything left in the group is stuck
    process.wait()


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0
