"""A blog's and a tag's posts in the API page through every post (they stopped at 100)."""

from datetime import UTC, datetime, timedelta

from cluetrain.api.pagination import encode_cursor
from cluetrain.api.tests.conftest import ApiClient
from cluetrain.api.tests.paging import assert_cursor_refused, read_all_pages
from cluetrain.api.tokens import do_create_token
from cluetrain.blogs.actions import DRAFT, PUBLISH, do_write_post
from cluetrain.blogs.models import BlogPost
from cluetrain.members.models import Member
from conftest import Cast

START = datetime(2026, 9, 1, tzinfo=UTC)
MANY = 103  # more than the 100 the lists used to stop at


def _api(who: Member | None) -> ApiClient:
    if who is None:
        return ApiClient()
    return ApiClient(do_create_token(who, name="tests", scope="read")[1])


def _publish(author: Member, n: int, when: datetime) -> BlogPost:
    return do_write_post(
        author, title=f"Post {n}", body_md="B", tags=["hub"], action=PUBLISH, published_at=when
    )


def test_a_blog_and_a_tag_page_through_every_post(cast: Cast) -> None:
    posts = [_publish(cast.alice, n, START + timedelta(hours=n)) for n in range(MANY)]
    drafts = [
        do_write_post(cast.alice, title=f"Draft {n}", body_md="B", action=DRAFT) for n in range(2)
    ]
    newest_first = [p.pk for p in posts][::-1]

    def post_published_meanwhile() -> None:
        _publish(cast.alice, 999, START + timedelta(days=365))

    path = "/api/blogs/by/alice/posts"
    seen = [p["id"] for p in read_all_pages(_api(None), path, 40, post_published_meanwhile)]
    assert seen == newest_first  # none twice, the newcomer (ahead of page one) not among them
    tagged = [p["id"] for p in read_all_pages(_api(cast.bob), "/api/blogs/tags/hub", 50)]
    assert tagged == [BlogPost.objects.get(title="Post 999").pk, *newest_first]
    # The owner also reads their drafts, placed at the time they were written (now).
    own = [p["id"] for p in read_all_pages(_api(cast.alice), path, 30)]
    assert sorted(own[:3]) == sorted([d.pk for d in drafts] + [tagged[0]])
    assert own[3:] == newest_first


def test_a_cursor_from_another_list_is_refused(cast: Cast) -> None:
    for n in range(3):
        _publish(cast.alice, n, START + timedelta(hours=n))
    tagged = _api(None).get("/api/blogs/tags/hub", limit=1).json()["next"]
    assert tagged
    assert_cursor_refused(_api(None), "/api/blogs/by/alice/posts", tagged)
    blog = _api(None).get("/api/blogs/by/alice/posts", limit=1).json()["next"]
    assert_cursor_refused(_api(None), "/api/blogs/tags/hub", blog)
    same_keys = encode_cursor(("-published_at", "-pk"), [START, 1])
    assert_cursor_refused(_api(None), "/api/blogs/tags/hub", same_keys)
