"""The admin pages' instance export and import (transfer.py): admins only, the worker builds the
export, and an import replaces the whole instance after the site's name is typed."""

import io
import zipfile
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from pytest_django.fixtures import Settings

from cluetrain.exports import transfer
from cluetrain.exports.instance import export_instance
from cluetrain.members.models import Member
from cluetrain.threads.actions import check_create_thread
from cluetrain.threads.models import Thread
from conftest import Cast, Places


def _file(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("export.zip", content, content_type="application/zip")


def _admin_client(cast: Cast) -> Client:
    client = Client()
    client.force_login(cast.ada)
    return client


def _zipped_export(tmp_path: Path) -> bytes:
    # Inside a transaction the export reads that transaction's moment (test databases allow
    # no other connection, such as the SQLite snapshot's).
    with transaction.atomic():
        export_instance(tmp_path / "made-here")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted((tmp_path / "made-here").iterdir()):
            archive.write(path, arcname=path.name)
    return buffer.getvalue()


def test_the_worker_builds_an_export_and_the_page_offers_its_download(
    cast: Cast, places: Places, settings: Settings, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    check_create_thread(cast.alice, places.forum, title="Kept by the export", body_md="x")
    client = _admin_client(cast)
    response = client.post("/staff/instance/export/")
    assert response.status_code == 302
    [export] = transfer.list_exports()
    assert export.state == "ready", export.error
    page = client.get("/staff/instance/")
    assert f"/staff/instance/export/{export.name}.zip" in page.text
    download = client.get(f"/staff/instance/export/{export.name}.zip")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))  # type: ignore[attr-defined]
    assert "manifest.json" in archive.namelist()
    assert "threads.thread.jsonl" in archive.namelist()
    assert b"Kept by the export" in archive.read("threads.thread.jsonl")
    # A staff member who is not an administrator cannot download it.
    staff = Client()
    staff.force_login(cast.sam)
    assert staff.get(f"/staff/instance/export/{export.name}.zip").status_code == 403


def test_only_administrators_reach_the_pages(
    cast: Cast, places: Places, settings: Settings, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    for member in (cast.alice, cast.sam, cast.maya):
        client = Client()
        client.force_login(member)
        assert client.get("/staff/instance/").status_code == 403
        assert client.post("/staff/instance/export/").status_code == 403
    anonymous = Client().get("/staff/instance/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert not (tmp_path / "instance-exports").exists()
    assert _admin_client(cast).get("/staff/instance/").status_code == 200


# Outside a test transaction, as the worker runs it: the backup reads the committed database.
@pytest.mark.django_db(transaction=True)
def test_export_then_import_replaces_the_instance_after_confirmation(
    cast: Cast, places: Places, settings: Settings, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    check_create_thread(cast.alice, places.forum, title="Kept by the export", body_md="x")
    admin = _admin_client(cast)
    archive = _zipped_export(tmp_path)
    # Written after the export: the import takes the instance back to the export's content.
    check_create_thread(cast.bob, places.forum, title="Written after", body_md="y")
    Member.objects.create_user(username="newcomer", password="x" * 12)

    upload = admin.post("/staff/instance/import/", {"archive": _file(archive)})
    assert upload.status_code == 302
    page = admin.get(upload["Location"])
    assert page.status_code == 200
    assert 'id="confirm-import"' in page.text
    wrong = admin.post(upload["Location"], {"confirm": "not the name"})
    assert wrong.status_code == 400
    assert Thread.objects.filter(title="Written after").exists()

    confirmed = admin.post(upload["Location"], {"confirm": settings.SITE_NAME})
    assert confirmed.status_code == 302
    titles = set(Thread.objects.values_list("title", flat=True))
    assert "Kept by the export" in titles
    assert "Written after" not in titles
    assert not Member.objects.filter(username="newcomer").exists()
    assert Member.objects.filter(username="ada").exists()
    # Everyone is signed out; a backup of the replaced database was taken first.
    assert Session.objects.count() == 0
    import_name = upload["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert (tmp_path / "instance-imports" / f"{import_name}.backup").is_dir()
    assert transfer.import_state(import_name)[0] == "done"
    assert admin.get("/staff/instance/").status_code == 302  # signed out
    # Signing in again with the imported instance's account works.
    again = _admin_client(cast)
    assert "Imported" in again.get(upload["Location"]).text
    # Running the task again changes nothing.
    assert transfer.replace_with_export.call(import_name) is False


def test_an_upload_that_is_not_an_export_is_refused(
    cast: Cast, settings: Settings, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    admin = _admin_client(cast)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../escape.txt", "x")
    response = admin.post("/staff/instance/import/", {"archive": _file(buffer.getvalue())})
    assert response.status_code == 400
    assert "Unexpected entry" in response.text
    assert not (tmp_path / "escape.txt").exists()
    garbage = admin.post("/staff/instance/import/", {"archive": _file(b"not a zip")})
    assert garbage.status_code == 400
    assert list((tmp_path / "instance-imports").iterdir()) == []


def test_the_staff_menu_leads_administrators_to_the_instance_page(cast: Cast) -> None:
    # /staff/instance/ was linked from nowhere: an administrator had to know the address.
    admin_page = _admin_client(cast).get("/").content.decode()
    assert 'href="/staff/instance/"' in admin_page
    assert 'href="/admin/"' in admin_page  # Django's admin, for the same reason
    staff = Client()
    staff.force_login(cast.sam)
    staff_page = staff.get("/").content.decode()
    assert 'href="/staff/instance/"' not in staff_page
    assert 'href="/admin/"' not in staff_page


def test_the_admin_link_follows_is_staff_through_the_cached_navigation(cast: Cast) -> None:
    # The navigation is cached under a key naming what it shows: is_staff is part of it.
    client = _admin_client(cast)
    assert 'href="/admin/"' in client.get("/").content.decode()
    Member.objects.filter(pk=cast.ada.pk).update(is_staff=False)
    assert 'href="/admin/"' not in client.get("/").content.decode()
