import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from django.test import Client

from cluetrain.members.models import Member
from cluetrain.threads.actions import check_reply, do_reply
from cluetrain.threads.models import Post, Thread
from cluetrain.threads.tests.conftest import login
from cluetrain.threads.tree import MAX_DEPTH
from conftest import Cast, Places, make_member

NumQueries = Callable[..., AbstractContextManager[Any]]


def post_ids_in_order(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article class="[^"]*" id="post-(\d+)"', html)]


def test_replies_are_nested_under_their_parents(
    client: Client, cast: Cast, forum_thread: Thread
) -> None:
    first = check_reply(cast.bob, forum_thread, body_md="Same here")
    second = check_reply(cast.sam, forum_thread, body_md="Fix coming")
    nested = check_reply(cast.alice, forum_thread, body_md="Which firmware?", parent=first)
    html = client.get(f"/t/{forum_thread.pk}/").content.decode()
    root = forum_thread.posts.get(parent=None)
    assert post_ids_in_order(html) == [root.pk, first.pk, nested.pk, second.pk]
    first_block = html[html.index(f'id="post-{first.pk}"') : html.index(f'id="post-{second.pk}"')]
    assert '<div class="replies">' in first_block
    assert f'id="post-{nested.pk}"' in first_block
    assert "3 replies" in html


def test_staff_replies_are_marked(client: Client, cast: Cast, forum_thread: Thread) -> None:
    staff = check_reply(cast.sam, forum_thread, body_md="We are on it")
    html = client.get(f"/t/{forum_thread.pk}/").content.decode()
    assert f'<article class="post staff" id="post-{staff.pk}">' in html
    assert html.count('<span class="badge staff">Staff</span>') == 1


def test_hidden_posts_are_veiled_for_members_and_shown_to_moderators(
    client: Client, cast: Cast, forum_thread: Thread
) -> None:
    reply = check_reply(cast.bob, forum_thread, body_md="Buy cheap watches")
    Post.objects.filter(pk=reply.pk).update(is_hidden=True)
    login(client, cast.alice)
    html = client.get(f"/t/{forum_thread.pk}/").content.decode()
    assert "This post was hidden by a moderator." in html
    assert "cheap watches" not in html
    login(client, cast.maya)
    html = client.get(f"/t/{forum_thread.pk}/").content.decode()
    assert "cheap watches" in html
    assert '<span class="badge danger">Hidden</span>' in html


def test_deleted_posts_show_as_deleted(client: Client, cast: Cast, forum_thread: Thread) -> None:
    reply = check_reply(cast.bob, forum_thread, body_md="Oops")
    Post.objects.filter(pk=reply.pk).update(is_deleted=True, body_md="", body_html="")
    html = client.get(f"/t/{forum_thread.pk}/").content.decode()
    assert '<p class="post-body muted">[deleted]</p>' in html
    assert "/people/bob/" not in html


def test_locked_thread_shows_a_notice_and_no_reply_form(
    client: Client, cast: Cast, forum_thread: Thread
) -> None:
    Thread.objects.filter(pk=forum_thread.pk).update(is_locked=True)
    login(client, cast.bob)
    html = client.get(f"/t/{forum_thread.pk}/").content.decode()
    assert "This thread is locked: no new replies can be posted." in html
    assert 'class="reply-form"' not in html
    assert ">Reply</a>" not in html


def test_hidden_thread_is_404_for_members(client: Client, cast: Cast, forum_thread: Thread) -> None:
    Thread.objects.filter(pk=forum_thread.pk).update(is_hidden=True)
    login(client, cast.bob)
    assert client.get(f"/t/{forum_thread.pk}/").status_code == 404
    login(client, cast.maya)
    assert client.get(f"/t/{forum_thread.pk}/").status_code == 200


def test_thread_in_private_space_is_404_for_outsiders(
    client: Client, cast: Cast, places: Places
) -> None:
    login(client, cast.sam)
    client.post("/s/staff-room/new/", {"title": "Internal", "body": "Numbers"})
    thread = Thread.objects.get()
    assert client.get(f"/t/{thread.pk}/").status_code == 200
    login(client, cast.pat)
    assert client.get(f"/t/{thread.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/t/{thread.pk}/").status_code == 404


def test_post_link_redirects_to_the_anchor(
    client: Client, cast: Cast, forum_thread: Thread
) -> None:
    reply = check_reply(cast.bob, forum_thread, body_md="Me too")
    response = client.get(f"/p/{reply.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/t/{forum_thread.pk}/#post-{reply.pk}"


def _authors() -> list[Member]:
    authors = [make_member(f"author{number}", Member.Role.CUSTOMER) for number in range(5)]
    return [*authors, Member.objects.get(username="sam")]


def _add_replies(thread: Thread, authors: list[Member], count: int) -> None:
    """Replies from several authors, some nested under earlier replies."""
    posts = list(thread.posts.order_by("pk"))
    for number in range(count):
        parent = posts[len(posts) // 2] if number % 3 else None
        author = authors[number % len(authors)]
        posts.append(do_reply(author, thread, body_md=f"Reply {number} by @bob", parent=parent))


def test_thread_page_query_count_is_pinned_and_flat(
    client: Client,
    cast: Cast,
    forum_thread: Thread,
    django_assert_num_queries: NumQueries,
) -> None:
    authors = _authors()
    _add_replies(forum_thread, authors, 20)
    login(client, cast.bob)
    # session, member, thread+space+author, posts+authors+reaction counts+my reactions, tags,
    # whether the member follows the thread, unread notifications.
    with django_assert_num_queries(7):
        response = client.get(f"/t/{forum_thread.pk}/")
    assert response.status_code == 200
    assert "20 replies" in response.content.decode()
    _add_replies(forum_thread, authors, 40)
    with django_assert_num_queries(7):
        response = client.get(f"/t/{forum_thread.pk}/")
    assert "60 replies" in response.content.decode()


def test_anonymous_thread_page_query_count(
    client: Client, cast: Cast, forum_thread: Thread, django_assert_num_queries: NumQueries
) -> None:
    _add_replies(forum_thread, _authors(), 20)
    # thread+space+author, posts+authors+reaction counts, tags.
    with django_assert_num_queries(3):
        response = client.get(f"/t/{forum_thread.pk}/")
    assert "Log in</a> to reply." in response.content.decode()


def test_a_very_deep_conversation_renders(client: Client, cast: Cast, forum_thread: Thread) -> None:
    parent = forum_thread.posts.get()
    for number in range(120):
        parent = do_reply(
            cast.bob if number % 2 else cast.sam,
            forum_thread,
            body_md=f"Deep {number}",
            parent=parent,
        )
    html = client.get(f"/t/{forum_thread.pk}/").content.decode()
    assert len(post_ids_in_order(html)) == 121
    assert html.count('<div class="replies">') == MAX_DEPTH - 1
