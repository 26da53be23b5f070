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
