"""Instance export and import from the admin pages (docs/export.md, "In the admin pages").

The state of each export or import is kept in files under the data folder, never in the
database, because an import replaces the whole database (and with it any row that would
say how the import went):

    DATA_DIR/instance-exports/<name>/           the export (`cluetrain export` writes the same)
    DATA_DIR/instance-exports/<name>.zip        the download, written when the export is done
    DATA_DIR/instance-exports/<name>.error      why an export failed
    DATA_DIR/instance-imports/<name>/           an uploaded export, unpacked and checked
    DATA_DIR/instance-imports/<name>.backup/    the backup taken before it replaced the instance
    DATA_DIR/instance-imports/<name>.done       the import's summary (JSON), or
    DATA_DIR/instance-imports/<name>.error      why it failed (nothing was changed then)

"The instance is never empty while an admin is signed in": the command-line import loads into
an empty instance only. The web import instead *replaces* the whole instance, after the admin
types the site's name to confirm, in one transaction run by the worker: a backup of the
database first (`cluetrain backup`), then every exported table emptied and loaded from the
export, every session ended. The admin then signs in with an account of the imported instance.
"""

import json
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from cluetrain.core.errors import ActionError
from cluetrain.exports.instance import (
    MANIFEST,
    ExportError,
    ImportSummary,
    export_instance,
    read_manifest,
    replace_instance,
    validate_export,
)
from cluetrain.members.models import Member
from cluetrain.ops.backups import BackupError, backup_database

NAME = re.compile(r"^[0-9]{8}-[0-9]{6}(-[0-9]+)?$")
# An uploaded export is unpacked only up to this size (the files, uncompressed).
MAX_UNPACKED_BYTES = 4 * 1024**3


def exports_dir() -> Path:
    return Path(settings.DATA_DIR) / "instance-exports"


def imports_dir() -> Path:
    return Path(settings.DATA_DIR) / "instance-imports"


def _new_name(folder: Path) -> str:
    base = timezone.now().strftime("%Y%m%d-%H%M%S")
    name, n = base, 1
    while (folder / name).exists() or (folder / f"{name}.zip").exists():
        n += 1
        name = f"{base}-{n}"
    return name


def check_admin(member: Member) -> None:
    if member.role != Member.Role.ADMIN:
        raise ActionError(
            gettext("Only an administrator may export or import the instance."), status=403
        )


@dataclass(frozen=True)
class ExportState:
    name: str
    state: str  # "running", "ready" or "failed"
    error: str = ""
    rows: int = 0
    bytes: int = 0


def list_exports() -> list[ExportState]:
    """The exports started from the admin pages (and any other in the folder), newest first."""
    folder = exports_dir()
    if not folder.is_dir():
        return []
    names = {p.name.split(".", 1)[0] for p in folder.iterdir() if NAME.match(p.name.split(".")[0])}
    states = []
    for name in sorted(names, reverse=True):
        error = folder / f"{name}.error"
        archive = folder / f"{name}.zip"
        if error.is_file():
            states.append(ExportState(name, "failed", error.read_text(encoding="utf-8")))
        elif archive.is_file():
            manifest = json.loads((folder / name / MANIFEST).read_text(encoding="utf-8"))
            rows = sum(entry["rows"] for entry in manifest["files"])
            states.append(ExportState(name, "ready", rows=rows, bytes=archive.stat().st_size))
        else:
            states.append(ExportState(name, "running"))
    return states


def export_archive(name: str) -> Path:
    """The finished export's zip file; ActionError 404 for anything else."""
    path = exports_dir() / f"{name}.zip"
    if not NAME.match(name) or not path.is_file():
        raise ActionError(gettext("No such export."), status=404)
    return path


def check_start_export(member: Member) -> str:
    check_admin(member)
    return do_start_export()


def do_start_export() -> str:
    """Reserve a name and queue the export for the worker; returns the name."""
    folder = exports_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = _new_name(folder)
    (folder / name).mkdir(mode=0o700)
    build_export.enqueue(name)
    return name


@task()
def build_export(name: str) -> bool:
    """The worker's half: write the export, then its zip file. Safe to run twice."""
    folder = exports_dir()
    target = folder / name
    if (folder / f"{name}.zip").is_file() or (folder / f"{name}.error").is_file():
        return False
    try:
        if target.exists():
            shutil.rmtree(target)  # a run killed half-way left part of it
        export_instance(target)
        partial = folder / f"{name}.zip.part"
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(target.iterdir()):
                archive.write(path, arcname=path.name)
        partial.chmod(0o600)
        partial.rename(folder / f"{name}.zip")
    except Exception as error:
        # Whatever went wrong, the page says so (and the worker's log has the traceback).
        (folder / f"{name}.error").write_text(f"{type(error).__name__}: {error}", encoding="utf-8")
        raise
    return True


