"""A throwaway PostgreSQL server of the test's own, to stop and start while a site runs on it.

Never the machine's shared server: initdb makes a cluster in a temporary folder, on a free
port, and pg_ctl stops and starts it. The server binaries are found from PG_BINDIR, then
`pg_config --bindir`, then the Debian layout (/usr/lib/postgresql/<version>/bin), then PATH.
PostgreSQL refuses to run as root; as root the cluster belongs to the `postgres` user and its
commands run through runuser.
"""

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def server_bindir() -> Path:
    candidates = [os.environ.get("PG_BINDIR", "")]
    pg_config = shutil.which("pg_config")
    if pg_config:
        result = subprocess.run(  # noqa: S603 - a fixed tool
            [pg_config, "--bindir"], capture_output=True, text=True, check=False
        )
        candidates.append(result.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).parent))
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    raise RuntimeError(
        "PostgreSQL's server binaries (initdb, pg_ctl) were not found: install the "
        "postgresql package or set PG_BINDIR."
    )


class PrivatePostgres:
    """initdb on start(), then stop() / start() at will, and close() to remove it all."""

    def __init__(self) -> None:
        self.bindir = server_bindir()
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="cluetrain-pg-"))
        self.data = self.root / "data"
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.root, user="postgres")
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "--no-sync", "-E", "UTF8", "--locale=C",
        )  # fmt: skip
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}"

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bindir / tool), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            log = self.root / "log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{tool} failed: {result.stdout}{result.stderr}{tail}")

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off"
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"),
                  "-w", "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def close(self) -> None:
        with contextlib.suppress(RuntimeError):  # not running
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)
