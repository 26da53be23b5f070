"""Export a whole instance to JSONL files and load it into an empty one (docs/export.md).

One file per model, rows in primary-key order, written by Django's "jsonl" serializer with
the primary keys kept, so every reference stays valid. Many-to-many links are exported as
their own through tables. `manifest.json` lists each file's model, row count and sha256;
an import checks all of them before it writes anything, then loads everything in one
transaction.
"""

import datetime
import hashlib
import itertools
import json
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.sessions.models import Session
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from cluetrain.sources.models import Source
from cluetrain.threads.models import Post

FORMAT = "cluetrain-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK_SIZE = 2000
BATCH_SIZE = 500
SNAPSHOT_ALIAS = "export_snapshot"


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but times keep their microseconds: the import must be identical."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class ExportError(Exception):
    """The export cannot be written or read back; the message says why."""


# Running state of this instance (worker heartbeats), not content: like the task queue.
NOT_EXPORTED_APPS = {"ops"}


def _project_app(model: type[models.Model]) -> bool:
    config = model._meta.app_config
    return (
        config is not None
        and config.name.startswith("cluetrain.")
        and config.label not in NOT_EXPORTED_APPS
    )


def exported_models() -> list[type[models.Model]]:
    """Every model of the project's apps whose references stay inside the project.

    That leaves out Django's own tables (sessions, content types, permissions, the task
    queue) and the links from members to Django's groups and permissions, which Cluetrain
    does not use (roles do that job).
    """
    candidates = [
        m
        for m in apps.get_models(include_auto_created=True)
        if _project_app(m) and not m._meta.proxy and m._meta.managed
    ]
    kept = set(candidates)
    changed = True
    while changed:
        changed = False
        for model in list(kept):
            targets = {
                f.related_model
                for f in model._meta.concrete_fields
                if f.is_relation and f.related_model is not None
            }
            if any(target not in kept for target in targets):
                kept.discard(model)
                changed = True
    ordered = serializers.sort_dependencies(
        [
            (config, [m for m in config.get_models() if m in kept])
            for config in apps.get_app_configs()
        ],
        allow_cycles=True,
    )
    through = [m for m in candidates if m in kept and m._meta.auto_created]
    return [*ordered, *through]


def file_name(model: type[models.Model]) -> str:
    return f"{model._meta.label_lower}.jsonl"


def _cluetrain_version() -> str:
    try:
        return version("cluetrain")
    except PackageNotFoundError:
        return "unknown"


def _migrations(app_labels: set[str], alias: str = DEFAULT_DB_ALIAS) -> list[list[str]]:
    applied = MigrationRecorder(connections[alias]).applied_migrations()
    return sorted([app, name] for app, name in applied if app in app_labels)


