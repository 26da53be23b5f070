"""Imports started from the upload page."""

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext

from cluetrain.core.errors import ActionError
from cluetrain.imports.loader import Summary
from cluetrain.imports.reasons import ShownError
from cluetrain.imports.records import RowError
from cluetrain.imports.run import run_import
from cluetrain.listening.tasks import listen_after_commit
from cluetrain.members.models import Member

ERRORS_SHOWN = 50


@dataclass
class UploadResult:
    summary: Summary
    errors: list[ShownError] = field(default_factory=list)  # the first ERRORS_SHOWN


def check_import_upload(
    member: Member, upload: UploadedFile, fmt: str, source: str | None
) -> UploadResult:
    if not member.is_company_staff:
        raise ActionError(gettext("Only staff can import messages."), status=403)
    return do_import_upload(upload, fmt, source)


def do_import_upload(upload: UploadedFile, fmt: str, source: str | None) -> UploadResult:
    """Save the upload under the data folder (the importer streams from a file), import it
    in this request, then delete it. Batches commit as they go, like the command."""
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    suffix = ".gz" if (upload.name or "").endswith(".gz") else ""
    errors: list[ShownError] = []

    def keep(error: RowError) -> None:
        if len(errors) < ERRORS_SHOWN:
            errors.append(ShownError(error))

    with tempfile.NamedTemporaryFile(dir=folder, suffix=suffix) as saved:
        for chunk in upload.chunks():
            saved.write(chunk)
        saved.flush()
        summary = run_import(fmt, Path(saved.name), on_error=keep, source=source or None)
    listen_after_commit()
    return UploadResult(summary, errors)
