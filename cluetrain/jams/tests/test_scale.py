"""The jam page and posting do the same work in a jam of ten posts and in a jam of a hundred:
nothing they query grows with the jam (the scale benchmark, `cluetrain bench jam`, measures
the time at a million posts)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from pytest_django import DjangoAssertNumQueries
from pytest_django.fixtures import Settings

from cluetrain.ideas.actions import do_create_idea
from cluetrain.jams.bulk import IdeaDraft, do_bulk_ideas
from cluetrain.jams.clustering import do_recluster
from cluetrain.jams.models import Jam
from cluetrain.jams.tests.test_jams import _client, _fill
from cluetrain.threads.models import Post
from conftest import Cast

pytestmark = pytest.mark.django_db(transaction=True)

# Anonymous reader: the jam, the latest posts; then, when the cached part is cold, themes,
# their representative posts, the recent threads' ids and those threads, highlights, hosts.
ANONYMOUS_WARM = 2
ANONYMOUS_COLD = ANONYMOUS_WARM + 6
# A member adds their session, themselves and their unread notifications (base.html).
MEMBER_WARM = ANONYMOUS_WARM + 3


def _grow(jam: Jam, cast: Cast, ideas: int) -> None:
    at = jam.starts_at + timedelta(minutes=5)
    drafts = [
        IdeaDraft(
            cast.bob.pk,
            f"Battery idea {n}",
            f"Battery warning number {n} for the hub sensors",
            at,
            replies=[(cast.alice.pk, f"Yes, battery {n} matters", at)],
        )
        for n in range(ideas)
    ]
    do_bulk_ideas(jam, drafts)
    do_recluster(jam.pk)


def _page_queries(client: Client, jam: Jam, cold: bool) -> int:
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/jams/{jam.slug}/")
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.fixture
def _cache_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    # The page's parts are kept 10 s; a loaded test machine can take longer than that.
    monkeypatch.setattr("cluetrain.jams.views.LIVE_CACHE_SECONDS", 3600)


@pytest.mark.usefixtures("_cache_kept")
def test_the_jam_page_queries_do_not_grow_with_the_jam(
    cast: Cast, live_jam: Jam, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    _fill(live_jam, cast)
    member = _client(cast.alice)
    small = {
        "anonymous cold": _page_queries(Client(), live_jam, cold=True),
        "anonymous warm": _page_queries(Client(), live_jam, cold=False),
        "member warm": _page_queries(member, live_jam, cold=False),
    }
    assert small == {
        "anonymous cold": ANONYMOUS_COLD,
        "anonymous warm": ANONYMOUS_WARM,
        "member warm": MEMBER_WARM,
    }
    _grow(live_jam, cast, 45)
    assert Post.objects.filter(thread__space=live_jam.space).count() == 100
    large = {
        "anonymous cold": _page_queries(Client(), live_jam, cold=True),
        "anonymous warm": _page_queries(Client(), live_jam, cold=False),
        "member warm": _page_queries(member, live_jam, cold=False),
    }
    assert large == small
    do_create_idea(cast.bob, live_jam.space, title="Solar roof", body_md="Solar panels, please")
    with django_assert_num_queries(ANONYMOUS_WARM):
        page = Client().get(f"/jams/{live_jam.slug}/").content.decode()
    assert "Solar panels, please" in page  # the live conversation is never stale


def test_a_highlight_shows_at_once_despite_the_cache(cast: Cast, live_jam: Jam) -> None:
    _fill(live_jam, cast)
    reader = Client()
    assert "jam-highlights" not in reader.get(f"/jams/{live_jam.slug}/").content.decode()
    post = Post.objects.filter(thread__space=live_jam.space).first()
    assert post is not None
    response = _client(cast.sam).post(
        f"/jams/{live_jam.slug}/highlight/", {"post": post.pk, "note": "Worth a look"}
    )
    assert response.status_code == 302
    assert "Worth a look" in reader.get(f"/jams/{live_jam.slug}/").content.decode()


def _post_queries(client: Client, jam: Jam, n: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            f"/jams/{jam.slug}/", {"title": f"Battery alarm {n}", "body": "A battery alarm"}
        )
    assert response.status_code == 302
    return len(queries.captured_queries)


def test_posting_in_a_jam_does_not_grow_with_the_jam(
    cast: Cast, live_jam: Jam, settings: Settings
) -> None:
    _fill(live_jam, cast)
    _grow(live_jam, cast, 5)
    # As `cluetrain serve` runs: after-commit work is queued for the worker, not run here.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    poster = _client(cast.alice)
    _post_queries(poster, live_jam, 0)  # the first post warms per-process caches
    small = _post_queries(poster, live_jam, 1)
    _grow(live_jam, cast, 45)
    large = _post_queries(poster, live_jam, 2)
    assert large == small
    # The posts went through the guard's fast path and are queued to find their theme.
    mine = set(
        Post.objects.filter(thread__title__startswith="Battery alarm").values_list("pk", flat=True)
    )
    queued = {
        r.args_kwargs["args"][0]
        for r in DBTaskResult.objects.filter(task_path="cluetrain.jams.tasks.theme_post")
    }
    assert len(mine) == 3
    assert mine <= queued
