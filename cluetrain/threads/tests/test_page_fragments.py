"""The thread page's cached fragments never show one viewer's page to another, nor stale HTML."""

import re

from django.template import Context, Template
from django.test import Client, override_settings

from cluetrain.core.sentences import Sentence
from cluetrain.notifications.actions import do_notify
from cluetrain.notifications.models import Notification
from cluetrain.threads.actions import check_reply, do_edit_post, do_toggle_reaction
from cluetrain.threads.models import Post, Reaction, Thread
from cluetrain.threads.tests.conftest import login
from conftest import Cast

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _page(client: Client, thread: Thread) -> str:
    response = client.get(f"/t/{thread.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_view_renders_no_post_again(
    client: Client, cast: Cast, forum_thread: Thread
) -> None:
    check_reply(cast.bob, forum_thread, body_md="Same here")
    login(client, cast.alice)
    first = client.get(f"/t/{forum_thread.pk}/")
    assert "threads/_post.html" in [t.name for t in first.templates]
    again = client.get(f"/t/{forum_thread.pk}/")
    assert "threads/_post.html" not in [t.name for t in again.templates]
    assert again.content == first.content.replace(
        _token(first.content.decode()).encode(), _token(again.content.decode()).encode()
    )


def test_a_new_reply_renders_only_itself(client: Client, cast: Cast, forum_thread: Thread) -> None:
    check_reply(cast.bob, forum_thread, body_md="Same here")
    login(client, cast.alice)
    client.get(f"/t/{forum_thread.pk}/")
    check_reply(cast.sam, forum_thread, body_md="Fix coming")
    response = client.get(f"/t/{forum_thread.pk}/")
    assert [t.name for t in response.templates].count("threads/_post.html") == 1
    assert "Fix coming" in response.content.decode()


def test_what_a_moderator_saw_is_never_served_to_a_member(
    client: Client, cast: Cast, forum_thread: Thread
) -> None:
    reply = check_reply(cast.bob, forum_thread, body_md="Buy cheap watches")
    Post.objects.filter(pk=reply.pk).update(is_hidden=True)
    login(client, cast.maya)
    assert "cheap watches" in _page(client, forum_thread)
    for viewer in (cast.alice, cast.sam):
        login(client, viewer)
        html = _page(client, forum_thread)
        assert "cheap watches" not in html
        assert "This post was hidden by a moderator." in html
        assert "Moderate this thread" not in html
    client.logout()
    html = _page(client, forum_thread)
    assert "cheap watches" not in html
    assert ">Flag</a>" not in html
    assert ">Reply</a>" not in html


def test_own_posts_and_own_reactions_stay_with_their_viewer(
    client: Client, cast: Cast, forum_thread: Thread
) -> None:
    reply = check_reply(cast.bob, forum_thread, body_md="Mine")
    edit_link = f'href="/p/{reply.pk}/edit/"'
    do_toggle_reaction(cast.alice, reply, Reaction.Kind.LIKE)
    login(client, cast.bob)
    assert edit_link in _page(client, forum_thread)
    login(client, cast.alice)
    html = _page(client, forum_thread)
    assert edit_link not in html
    assert 'aria-pressed="true">👍 Like · 1' in html
    login(client, cast.sam)
    html = _page(client, forum_thread)
    assert 'aria-pressed="false">👍 Like · 1' in html


def test_changes_show_on_the_next_view(client: Client, cast: Cast, forum_thread: Thread) -> None:
    reply = check_reply(cast.bob, forum_thread, body_md="First version")
    login(client, cast.alice)
    assert "First version" in _page(client, forum_thread)
    do_edit_post(cast.bob, reply, body_md="Second version")
    do_toggle_reaction(cast.sam, Post.objects.get(pk=reply.pk), Reaction.Kind.HELPFUL)
    nested = check_reply(cast.sam, forum_thread, body_md="Nested answer", parent=reply)
    html = _page(client, forum_thread)
    assert "Second version" in html
    assert "First version" not in html
    assert "Helpful · 1" in html
    assert f'id="post-{nested.pk}"' in html
    assert "2 replies" in html


def test_every_response_carries_its_own_working_csrf_token(
    cast: Cast, forum_thread: Thread
) -> None:
    tokens = []
    for member in (cast.alice, cast.bob):
        browser = login(Client(enforce_csrf_checks=True), member)
        html = _page(browser, forum_thread)
        token = _token(html)
        assert set(CSRF_FIELD.findall(html)) == {token}
        response = browser.post(
            f"/t/{forum_thread.pk}/reply/",
            {"body": f"Reply from {member.username}", "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302
        tokens.append(token)
    assert tokens[0] != tokens[1]
    assert forum_thread.posts.filter(body_md__startswith="Reply from").count() == 2


def test_the_navigation_shows_new_notifications(
    client: Client, cast: Cast, forum_thread: Thread
) -> None:
    login(client, cast.alice)
    Notification.objects.filter(recipient=cast.alice).delete()
    assert 'Notifications <span class="badge">' not in _page(client, forum_thread)
    do_notify(
        recipient_id=cast.alice.pk,
        kind=Notification.Kind.FOLLOW,
        dedupe_key="test-1",
        sentence=Sentence("Hi"),
    )
    assert 'Notifications <span class="badge">1</span>' in _page(client, forum_thread)


FRAGMENT = Template(
    "{% load fragments %}{% fragment key %}{{ text }} {% csrf_token %}{% endfragment %}"
)


def test_a_fragment_is_rendered_once_per_key_with_the_token_of_each_render() -> None:
    first = FRAGMENT.render(Context({"key": "test:one", "text": "old", "csrf_token": "t1"}))
    again = FRAGMENT.render(Context({"key": "test:one", "text": "new", "csrf_token": "t2"}))
    assert "old" in first
    assert 'value="t1"' in first
    assert "old" in again
    assert 'value="t2"' in again
    other = FRAGMENT.render(Context({"key": "test:two", "text": "new", "csrf_token": "t2"}))
    assert "new" in other


def test_without_a_key_or_with_debug_on_nothing_is_cached() -> None:
    assert "a" in FRAGMENT.render(Context({"key": "", "text": "a", "csrf_token": "t"}))
    assert "b" in FRAGMENT.render(Context({"key": "", "text": "b", "csrf_token": "t"}))
    with override_settings(DEBUG=True):
        FRAGMENT.render(Context({"key": "test:debug", "text": "c", "csrf_token": "t"}))
        html = FRAGMENT.render(Context({"key": "test:debug", "text": "d", "csrf_token": "t"}))
    assert "d" in html


def _token(html: str) -> str:
    found = CSRF_FIELD.search(html)
    assert found is not None
    return found.group(1)
