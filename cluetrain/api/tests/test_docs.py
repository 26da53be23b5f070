"""The OpenAPI schema and the interactive docs, served without any CDN."""

import re

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
