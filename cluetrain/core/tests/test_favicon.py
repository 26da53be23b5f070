import pytest
from django.test import Client


@pytest.mark.django_db
def test_every_page_links_a_favicon_that_is_served(client: Client) -> None:
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/cluetrain/favicon.svg" type="image/svg+xml">' in page
    icon = client.get("/static/cluetrain/favicon.svg")
    assert icon.status_code == 200
    assert b"<svg" in icon.getvalue()
