"""Input no view should see (control characters, oversized bodies) is refused where it enters.

Each address below answered 500 on PostgreSQL, which cannot store NUL in text, before
cluetrain.core.middleware refused it once for every view.
"""

import json
from urllib.parse import urlencode

import pytest
from django.test import Client

from conftest import PASSWORD, Cast, Places

NUL_ADDRESSES = [
    "/api/members?q=a%00b",
    "/api/members?location=a%00b",
    "/api/members?expertise=a%00b",
    "/api/ideas?product=a%00b",
    "/ideas/?product=a%00b",
    "/api/spaces/general/threads?tag=a%00b",
    "/people/a%00b/",
    "/api/members/a%00b",
    "/api/spaces/a%00b",
    "/api/products/x%00y/reviews",
]
TWENTY_MB = 20 * 1024 * 1024


def _assert_api_error(response: object, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/json"  # type: ignore[index]
    error = json.loads(response.content)["error"]  # type: ignore[attr-defined]
    assert error["code"] == code
    assert set(error) == {"code", "message", "field", "details"}
    return dict(error)


def _assert_html_error(response: object, status: int) -> None:
    assert response.status_code == status  # type: ignore[attr-defined]
    assert response["Content-Type"].startswith("text/html")  # type: ignore[index]


@pytest.mark.parametrize("address", NUL_ADDRESSES)
def test_nul_in_path_or_query_is_a_400(
    client: Client, cast: Cast, places: Places, address: str
) -> None:
    client.login(username="alice", password=PASSWORD)
    response = client.get(address)
    if address.startswith("/api/"):
        error = _assert_api_error(response, 400, "invalid")
        assert "control character" in str(error["message"]).lower()
    else:
        _assert_html_error(response, 400)
        assert b"control character" in response.content.lower()


def test_the_query_parameter_is_named(client: Client, db: None) -> None:
    error = _assert_api_error(client.get("/api/members", {"q": "a\x00b"}), 400, "invalid")
    assert error["field"] == "q"
    assert str(error["message"]).startswith("q: ")


@pytest.mark.parametrize("character", ["\x01", "\t", "\n", "\x1b", "\x7f", "\x85"])
def test_every_control_character_is_refused_in_a_query(
    client: Client, places: Places, character: str
) -> None:
    assert client.get("/search/", {"q": f"a{character}b"}).status_code == 400
    assert client.get("/search/", {f"q{character}": "a"}).status_code == 400


def test_ordinary_text_passes(client: Client, cast: Cast, places: Places) -> None:
    for query in ("thermostat", "été 温度 🔥", "\ue000marker\ue001", "' OR 1=1 --"):
        assert client.get("/search/", {"q": query}).status_code == 200
        assert client.get("/api/members", {"q": query}).status_code == 200


def test_a_form_field_with_nul_is_a_400(client: Client, cast: Cast, places: Places) -> None:
    client.login(username="alice", password=PASSWORD)
    url = f"/s/{places.forum.slug}/new/"
    multipart = client.post(url, {"title": "Hub\x00 offline", "body": "It blinks."})
    _assert_html_error(multipart, 400)
    assert b"title" in multipart.content
    urlencoded = client.post(
        url,
        urlencode({"title": "Hub offline", "body": "It\x0b blinks."}),
        content_type="application/x-www-form-urlencoded",
    )
    _assert_html_error(urlencoded, 400)
    assert b"body" in urlencoded.content
    assert not places.forum.threads.exists()


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_line_breaks_and_tabs_in_form_fields_pass(
    client: Client, cast: Cast, places: Places, encoding: str
) -> None:
    client.login(username="alice", password=PASSWORD)
    form = {"title": "Hub offline", "body": "First line\r\nSecond line\n\tindented"}
    url = f"/s/{places.forum.slug}/new/"
    if encoding == "multipart":
        response = client.post(url, form)
    else:
        response = client.post(
            url, urlencode(form), content_type="application/x-www-form-urlencoded"
        )
    assert response.status_code == 302
    post = places.forum.threads.get().posts.get()
    assert post.body_md.replace("\r\n", "\n") == "First line\nSecond line\n\tindented"


def test_a_form_field_name_with_nul_is_a_400(client: Client, places: Places) -> None:
    response = client.post("/accounts/login/", {"user\x00name": "alice", "password": "x"})
    _assert_html_error(response, 400)


def test_json_bodies_are_still_checked_field_by_field_by_the_api(
    client: Client, cast: Cast, places: Places
) -> None:
    client.login(username="alice", password=PASSWORD)
    response = client.post(
        f"/api/spaces/{places.forum.slug}/threads",
        {"title": "Hub\u0000 offline", "body": "It blinks.", "kind": "discussion"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert json.loads(response.content)["error"]["field"] == "title"


def test_a_20_mb_api_body_is_a_413_in_the_api_error_shape(client: Client, db: None) -> None:
    body = json.dumps({"title": "x" * TWENTY_MB})
    response = client.post("/api/spaces/general/threads", body, content_type="application/json")
    error = _assert_api_error(response, 413, "too_large")
    assert "bytes" in str(error["message"])


def test_a_20_mb_form_is_a_413_page(client: Client, db: None) -> None:
    response = client.post(
        "/accounts/login/",
        "username=" + "x" * TWENTY_MB,
        content_type="application/x-www-form-urlencoded",
    )
    _assert_html_error(response, 413)
