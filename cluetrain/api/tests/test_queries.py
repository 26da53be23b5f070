"""Lists cost the same number of queries however many rows they show (no N+1)."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cluetrain.api.tests.conftest import World
from cluetrain.ideas.actions import do_create_idea
from cluetrain.moderation.actions import do_flag_post
from cluetrain.reviews.actions import do_post_review
from cluetrain.spaces.actions import do_follow_space
from cluetrain.threads.actions import do_create_thread, do_reply
from conftest import make_member


def _more_threads(world: World, n: int) -> None:
    for i in range(n):
        do_create_thread(
            world.cast.bob, world.places.forum, title=f"T{i}", body_md="x", kind="discussion"
        )


def _more_replies(world: World, n: int) -> None:
    for i in range(n):
        do_reply(world.cast.pat, world.thread, body_md=f"r{i}")


def _more_reviews(world: World, n: int) -> None:
    for i in range(n):
        author = make_member(f"rev{i}", "customer")
        do_post_review(
            author, world.places.product, world.places.reviews, stars=3, title="t", body_md="b"
        )


def _more_ideas(world: World, n: int) -> None:
    for i in range(n):
        do_create_idea(world.cast.pat, world.places.ideas, title=f"I{i}", body_md="x")


def _more_flags(world: World, n: int) -> None:
    for i in range(n):
        do_flag_post(make_member(f"flagger{i}", "customer"), world.reply, reason="spam")


def _more_follows(world: World, n: int) -> None:
    for i in range(n):
        do_follow_space(make_member(f"fan{i}", "customer"), world.places.qa)


LISTS: dict[str, tuple[str, Callable[[World, int], None]]] = {
    "threads": ("/api/spaces/general/threads", _more_threads),
    "posts": ("/api/threads/{thread}/posts", _more_replies),
    "tree": ("/api/threads/{thread}/posts?layout=tree", _more_replies),
    "reviews": ("/api/products/lumen-hub/reviews", _more_reviews),
    "ideas": ("/api/ideas", _more_ideas),
    "flags": ("/api/moderation/flags", _more_flags),
    "spaces": ("/api/spaces", _more_follows),
}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_list_query_count_does_not_grow_with_rows(world: World, name: str) -> None:
    template, add = LISTS[name]
    path = template.format(thread=world.thread.pk)
    client = world.client(world.cast.maya)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    count()  # the token's first request opens its rate window: more queries
    before = count()
    add(world, 4)
    assert count() == before


def test_space_list_counts_threads_and_followers_without_multiplying_them(world: World) -> None:
    # Counting both through joins reads threads x followers rows per space: seconds on the
    # demo community for a list of twelve spaces.
    _more_threads(world, 3)
    for i in range(2):
        do_follow_space(make_member(f"fan{i}", "customer"), world.places.forum)
    client = world.client(world.cast.maya)
    with CaptureQueriesContext(connection) as queries:
        answer = client.get("/api/spaces")
    general = next(s for s in answer.json()["items"] if s["slug"] == "general")
    assert (general["thread_count"], general["follower_count"]) == (4, 2)
    listing = [q["sql"] for q in queries if "COUNT(" in q["sql"] and "spaces_space" in q["sql"]]
    assert listing
    assert not any('JOIN "spaces_spacefollow"' in sql for sql in listing)
