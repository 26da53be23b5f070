"""Conventions every list and answer keeps (docs/api.md): a filter naming something that does
not exist is a 400 naming the field, and a member is named as webhooks name one (with id and
an absolute profile URL)."""

import pytest
from django.conf import settings

from cluetrain.api.tests.conftest import World
from cluetrain.threads.actions import do_create_thread
from cluetrain.topics.models import Topic
from cluetrain.webhooks.events import _member


@pytest.mark.parametrize(
    ("path", "field", "message"),
    [
        ("/api/ideas", "product", "No product “nope”."),
        ("/api/spaces/general/threads", "tag", "No tag “nope”."),
    ],
)
def test_an_unknown_filter_value_is_a_400_naming_the_field(
    world: World, path: str, field: str, message: str
) -> None:
    # It answered an empty 200 (and the partners' directory a 404): a misspelt slug read
    # as "nothing there".
    answer = world.client(world.cast.alice).get(path, **{field: "nope"})
    assert answer.status_code == 400
    assert answer.json()["error"] == {
        "code": "invalid",
        "message": message,
        "field": field,
        "details": [],
    }


def test_a_known_filter_value_still_filters(world: World) -> None:
    alice = world.client(world.cast.alice)
    slug = world.places.product.slug
    assert alice.get("/api/ideas", product=slug).json()["items"] == []  # bob's idea has none
    do_create_thread(
        world.cast.alice,
        world.places.forum,
        title="Tagged",
        body_md="With a tag.",
        kind="discussion",
        tags=[Topic.objects.create(name="Firmware", slug="firmware")],
    )
    tagged = alice.get(f"/api/spaces/{world.places.forum.slug}/threads", tag="firmware").json()
    assert [t["title"] for t in tagged["items"]] == ["Tagged"]


def test_a_member_is_named_as_webhooks_name_one(world: World) -> None:
    thread = world.client(None).get(f"/api/threads/{world.thread.pk}").json()
    alice = world.cast.alice
    assert thread["author"] == _member(alice)
    assert thread["author"]["id"] == alice.pk
    assert thread["author"]["url"] == f"{settings.SITE_URL}/people/{alice.username}/"
