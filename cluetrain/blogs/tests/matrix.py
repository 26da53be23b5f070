"""The blog posts the API permission matrix calls (cluetrain/api/tests/test_permissions.py):
alice's draft (only she may read, edit, publish or delete it) and bob's blog to follow."""

from typing import Any

from cluetrain.api.tests.conftest import World
from cluetrain.blogs.actions import PUBLISH, do_write_post
from cluetrain.members.models import Member


def alices_draft(world: World, me: Member | None) -> dict[str, Any]:
    post = do_write_post(world.cast.alice, title="Draft", body_md="Not yet.", tags=["hub"])
    return {"post_id": post.pk}


def bobs_blog(world: World, me: Member | None) -> dict[str, Any]:
    do_write_post(world.cast.bob, title="Out", body_md="Published.", tags=["hub"], action=PUBLISH)
    return {"username": "bob"}


def hub_tag(world: World, me: Member | None) -> dict[str, Any]:
    do_write_post(world.cast.bob, title="Out", body_md="Published.", tags=["hub"], action=PUBLISH)
    return {"slug": "hub"}


def alices_published(world: World, me: Member | None) -> dict[str, Any]:
    post = do_write_post(world.cast.alice, title="Out", body_md="Read me.", action=PUBLISH)
    return {"post_id": post.pk}
