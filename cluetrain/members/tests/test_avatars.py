"""Avatars: uploaded, squared, resized, stripped of metadata; initials without one."""

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from pytest_django.fixtures import Settings

from cluetrain.exports.ownership import check_delete_account
from cluetrain.members.models import Member, initials
from cluetrain.threads.actions import check_create_thread
from conftest import PASSWORD, Cast, Places

GPS_IFD = 0x8825
OnCommit = Callable[..., Any]


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _photo(
    fmt: str = "JPEG",
    size: tuple[int, int] = (640, 480),
    colour: tuple[int, int, int] = (200, 40, 40),
) -> bytes:
    """A photo as a phone writes it: EXIF with the camera and a GPS position, a comment."""
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif.tobytes(), comment=b"secret comment")
    return out.getvalue()


def _signed_in(username: str = "alice") -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _upload(client: Client, data: bytes, name: str = "me.jpg") -> object:
    return client.post(
        reverse("avatar_edit"), {"avatar": SimpleUploadedFile(name, data, "image/jpeg")}
    )


def test_upload_is_squared_resized_and_stripped_of_metadata(cast: Cast, media: Path) -> None:
    original = _photo()
    assert b"PhoneMaker" in original  # the fixture really carries metadata
    response = _upload(_signed_in(), original)
    assert response.status_code == 302  # type: ignore[attr-defined]
    cast.alice.refresh_from_db()
    stored = (media / "avatars" / cast.alice.avatar).read_bytes()
    assert b"PhoneMaker" not in stored
    assert b"secret comment" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "WEBP"
        assert image.size == (256, 256)
        assert not image.getexif()
        assert not {"exif", "xmp", "icc_profile", "comment"} & set(image.info)
    served = Client().get(cast.alice.avatar_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/webp"
    assert b"".join(served.streaming_content) == stored  # type: ignore[attr-defined]


def test_png_and_gif_are_accepted(cast: Cast) -> None:
    client = _signed_in()
    for fmt in ("PNG", "GIF"):
        out = io.BytesIO()
        Image.new("RGBA", (40, 90), (0, 0, 255, 128)).save(out, format=fmt)
        assert _upload(client, out.getvalue(), f"a.{fmt.lower()}").status_code == 302  # type: ignore[attr-defined]
    cast.alice.refresh_from_db()
    assert cast.alice.avatar.endswith(".webp")


def test_oversize_upload_is_refused_with_a_clear_message(
    cast: Cast, settings: Settings, media: Path
) -> None:
    settings.AVATAR_MAX_BYTES = 10_000
    response = _upload(_signed_in(), _photo(size=(1200, 1200)) + b"\0" * 20_000)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert b"too large" in response.content  # type: ignore[attr-defined]
    cast.alice.refresh_from_db()
    assert cast.alice.avatar == ""
    assert not (media / "avatars").exists()
    settings.AVATAR_MAX_BYTES = 2_097_152
    french = _signed_in()
    french.cookies.load({"django_language": "fr"})
    refused = _upload(french, b"\0" * 3_200_000)
    assert "trop lourde (3,1 Mo) ; 2 Mo au plus" in refused.content.decode()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.4 not a picture at all", b"not a picture we can read"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", b"not a"),
        (_photo("TIFF"), b"a TIFF file"),
        (_photo()[:300], b"could not be read"),
    ],
)
def test_wrong_or_damaged_files_are_refused(cast: Cast, data: bytes, expected: bytes) -> None:
    response = _upload(_signed_in(), data)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert expected in response.content  # type: ignore[attr-defined]
    assert Member.objects.get(pk=cast.alice.pk).avatar == ""


def test_no_file_is_a_400(cast: Cast) -> None:
    response = _signed_in().post(reverse("avatar_edit"), {})
    assert response.status_code == 400
    assert b"This field is required" in response.content


def test_avatar_shows_on_profile_people_and_thread_and_initials_otherwise(
    cast: Cast, places: Places
) -> None:
    thread = check_create_thread(cast.alice, places.forum, title="Hello", body_md="Hi all")
    check_create_thread(cast.bob, places.forum, title="Bob's", body_md="Hi")
    client = _signed_in()
    pages = [
        reverse("profile", args=["alice"]),
        reverse("people"),
        reverse("thread", args=[thread.pk]),
    ]
    for url in pages:
        assert b">AA</span>" in client.get(url).content, url  # Alice Archer's initials
    _upload(client, _photo())
    cast.alice.refresh_from_db()
    for url in pages:
        page = client.get(url).content.decode()
        assert f'src="{cast.alice.avatar_url}"' in page, url
    assert ">BB</span>" in client.get(reverse("people")).content.decode()


def test_remove_and_replace_delete_the_old_file(
    cast: Cast, media: Path, django_capture_on_commit_callbacks: OnCommit
) -> None:
    client = _signed_in()
    _upload(client, _photo())
    first = Member.objects.get(pk=cast.alice.pk).avatar
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, _photo(size=(300, 900), colour=(10, 120, 10)))
    second = Member.objects.get(pk=cast.alice.pk).avatar
    assert first != second
    assert not (media / "avatars" / first).exists()
    assert (media / "avatars" / second).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("avatar_edit"), {"remove": "1"}).status_code == 302
    assert Member.objects.get(pk=cast.alice.pk).avatar == ""
    assert not (media / "avatars" / second).exists()


def test_deleted_account_loses_its_picture(
    cast: Cast, media: Path, django_capture_on_commit_callbacks: OnCommit
) -> None:
    _upload(_signed_in(), _photo())
    name = Member.objects.get(pk=cast.alice.pk).avatar
    with django_capture_on_commit_callbacks(execute=True):
        check_delete_account(cast.alice, password=PASSWORD, posts="anonymize")
    assert Member.objects.get(pk=cast.alice.pk).avatar == ""
    assert not (media / "avatars" / name).exists()


def test_only_avatar_names_are_served(cast: Cast, media: Path) -> None:
    (media / "secret.txt").write_text("not for you")
    client = Client()
    for name in ("..%2Fsecret.txt", "secret.txt", "1-0123456789abcdef.webp", "1-xyz.webp"):
        assert client.get(f"/media/avatars/{name}").status_code == 404, name
    assert client.get(reverse("avatar_edit")).status_code == 302  # uploading needs sign-in


def test_initials() -> None:
    assert initials("Alice Archer") == "AA"
    assert initials("maya") == "M"
    assert initials("Jean-Luc de la Croix") == "JC"
    assert initials("") == "?"