def _sha256_and_lines(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    lines = 0
    with path.open("rb") as file:
        for line in file:
            digest.update(line)
            lines += 1
    return digest.hexdigest(), lines


def _local_field_names(model: type[models.Model]) -> list[str]:
    # Many-to-many links travel in their own through-table files.
    return [f.name for f in model._meta.local_concrete_fields if not f.primary_key]


@contextmanager
def _snapshot() -> Iterator[str]:
    """The alias of a connection that sees one moment of the database, holding no write lock.

    PostgreSQL: a REPEATABLE READ transaction is such a snapshot and blocks no writer. SQLite:
    a long transaction (IMMEDIATE, see settings.py) would hold the one write lock for the
    whole export and starve the site and the worker ("database is locked"), so the database is
    first copied with SQLite's online backup API, which takes a moment and lets writers go on,
    and the export reads the copy.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        # Inside a caller's transaction (a test, say) that transaction is already the moment.
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield DEFAULT_DB_ALIAS
        return
    with tempfile.TemporaryDirectory(prefix="cluetrain-export-") as scratch:
        copy = Path(scratch) / "snapshot.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(copy)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        connections.settings[SNAPSHOT_ALIAS] = {**connection.settings_dict, "NAME": str(copy)}
        try:
            yield SNAPSHOT_ALIAS
        finally:
            connections[SNAPSHOT_ALIAS].close()
            del connections[SNAPSHOT_ALIAS]
            del connections.settings[SNAPSHOT_ALIAS]


def export_instance(directory: Path) -> dict[str, Any]:
    """Write every exported model to `directory` (new or empty); returns the manifest."""
    if directory.exists() and any(directory.iterdir()):
        raise ExportError(f"{directory} is not empty.")
    # Password hashes, webhook secrets and token hashes are inside: owner-only access.
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    models_ = exported_models()
    files = []
    with _snapshot() as alias:
        for model in models_:
            path = directory / file_name(model)
            queryset = (
                model._base_manager.using(alias).order_by("pk").iterator(chunk_size=CHUNK_SIZE)
            )
            with path.open("w", encoding="utf-8") as stream:
                serializers.serialize(
                    "jsonl",
                    queryset,
                    stream=stream,
                    fields=_local_field_names(model),
                    cls=ExactJSONEncoder,
                )
            path.chmod(0o600)
            sha256, rows = _sha256_and_lines(path)
            files.append(
                {
                    "file": path.name,
                    "model": model._meta.label_lower,
                    "rows": rows,
                    "sha256": sha256,
                }
            )
        migrations = _migrations({m._meta.app_label for m in models_}, alias)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "cluetrain_version": _cluetrain_version(),
        "created_at": timezone.now().isoformat(),
        "database_vendor": connection.vendor,
        "migrations": migrations,
        "files": files,
    }
    manifest_path = directory / MANIFEST
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    manifest_path.chmod(0o600)
    return manifest


@dataclass
class ImportSummary:
    models: int
    rows: int


def read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST
    if not path.is_file():
        raise ExportError(f"No {MANIFEST} in {directory}: not a Cluetrain export.")
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise ExportError(f"{MANIFEST} is not valid JSON: {error}") from None
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise ExportError(
            f"Unsupported export format {manifest.get('format')!r} "
            f"version {manifest.get('format_version')!r}; this Cluetrain reads "
            f"{FORMAT!r} version {FORMAT_VERSION}."
        )
    return manifest


def validate_export(directory: Path) -> tuple[dict[str, Any], list[type[models.Model]]]:
    """Check the manifest against the files and this instance's schema; write nothing."""
    manifest = read_manifest(directory)
    known = {m._meta.label_lower: m for m in exported_models()}
    models_ = []
    for entry in manifest["files"]:
        model = known.get(entry["model"])
        if model is None:
            raise ExportError(f"The export has {entry['model']}, which this instance lacks.")
        path = directory / entry["file"]
        if path.name != entry["file"] or not path.is_file():
            raise ExportError(f"{entry['file']} is listed in the manifest but missing.")
        sha256, rows = _sha256_and_lines(path)
        if sha256 != entry["sha256"]:
            raise ExportError(f"{entry['file']} is damaged: its sha256 does not match.")
        if rows != entry["rows"]:
            raise ExportError(
                f"{entry['file']} has {rows} rows; the manifest says {entry['rows']}."
            )
        models_.append(model)
    missing = set(known) - {m._meta.label_lower for m in models_}
    if missing:
        raise ExportError(f"The export lacks {', '.join(sorted(missing))}.")
    ours = _migrations({m._meta.app_label for m in models_})
    if manifest["migrations"] != ours:
        raise ExportError(
            "The export was made at a different schema version: run `cluetrain migrate` "
            "on both to the same Cluetrain version first."
        )
    return manifest, models_


def _only_seed_rows(model: type[models.Model]) -> bool:
    # The community Source is made by a migration: a fresh instance has it and nothing else.
    if model is Source:
        return not Source.objects.exclude(slug=Source.COMMUNITY_SLUG).exists()
    return False


def check_empty(models_: list[type[models.Model]]) -> None:
    for model in models_:
        if model._base_manager.exists() and not _only_seed_rows(model):
            raise ExportError(
                f"This instance is not empty ({model._meta.label_lower} has rows). Import into "
                "a freshly migrated database."
            )
    if Post.objects.exists():
        raise ExportError("This instance is not empty (it has posts).")


def _objects(path: Path) -> Iterator[models.Model]:
    with path.open(encoding="utf-8") as stream:
        for deserialized in serializers.deserialize("jsonl", stream):
            yield deserialized.object


def _load(model: type[models.Model], path: Path) -> int:
    """Insert a file's rows as they are (raw: auto_now fields keep their values), in batches."""
    fields = [f for f in model._meta.local_concrete_fields if not f.generated]
    size = min(BATCH_SIZE, connection.ops.bulk_batch_size(fields, range(BATCH_SIZE)))
    manager = model._base_manager
    rows = 0
    objects = _objects(path)
    while batch := list(itertools.islice(objects, max(size, 1))):
        # QuerySet._insert is what Model.save_base uses; bulk_create cannot insert raw.
        manager._insert(batch, fields=fields, raw=True)  # type: ignore[attr-defined]
        rows += len(batch)
    return rows


def _rebuild_search_index() -> None:
    if connection.vendor == "sqlite":
        # The triggers filled it row by row; a rebuild makes it exactly match the table.
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


def import_instance(directory: Path) -> ImportSummary:
    """Load an export into this empty instance; all or nothing."""
    manifest, models_ = validate_export(directory)
    rows = 0
    with transaction.atomic():
        check_empty(models_)
        Source.objects.all().delete()
        for model, entry in zip(models_, manifest["files"], strict=True):
            rows += _load(model, directory / entry["file"])
        connection.check_constraints(table_names=[m._meta.db_table for m in models_])
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models_):
                cursor.execute(statement)
        _rebuild_search_index()
    return ImportSummary(models=len(models_), rows=rows)


def _rows_pointing_at(exported: list[type[models.Model]]) -> list[type[models.Model]]:
    """Tables outside the export whose rows reference exported ones (Django's admin log, the
    members' group and permission links): emptied too, or they would point at nothing."""
    kept = set(exported)
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model not in kept
        and not model._meta.proxy
        and model._meta.managed
        and any(f.is_relation and f.related_model in kept for f in model._meta.concrete_fields)
    ]


def replace_instance(directory: Path) -> ImportSummary:
    """Replace this instance's whole content with an export; all or nothing.

    What the admin pages' import does (transfer.py): unlike import_instance this instance is
    not empty (the admin who asked is in it). Every exported table is emptied and loaded from
    the export in one transaction, and every session ends: no one stays signed in as a member
    of the replaced instance. Callers take a backup first.
    """
    manifest, models_ = validate_export(directory)
    rows = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            for model in [*_rows_pointing_at(models_), *reversed(models_)]:
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a model's own table name
        Session.objects.all().delete()
        for model, entry in zip(models_, manifest["files"], strict=True):
            rows += _load(model, directory / entry["file"])
        connection.check_constraints(table_names=[m._meta.db_table for m in models_])
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models_):
                cursor.execute(statement)
        _rebuild_search_index()
    return ImportSummary(models=len(models_), rows=rows)
