import html
import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cluetrain.threads.models import Post
from conftest import Cast

pytestmark = pytest.mark.django_db
URL = "/admin-tools/import/"
TWCS = (
    "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
    "1,115712,True,Tue Oct 31 22:10:00 +0000 2017,my phone has no signal,,\n"
    "2,sprintcare,False,Tue Oct 31 22:11:00 +0000 2017,@115712 Please DM us,,1\n"
    "3,115712,True,not a date,hmm,,2\n"
)


def upload(name: str = "twcs.csv", content: str = TWCS) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode(), content_type="text/csv")


def test_staff_upload_imports_and_shows_summary_and_errors(
    client: Client, cast: Cast, settings: object, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    client.force_login(cast.sam)

    response = client.post(URL, {"format": "twcs", "file": upload(), "source": "Twitter"})

    assert response.status_code == 200
    page = response.content.decode()
    assert '{"read": 3, "imported": 2, "duplicates": 0, "errors": 1}' in page
    assert "line 4: created_at &#x27;not a date&#x27; is not like" in page
    assert sorted(str(i) for i in Post.objects.values_list("external_id", flat=True)) == ["1", "2"]
    assert list((tmp_path / "imports").iterdir()) == []  # the saved upload is gone


def test_the_result_is_headed_as_an_import_not_as_an_idea_status(
    client: Client, cast: Cast, settings: object, tmp_path: Path
) -> None:
    # "Done" is also an idea's status, whose French is "Réalisée" (feminine, for an idea).
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    client.force_login(cast.sam)

    english = client.post(URL, {"format": "twcs", "file": upload()}).content.decode()
    french = client.post(
        URL, {"format": "twcs", "file": upload()}, headers={"Accept-Language": "fr"}
    ).content.decode()

    assert "<h2>Import finished</h2>" in english
    assert "Réalisée" not in french


def test_admin_sees_the_form(client: Client, cast: Cast) -> None:
    client.force_login(cast.ada)

    response = client.get(URL)

    assert response.status_code == 200
    assert 'name="format"' in response.content.decode()


@pytest.mark.parametrize("who", ["alice", "pat"])
def test_customers_and_partners_are_refused(client: Client, cast: Cast, who: str) -> None:
    client.force_login(getattr(cast, who))

    response = client.post(URL, {"format": "twcs", "file": upload()})

    assert response.status_code == 403
    assert Post.objects.count() == 0


def test_anonymous_is_sent_to_log_in(client: Client) -> None:
    response = client.post(URL, {"format": "twcs", "file": upload()})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Post.objects.count() == 0


def test_unknown_format_is_refused_by_the_form(client: Client, cast: Cast) -> None:
    client.force_login(cast.sam)

    response = client.post(URL, {"format": "xml", "file": upload()})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert Post.objects.count() == 0


def test_the_import_form_labels_are_translatable() -> None:
    from django.utils.functional import Promise

    from cluetrain.imports.forms import ImportForm

    assert all(isinstance(f.label, Promise) for f in ImportForm().fields.values())


def test_row_errors_are_shown_in_the_readers_language_with_their_lines(
    client: Client, cast: Cast, places: object, settings: object, tmp_path: Path
) -> None:
    # They were the parsers' English on every page, whatever the language.
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    client.force_login(cast.sam)
    common: dict[str, object] = {
        "source": "Forum X",
        "author": "u1",
        "created_at": "2024-05-01T10:00:00Z",
        "text": "Hello",
    }
    lines: list[dict[str, object]] = [
        {"id": "ok"},
        {"id": "a", "rating": 9, "product": "Lumen Hub"},  # pydantic's, worded as the API does
        {"id": "b", "rating": 3},  # the parser's own
        {"id": "c", "rating": 3, "product": "Lumen Toaster"},  # the loader's
    ]
    content = "".join(json.dumps(common | fields) + "\n" for fields in lines)

    def errors_shown(language: str) -> list[str]:
        response = client.post(
            URL,
            {"format": "jsonl", "file": upload("m.jsonl", content)},
            headers={"Accept-Language": language},
        )
        page = html.unescape(response.content.decode())
        return re.findall(r"<li>(\S+ \d+ ?: .*?)</li>", page)

    assert errors_shown("fr") == [
        "ligne 2 : rating : la valeur doit être inférieure ou égale à 5",
        "ligne 3 : rating : une note demande un produit",
        "ligne 4 : produit inconnu 'Lumen Toaster' : aucun produit n'a ce nom ni ce slug",
    ]
    assert errors_shown("en") == [
        "line 2: rating: Input should be less than or equal to 5",
        "line 3: rating: a rating needs a product",
        "line 4: unknown product 'Lumen Toaster': no product has that name or slug",
    ]
    assert Post.objects.filter(external_id="ok").exists()  # the good row is kept
