"""Cursor pagination: opaque, signed, stable while rows are added."""

from datetime import timedelta

import pytest
from django.core import signing

from cluetrain.api.pagination import CURSOR_SALT, decode_cursor, encode_cursor
from cluetrain.api.tests.conftest import World
from cluetrain.api_root import api
from cluetrain.core.errors import ActionError
from cluetrain.threads.actions import do_create_thread, do_reply
from cluetrain.threads.models import Thread


def _titles(page: dict) -> list[str]:  # type: ignore[type-arg]
    return [item["title"] for item in page["items"]]


def test_pages_stay_stable_when_rows_are_added(world: World) -> None:
    base = world.thread.created_at
    for n in range(5):
        do_create_thread(
            world.cast.bob,
            world.places.ideas,
            title=f"Idea {n}",
            body_md="x",
            kind="discussion",
            created_at=base + timedelta(minutes=n + 1),
        )
    client = world.client(world.cast.alice)
    first = client.get("/api/spaces/ideas/threads", limit=2).json()
    assert _titles(first) == ["Idea 4", "Idea 3"]
    # A new thread (newest of all) and new activity arrive while the client pages on.
    do_create_thread(
        world.cast.bob,
        world.places.ideas,
        title="Latecomer",
        body_md="x",
        kind="discussion",
        created_at=base + timedelta(minutes=30),
    )
    second = client.get("/api/spaces/ideas/threads", limit=2, cursor=first["next"]).json()
    assert _titles(second) == ["Idea 2", "Idea 1"]
    third = client.get("/api/spaces/ideas/threads", limit=2, cursor=second["next"]).json()
    assert _titles(third) == ["Idea 0", "Dark mode"]
    assert third["next"] is None
    assert Thread.objects.filter(space=world.places.ideas).count() == 7


def test_posts_page_in_the_order_written(world: World) -> None:
    for n in range(3):
        do_reply(world.cast.alice, world.thread, body_md=f"Reply {n}")
    client = world.client(None)
    path = f"/api/threads/{world.thread.pk}/posts"
    first = client.get(path, limit=3).json()
    rest = client.get(path, limit=3, cursor=first["next"]).json()
    bodies = [p["body_md"] for p in first["items"] + rest["items"]]
    assert bodies == ["Since the update.", "Same here.", "Reply 0", "Reply 1", "Reply 2"]
    assert rest["next"] is None
    tree = client.get(path, layout="tree", limit=2).json()
    assert [p["depth"] for p in tree["items"]] == [0, 1]
    assert tree["next"] is not None


def test_a_reply_written_while_paging_the_tree_repeats_nothing(world: World) -> None:
    # The tree's pages were offsets: a reply deep in a part already read pushed the last
    # post read onto the next page again.
    answer = do_reply(world.cast.alice, world.thread, body_md="A1", parent=world.reply)
    for body in ("B", "C"):
        do_reply(world.cast.alice, world.thread, body_md=body)
    client = world.client(None)
    path = f"/api/threads/{world.thread.pk}/posts"
    first = client.get(path, layout="tree", limit=4).json()
    assert [p["body_md"] for p in first["items"]] == ["Since the update.", "Same here.", "A1", "B"]
    do_reply(world.cast.bob, world.thread, body_md="A2", parent=world.reply)
    rest = client.get(path, layout="tree", limit=4, cursor=first["next"]).json()
    assert [p["body_md"] for p in rest["items"]] == ["C"]
    assert rest["next"] is None
    assert answer.parent_id == world.reply.pk


def test_forged_or_foreign_cursors_are_refused(world: World) -> None:
    client = world.client(world.cast.alice)
    forged = signing.dumps({"o": ["-is_pinned"], "v": [1]}, salt="other")
    response = client.get("/api/spaces/general/threads", cursor=forged)
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "cursor"
    foreign = signing.dumps({"o": ["name", "pk"], "v": ["a", 1]}, salt=CURSOR_SALT)
    assert client.get("/api/spaces/general/threads", cursor=foreign).status_code == 400
    assert client.get("/api/spaces", limit=101).status_code == 400
    assert client.get("/api/spaces", limit=0).status_code == 400


def test_lists_that_share_an_order_refuse_each_others_cursors(world: World) -> None:
    # Tokens (unnamed) and referrals (named) are both newest first: same keys, other list.
    order = ("-created_at", "-pk")
    named = encode_cursor(order, [world.thread.created_at, 1], "referrals")
    assert decode_cursor(named, order, "referrals")[1] == 1
    response = world.client(world.cast.alice).get("/api/tokens", cursor=named)
    assert (response.status_code, response.json()["error"]["field"]) == (400, "cursor")
    with pytest.raises(ActionError):
        decode_cursor(named, order, "orders")
    with pytest.raises(ActionError):
        decode_cursor(encode_cursor(order, [world.thread.created_at, 1]), order, "referrals")


PAGED_SINCE_2026_12_05 = {
    "/api/orders": "status",
    "/api/orders/listings": "price",
    "/api/orders/board": "answer",
    "/api/orders/resolutions": "to_retailers",
    "/api/partners/inbox": "need",
    "/api/referrals": "need",
    "/api/blogs/by/{username}/posts": "published_at",
    "/api/blogs/tags/{slug}": "published_at",
    "/api/requests": "pseudonym",
    "/api/requests/{request_id}/messages": "sender",
    "/api/vendor/requests": "pseudonym",
    "/api/vendor/offers": "price",
    "/api/relationships": "strength",
}


def test_the_schema_shows_the_lists_paged_with_their_own_items(db: None) -> None:
    # Each page type names its own items: two lists' types of one name would share one schema.
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]

    def resolve(ref: dict) -> dict:  # type: ignore[type-arg]
        return components[ref["$ref"].rsplit("/", 1)[-1]]  # type: ignore[no-any-return]

    for path, field in PAGED_SINCE_2026_12_05.items():
        operation = schema["paths"][path]["get"]
        assert {"cursor", "limit"} <= {p["name"] for p in operation["parameters"]}, path
        page = resolve(operation["responses"][200]["content"]["application/json"]["schema"])
        assert set(page["required"]) >= {"items", "next"}, path
        assert field in resolve(page["properties"]["items"]["items"])["properties"], path
