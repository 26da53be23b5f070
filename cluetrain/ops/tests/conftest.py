"""Fresh instances on disk (SQLite file or PostgreSQL database) for tests of real processes."""

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

CLUETRAIN = str(Path(sys.executable).parent / "cluetrain")


def cluetrain(env: dict[str, str], *args: str, timeout: float = 600) -> str:
    result = subprocess.run(  # noqa: S603 - our own command line
        [CLUETRAIN, *args], env=env, capture_output=True, text=True, check=False, timeout=timeout
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _admin_url() -> str | None:
    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("postgresql"):
        return None
    return f"postgresql://{database['USER']}@{database['HOST']}:{database['PORT']}/postgres"


def _base_env(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "CLUETRAIN_DATA_DIR": str(data_dir), "TASK_BACKEND": "database"}
    env.pop("DATABASE_URL", None)
    return env


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Migrate once per session; each instance starts as a copy (migrating takes seconds)."""
    admin_url = _admin_url()
    data_dir = tmp_path_factory.mktemp("template")
    env = _base_env(data_dir)
    if admin_url is None:
        cluetrain(env, "migrate", "--no-input", "-v", "0")
        yield str(data_dir / "cluetrain.sqlite3")
        return
    name = f"cluetrain_ops_template_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    env["DATABASE_URL"] = admin_url.rsplit("/", 1)[0] + f"/{name}"
    cluetrain(env, "migrate", "--no-input", "-v", "0")
    yield name
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


class Instances:
    """Makes empty or migrated instances; drops their PostgreSQL databases at the end."""

    def __init__(self, tmp_path: Path, template: str) -> None:
        self.tmp_path = tmp_path
        self.template = template
        self.admin_url = _admin_url()
        self.databases: list[str] = []

    @property
    def postgresql(self) -> bool:
        return self.admin_url is not None

    def new(self, *, migrated: bool = True) -> dict[str, str]:
        data_dir = self.tmp_path / f"instance{len(self.databases)}-{uuid.uuid4().hex[:6]}"
        data_dir.mkdir()
        env = _base_env(data_dir)
        if self.admin_url is None:
            if migrated:
                shutil.copy(self.template, data_dir / "cluetrain.sqlite3")
            self.databases.append(str(data_dir))
            return env
        name = f"cluetrain_ops_{uuid.uuid4().hex[:10]}"
        template = f" TEMPLATE {self.template}" if migrated else ""
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}{template}")
        self.databases.append(name)
        env["DATABASE_URL"] = self.admin_url.rsplit("/", 1)[0] + f"/{name}"
        return env

    def drop_all(self) -> None:
        if self.admin_url is None:
            return
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            for name in self.databases:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def instances(tmp_path: Path, migrated_template: str) -> Iterator[Instances]:
    made = Instances(tmp_path, migrated_template)
    yield made
    made.drop_all()
