"""Whole-database backups, by the database's own tools (docs/backups.md).

SQLite: the online backup API copies the live database page by page into one file while the
site keeps running (readers and the writer are not stopped). PostgreSQL: `pg_dump -Fc`, a
consistent snapshot, restored by `pg_restore` in one transaction. Unlike `cluetrain export`
(portable JSON between instances and databases), a backup is exact, fast, and restores only
into the same kind of database.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils import timezone

FORMAT = "cluetrain-backup"
FORMAT_VERSION = 1
INFO = "backup.json"
FILES = {"sqlite": "cluetrain.sqlite3", "postgresql": "cluetrain.dump"}


class BackupError(Exception):
    """The backup or restore cannot be done; the message says why."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _cluetrain_version() -> str:
    try:
        return version("cluetrain")
    except PackageNotFoundError:
        return "unknown"


def _vendor() -> str:
    if connection.vendor not in FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client tools of the server's "
            "version (Debian: apt-get install postgresql-client)."
        )
    return path


def _pg_env() -> dict[str, str]:
    """libpq's variables for the configured database, so no password is on a command line."""
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for variable, value in (
        ("PGHOST", db.get("HOST")),
        ("PGPORT", db.get("PORT")),
        ("PGUSER", db.get("USER")),
        ("PGPASSWORD", db.get("PASSWORD")),
        ("PGSSLMODE", db.get("OPTIONS", {}).get("sslmode")),
    ):
        if value:
            env[variable] = str(value)
    return env


def _run(argv: list[str]) -> None:
    result = subprocess.run(  # noqa: S603 - fixed argv of PostgreSQL's own tools, no shell
        argv, env=_pg_env(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} failed: {result.stderr.strip()}")


def backup_database(directory: Path) -> dict[str, Any]:
    """Write a backup of the whole database into `directory` (new or empty); returns its info."""
    vendor = _vendor()
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty.")
    # Password hashes and secrets are inside: owner-only access.
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = directory / FILES[vendor]
    if vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
            # One self-contained file, whatever the live database's journal mode.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    else:
        _run([_pg_tool("pg_dump"), "--format=custom", f"--file={path}"])
    path.chmod(0o600)
    info = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "cluetrain_version": _cluetrain_version(),
        "created_at": timezone.now().isoformat(),
        "database_vendor": vendor,
        "file": path.name,
        "bytes": path.stat().st_size,
        "sha256": _sha256(path),
    }
    info_path = directory / INFO
    info_path.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    info_path.chmod(0o600)
    return info


def read_backup(directory: Path) -> tuple[dict[str, Any], Path]:
    """Check a backup directory against its info file; write nothing."""
    info_path = directory / INFO
    if not info_path.is_file():
        raise BackupError(f"No {INFO} in {directory}: not a Cluetrain backup.")
    try:
        info: dict[str, Any] = json.loads(info_path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise BackupError(f"{INFO} is not valid JSON: {error}") from None
    if info.get("format") != FORMAT or info.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"Unsupported backup format in {INFO}.")
    vendor = _vendor()
    if info.get("database_vendor") != vendor:
        raise BackupError(
            f"This is a {info.get('database_vendor')} backup and this instance uses {vendor}: "
            "move between databases with `cluetrain export` and `cluetrain import_instance`."
        )
    path = directory / FILES[vendor]
    if info.get("file") != path.name or not path.is_file():
        raise BackupError(f"{path.name} is missing from {directory}.")
    if _sha256(path) != info.get("sha256"):
        raise BackupError(f"{path.name} is damaged: its sha256 does not match {INFO}.")
    return info, path


def database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore_database(directory: Path, *, replace: bool) -> dict[str, Any]:
    """Replace the configured database with the backup in `directory`; all or nothing."""
    info, path = read_backup(directory)
    if not replace and not database_is_empty():
        raise BackupError(
            "The database is not empty. Restoring replaces everything in it: stop the server "
            "and the workers, then run again with --replace."
        )
    if info["database_vendor"] == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if source.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise BackupError(f"{path.name} fails SQLite's integrity check.")
            connection.ensure_connection()
            # One step: other connections see the old database or the restored one, never half.
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        connection.close()
        _run(
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={connection.settings_dict['NAME']}",
                str(path),
            ]
        )
    return info
