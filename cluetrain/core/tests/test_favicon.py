import pytest
from django.test import Client


@pytest.mark.django_db
def test_every_page_links_a_favicon_that_is_served(client: Client) -> None:
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/cluetrain/favicon.svg" type="image/svg+xml">' in page
    icon = client.get("/static/cluetrain/favicon.svg")
    assert icon.status_code == 200
    assert b"<svg" in icon.getvalue()


@pytest.mark.django_db
def test_the_django_admin_links_the_favicon_too(client: Client) -> None:
    # Without a link the browser asked for /favicon.ico, a 404 on every admin page.
    page = client.get("/admin/login/").content.decode()
    assert '<link rel="icon" href="/static/cluetrain/favicon.svg" type="image/svg+xml">' in page
    assert "Django administration" in page  # Django's own page still, only with the icon
