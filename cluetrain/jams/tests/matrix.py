"""The jam the API permission matrix calls (cluetrain/api/tests/test_permissions.py)."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from cluetrain.api.tests.conftest import World
from cluetrain.ideas.actions import do_create_idea
from cluetrain.jams.actions import do_create_jam
from cluetrain.jams.models import Jam, Theme, ThemeAssignment
from cluetrain.members.models import Member


def _jam(world: World) -> tuple[Jam, list[Theme], list[int]]:
    """A live jam open to everyone, hosted by sam: themes A (two posts) and B (one)."""
    now = timezone.now()
    cast = world.cast
    jam = do_create_jam(
        cast.sam,
        title="Matrix jam",
        question="What next?",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
        hosts=[cast.sam],
    )
    posts = [
        do_create_idea(author, jam.space, title=title, body_md=title).thread.posts.get().pk
        for author, title in (
            (cast.alice, "Dark mode"),
            (cast.bob, "Night mode"),
            (cast.bob, "API"),
        )
    ]
    themes = [
        Theme.objects.create(jam=jam, label=label, size=size, created_at=now, updated_at=now)
        for label, size in (("Dark", 2), ("Integrations", 1))
    ]
    for post_id, theme in zip(posts, (themes[0], themes[0], themes[1]), strict=True):
        ThemeAssignment.objects.create(post_id=post_id, jam=jam, theme=theme, assigned_at=now)
    return jam, themes, posts


def jam(world: World, me: Member | None) -> dict[str, Any]:
    return {"slug": _jam(world)[0].slug}


def theme(world: World, me: Member | None) -> dict[str, Any]:
    made, themes, _ = _jam(world)
    return {"slug": made.slug, "theme_id": themes[0].pk}


def merge(world: World, me: Member | None) -> dict[str, Any]:
    made, themes, _ = _jam(world)
    return {"slug": made.slug, "theme_id": themes[0].pk, "into_id": themes[1].pk}


def split(world: World, me: Member | None) -> dict[str, Any]:
    made, themes, posts = _jam(world)
    return {"slug": made.slug, "theme_id": themes[0].pk, "post_id": posts[0]}


def post(world: World, me: Member | None) -> dict[str, Any]:
    made, _, posts = _jam(world)
    return {"slug": made.slug, "post_id": posts[0]}
