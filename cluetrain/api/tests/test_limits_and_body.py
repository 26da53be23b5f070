"""Writes take `body_md` (as reads return it) or the older `body`; invisible titles are
refused; token creation is limited per hour (Found #7 and #9)."""

import pytest
from pytest_django.fixtures import Settings

from cluetrain.api.tests.conftest import World
from cluetrain.threads.models import Post

ZERO_WIDTH = "\u200b\u200b\u2060\ufeff"


def test_writes_take_body_md_and_the_deprecated_body(world: World) -> None:
    api = world.client(world.cast.alice)
    path = f"/api/threads/{world.thread.pk}/posts"
    new = api.post(path, {"body_md": "Named as reads name it."})
    assert new.status_code == 201, new.json()
    assert new.json()["body_md"] == "Named as reads name it."
    old = api.post(path, {"body": "An older client."})
    assert old.status_code == 201, old.json()
    assert Post.objects.filter(body_md="An older client.").exists()
    both = api.post(path, {"body": "a", "body_md": "b"})
    assert both.status_code == 400
    created = api.post(
        f"/api/spaces/{world.places.forum.slug}/threads", {"title": "New", "body_md": "Text"}
    )
    assert created.status_code == 201, created.json()
    edited = api.patch(f"/api/posts/{new.json()['id']}", {"body_md": "Edited."})
    assert edited.status_code == 200, edited.json()
    assert edited.json()["body_md"] == "Edited."


@pytest.mark.parametrize("title", [ZERO_WIDTH, " \u200b ", "\u200e\u200f"])
def test_a_title_of_invisible_characters_is_refused(world: World, title: str) -> None:
    alice = world.client(world.cast.alice)
    answers = [
        alice.post(
            f"/api/spaces/{world.places.forum.slug}/threads", {"title": title, "body_md": "x"}
        ),
        alice.post(
            "/api/ideas", {"space": world.places.ideas.slug, "title": title, "body_md": "x"}
        ),
        alice.post(
            f"/api/products/{world.places.product.slug}/reviews",
            {"stars": 3, "title": title, "body_md": "x"},
        ),
    ]
    for response in answers:
        assert response.status_code == 400, response.json()
        assert response.json()["error"]["field"] == "title"
        assert "title" in response.json()["error"]["message"].lower()


def test_token_creation_is_limited_per_hour(world: World, settings: Settings) -> None:
    settings.TOKEN_RATE_LIMIT_PER_HOUR = 2
    api = world.client(world.cast.alice)  # made by do_create_token: not counted
    statuses = [api.post("/api/tokens", {"name": f"t{n}"}).status_code for n in range(3)]
    assert statuses == [201, 201, 429]
    refused = api.post("/api/tokens", {"name": "again"})
    assert refused.json()["error"]["code"] == "rate_limited"
    assert "tokens in the last hour" in refused.json()["error"]["message"]
