import pytest
from django.test import Client

from cluetrain.core.markdown import render_markdown
from cluetrain.spaces.access import access_space, readable_spaces
from conftest import Cast, Places


def test_markdown_renders_and_strips_script() -> None:
    html = render_markdown("**hi** <script>alert(1)</script> [x](javascript:alert(1))")
    assert "<strong>hi</strong>" in html
    assert "<script" not in html
    assert 'href="javascript' not in html


def test_private_spaces_are_hidden_from_customers(cast: Cast, places: Places) -> None:
    slugs = set(readable_spaces(cast.alice).values_list("slug", flat=True))
    assert slugs == {"general", "help", "ideas", "reviews"}
    partner_slugs = set(readable_spaces(cast.pat).values_list("slug", flat=True))
    assert partner_slugs == {"general", "help", "ideas", "reviews", "partner-lounge"}
    assert access_space(cast.sam, "staff-room") == places.staff_room


@pytest.mark.django_db
def test_admin_login_page_is_served(client: Client) -> None:
    assert client.get("/admin/login/").status_code == 200
