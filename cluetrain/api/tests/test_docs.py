"""The OpenAPI schema and the interactive docs, served without any CDN."""

import re
from pathlib import Path

from django.test import Client


def test_the_schema_is_served(db: None) -> None:
    schema = Client().get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Cluetrain API"
    assert "/api/spaces/{slug}/threads" in schema["paths"]
    assert set(schema["components"]["securitySchemes"]) >= {"TokenAuth", "SessionAuth"}


def test_the_docs_page_uses_only_local_files(db: None) -> None:
    response = Client().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert urls
    assert [url for url in urls if url.startswith(("http:", "https:", "//"))] == []
    assert "cdn" not in html.lower()


def test_the_docs_page_says_what_to_read_without_javascript(db: None) -> None:
    # Swagger UI draws the whole page with JavaScript: without it the page was blank.
    html = Client().get("/api/docs").content.decode()
    noscript = re.search(r"<noscript>(.*?)</noscript>", html, re.S)
    assert noscript is not None
    assert 'href="/api/openapi.json"' in noscript.group(1)
    # Phones get the page at their width, not a shrunken desktop page.
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_docs_api_md_names_every_area_and_what_is_page_only(db: None) -> None:
    # The page said the API covered "everything the pages do": it has no data export, account
    # deletion, webhooks or imports, and half of its areas were missing from the table.
    text = (Path(__file__).resolve().parents[3] / "docs" / "api.md").read_text()
    paths = Client().get("/api/openapi.json").json()["paths"]
    areas = {path.split("/")[2] for path in paths}
    assert {area for area in areas if f"/api/{area}" not in text} == set()
    page_only = ["webhook", "export", "import", "delete", "data"]
    assert [path for path in paths if any(word in path for word in page_only)] == []
    assert "everything a member" not in text.lower()
    only_in_pages = text.split("### Only in the pages", 1)[1]
    for page in ["/settings/data/", "/settings/delete-account/", "/staff/webhooks/"]:
        assert page in only_in_pages
    assert "/admin-tools/import/" in only_in_pages


def test_no_two_api_types_share_a_name(db: None) -> None:
    # The served schema keeps one component per name: two apps' `EventOut` would document one
    # list with the other's items, silently.
    from ninja import Schema

    Client().get("/api/openapi.json")  # every router imported
    seen: dict[str, list[str]] = {}
    todo = list(Schema.__subclasses__())
    while todo:
        kind = todo.pop()
        todo.extend(kind.__subclasses__())
        if kind.__module__.startswith("cluetrain."):
            seen.setdefault(kind.__name__, []).append(kind.__module__)
    shared = {name: sorted(set(where)) for name, where in seen.items() if len(set(where)) > 1}
    assert shared == {}