# --- Import -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadedExport:
    name: str
    created_at: str
    models: int
    rows: int
    members: int


def _unpack(upload: Path, target: Path) -> None:
    """Unpack the zip file's plain files at its top level only (no paths, no links)."""
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES:
                raise ExportError("The export is too large to unpack here.")
            for entry in entries:
                name = entry.filename
                if entry.is_dir() or "/" in name or "\\" in name or name in {"", ".", ".."}:
                    raise ExportError(f"Unexpected entry {name!r}: not an export made here.")
                with archive.open(entry) as source, (target / name).open("wb") as sink:
                    shutil.copyfileobj(source, sink)
    except zipfile.BadZipFile:
        raise ExportError("This is not a zip file made by the export page.") from None


def check_upload_export(member: Member, upload: Path) -> UploadedExport:
    """Unpack and check an uploaded export against this instance; changes no data."""
    check_admin(member)
    folder = imports_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = _new_name(folder)
    target = folder / name
    target.mkdir(mode=0o700)
    try:
        _unpack(upload, target)
        manifest, _models = validate_export(target)
    except ExportError as error:
        shutil.rmtree(target, ignore_errors=True)
        raise ActionError(str(error), field="archive") from None
    return _described(name, manifest)


def _described(name: str, manifest: dict[str, object]) -> UploadedExport:
    files = manifest["files"]
    assert isinstance(files, list)
    members = next((e["rows"] for e in files if e["model"] == "members.member"), 0)
    return UploadedExport(
        name=name,
        created_at=str(manifest.get("created_at", "")),
        models=len(files),
        rows=sum(e["rows"] for e in files),
        members=members,
    )


def uploaded_export(name: str) -> UploadedExport:
    """An upload waiting for confirmation; ActionError 404 when there is none by that name."""
    target = imports_dir() / name
    if not NAME.match(name) or not target.is_dir():
        raise ActionError(gettext("No such uploaded export."), status=404)
    try:
        return _described(name, read_manifest(target))
    except ExportError as error:
        raise ActionError(str(error), status=404) from None


def import_state(name: str) -> tuple[str, str]:
    """("waiting" | "running" | "done" | "failed", detail) of an uploaded export."""
    folder = imports_dir()
    if (folder / f"{name}.error").is_file():
        return "failed", (folder / f"{name}.error").read_text(encoding="utf-8")
    if (folder / f"{name}.done").is_file():
        return "done", (folder / f"{name}.done").read_text(encoding="utf-8")
    if (folder / f"{name}.queued").is_file():
        return "running", ""
    return "waiting", ""


def check_confirm_import(member: Member, name: str, typed_site_name: str) -> None:
    """The admin typed the site's name: queue the replacement of the whole instance."""
    check_admin(member)
    uploaded_export(name)
    if typed_site_name.strip() != settings.SITE_NAME:
        raise ActionError(
            gettext("Type the site's name, %(name)s, exactly to confirm.")
            % {"name": settings.SITE_NAME},
            field="confirm",
        )
    if import_state(name)[0] != "waiting":
        raise ActionError(gettext("This import was already started."), status=409)
    do_confirm_import(name)


def do_confirm_import(name: str) -> None:
    (imports_dir() / f"{name}.queued").write_text(timezone.now().isoformat(), encoding="utf-8")
    transaction.on_commit(lambda: replace_with_export.enqueue(name))


@task()
def replace_with_export(name: str) -> bool:
    """The worker's half: back up this database, then replace every exported table with the
    upload's rows in one transaction and end every session. Runs once per upload."""
    folder = imports_dir()
    if (folder / f"{name}.done").is_file() or (folder / f"{name}.error").is_file():
        return False
    backup = folder / f"{name}.backup"
    try:
        if backup.exists():
            shutil.rmtree(backup)
        backup_database(backup)
        summary: ImportSummary = replace_instance(folder / name)
    except (ExportError, BackupError, OSError) as error:
        (folder / f"{name}.error").write_text(str(error), encoding="utf-8")
        return False
    except Exception as error:
        (folder / f"{name}.error").write_text(f"{type(error).__name__}: {error}", encoding="utf-8")
        raise
    done = {
        "models": summary.models,
        "rows": summary.rows,
        "backup": str(backup),
        "database_vendor": connection.vendor,
        "finished_at": timezone.now().isoformat(),
    }
    (folder / f"{name}.done").write_text(json.dumps(done), encoding="utf-8")
    return True
