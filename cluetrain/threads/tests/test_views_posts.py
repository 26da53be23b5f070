from django.test import Client, override_settings

from cluetrain.moderation.models import ModerationAction
from cluetrain.search.models import SearchEntry
from cluetrain.threads.actions import check_reply
from cluetrain.threads.models import Post, PostRevision, Reaction, Thread
from cluetrain.threads.tests.conftest import login
from conftest import Cast, Places


def test_reply_is_posted_under_the_opening_post(
    client: Client, cast: Cast, forum_thread: Thread
) -> None:
    login(client, cast.bob)
    response = client.post(f"/t/{forum_thread.pk}/reply/", {"body": "Same *here*"})
    reply = Post.objects.get(author=cast.bob)
    assert response["Location"] == f"/t/{forum_thread.pk}/#post-{reply.pk}"
    assert reply.parent == forum_thread.posts.get(parent=None)
    assert reply.body_html == "<p>Same <em>here</em></p>\n"
    assert Thread.objects.get(pk=forum_thread.pk).reply_count == 1


def test_reply_to_a_reply(client: Client, cast: Cast, forum_thread: Thread) -> None:
    first = check_reply(cast.sam, forum_thread, body_md="Which firmware?")
    login(client, cast.alice)
    page = client.get(f"/t/{forum_thread.pk}/reply/?parent={first.pk}")
    assert page.status_code == 200
    assert "Which firmware?" in page.content.decode()
    partial = client.get(f"/t/{forum_thread.pk}/reply/?parent={first.pk}", HTTP_HX_REQUEST="true")
    assert partial.content.decode().lstrip().startswith("<form")
    client.post(f"/t/{forum_thread.pk}/reply/", {"body": "2.1", "parent": str(first.pk)})
    assert Post.objects.get(body_md="2.1").parent == first


def test_reply_to_a_post_of_another_thread_is_refused(
    client: Client, cast: Cast, forum_thread: Thread, question: Thread
) -> None:
    other = question.posts.get()
    login(client, cast.bob)
    response = client.post(f"/t/{forum_thread.pk}/reply/", {"body": "x", "parent": str(other.pk)})
    assert response.status_code == 400
    assert "You can only reply to a post in this thread." in response.content.decode()
    assert Post.objects.filter(author=cast.bob).count() == 0


def test_reply_in_a_locked_thread_is_refused(
    client: Client, cast: Cast, forum_thread: Thread
) -> None:
    Thread.objects.filter(pk=forum_thread.pk).update(is_locked=True)
    login(client, cast.bob)
    response = client.post(f"/t/{forum_thread.pk}/reply/", {"body": "Still there?"})
    assert response.status_code == 403
    assert response.context["form"].non_field_errors() == ["This thread is locked: no new replies."]
    assert Post.objects.filter(thread=forum_thread).count() == 1
    assert Thread.objects.get(pk=forum_thread.pk).reply_count == 0
    assert client.get(f"/t/{forum_thread.pk}/reply/").status_code == 403


def test_reply_in_a_space_you_may_not_enter_is_404(
    client: Client, cast: Cast, places: Places
) -> None:
    login(client, cast.pat)
    client.post("/s/partner-lounge/new/", {"title": "Partners", "body": "Only us"})
    thread = Thread.objects.get()
    login(client, cast.bob)
    response = client.post(f"/t/{thread.pk}/reply/", {"body": "Let me in"})
    assert response.status_code == 404
    assert Post.objects.count() == 1


@override_settings(POST_MAX_CHARS=100)
def test_oversize_reply_is_refused_naming_the_field(
    client: Client, cast: Cast, forum_thread: Thread
) -> None:
    login(client, cast.bob)
    response = client.post(f"/t/{forum_thread.pk}/reply/", {"body": "y" * 150})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "body": ["Posts are limited to 100 characters; this one has 150."]
    }
    assert Post.objects.filter(author=cast.bob).count() == 0


def test_edit_keeps_the_old_text_as_a_revision(
    client: Client, cast: Cast, forum_thread: Thread
) -> None:
    post = forum_thread.posts.get()
    login(client, cast.alice)
    assert client.get(f"/p/{post.pk}/edit/").status_code == 200
    response = client.post(f"/p/{post.pk}/edit/", {"body": "Since the *update*, fixed now."})
    assert response["Location"] == f"/t/{forum_thread.pk}/#post-{post.pk}"
    post.refresh_from_db()
    assert post.body_html == "<p>Since the <em>update</em>, fixed now.</p>\n"
    assert post.edited_at is not None
    revision = PostRevision.objects.get()
    assert (revision.post, revision.body_md, revision.edited_by) == (
        post,
        "Since the **update**.",
        cast.alice,
    )
    entry = SearchEntry.objects.get(kind="post", object_id=post.pk)
    assert entry.body == "Since the *update*, fixed now."
    assert ModerationAction.objects.count() == 0
    history = client.get(f"/p/{post.pk}/history/").content.decode()
    assert "<p>Since the <strong>update</strong>.</p>" in history
    assert "<p>Since the <em>update</em>, fixed now.</p>" in history


def test_editing_someone_elses_post_is_forbidden(
    client: Client, cast: Cast, forum_thread: Thread
) -> None:
    post = forum_thread.posts.get()
    login(client, cast.bob)
    assert client.get(f"/p/{post.pk}/edit/").status_code == 403
    response = client.post(f"/p/{post.pk}/edit/", {"body": "Hacked"})
    assert response.status_code == 403
    assert "You can only edit your own posts." in response.content.decode()
    post.refresh_from_db()
    assert post.body_md == "Since the **update**."
    assert post.edited_at is None
    assert PostRevision.objects.count() == 0


def test_a_moderator_may_edit_any_post(client: Client, cast: Cast, forum_thread: Thread) -> None:
    post = forum_thread.posts.get()
    login(client, cast.maya)
    client.post(f"/p/{post.pk}/edit/", {"body": "Removed a phone number."})
    assert PostRevision.objects.get().edited_by == cast.maya
    logged = ModerationAction.objects.values_list("actor__username", "action", "post_id")
    assert list(logged) == [("maya", "edit_post", post.pk)]


def test_delete_own_post_is_soft(client: Client, cast: Cast, forum_thread: Thread) -> None:
    reply = check_reply(cast.bob, forum_thread, body_md="Wrong thread, sorry")
    login(client, cast.bob)
    confirm = client.get(f"/p/{reply.pk}/delete/")
    assert confirm.status_code == 200
    assert Post.objects.get(pk=reply.pk).is_deleted is False
    response = client.post(f"/p/{reply.pk}/delete/")
    assert response["Location"] == f"/t/{forum_thread.pk}/#post-{reply.pk}"
    reply.refresh_from_db()
    assert (reply.is_deleted, reply.body_md, reply.body_html) == (True, "", "")
    assert Thread.objects.get(pk=forum_thread.pk).reply_count == 0
    assert not SearchEntry.objects.filter(kind="post", object_id=reply.pk).exists()
    assert ModerationAction.objects.count() == 0


def test_deleting_someone_elses_post_is_forbidden(
    client: Client, cast: Cast, forum_thread: Thread
) -> None:
    reply = check_reply(cast.bob, forum_thread, body_md="Mine")
    login(client, cast.alice)
    response = client.post(f"/p/{reply.pk}/delete/")
    assert response.status_code == 403
    reply.refresh_from_db()
    assert (reply.is_deleted, reply.body_md) == (False, "Mine")
    assert Thread.objects.get(pk=forum_thread.pk).reply_count == 1


def test_a_moderator_deleting_a_post_is_logged(
    client: Client, cast: Cast, forum_thread: Thread
) -> None:
    reply = check_reply(cast.bob, forum_thread, body_md="Spam")
    login(client, cast.maya)
    client.post(f"/p/{reply.pk}/delete/")
    action = ModerationAction.objects.get()
    assert (action.actor, action.action, action.post, action.target_member) == (
        cast.maya,
        "delete_post",
        reply,
        cast.bob,
    )


def test_the_asker_accepts_an_answer_shown_first(
    client: Client, cast: Cast, question: Thread
) -> None:
    other = check_reply(cast.bob, question, body_md="Unplug it")
    answer = check_reply(cast.sam, question, body_md="Hold the button for 10 seconds")
    login(client, cast.alice)
    response = client.post(f"/p/{answer.pk}/accept/")
    assert response["Location"] == f"/t/{question.pk}/#post-{answer.pk}"
    assert Thread.objects.get(pk=question.pk).accepted_answer == answer
    html = client.get(f"/t/{question.pk}/").content.decode()
    accepted_at = html.index("✓ Accepted answer</h2>")
    assert accepted_at < html.index(f'id="post-{other.pk}"')
    assert html.index("Hold the button", accepted_at) < html.index(f'id="post-{other.pk}"')
    assert f'<article class="post staff accepted" id="post-{answer.pk}">' in html
    client.post(f"/p/{answer.pk}/accept/")
    assert Thread.objects.get(pk=question.pk).accepted_answer is None


def test_staff_may_accept_but_other_members_may_not(
    client: Client, cast: Cast, question: Thread
) -> None:
    answer = check_reply(cast.bob, question, body_md="Unplug it")
    login(client, cast.pat)
    response = client.post(f"/p/{answer.pk}/accept/")
    assert response.status_code == 403
    assert "Only the person who asked, or staff, can accept an answer." in response.content.decode()
    assert Thread.objects.get(pk=question.pk).accepted_answer is None
    login(client, cast.sam)
    client.post(f"/p/{answer.pk}/accept/")
    assert Thread.objects.get(pk=question.pk).accepted_answer == answer


def test_answers_are_not_accepted_in_discussions(
    client: Client, cast: Cast, forum_thread: Thread
) -> None:
    reply = check_reply(cast.bob, forum_thread, body_md="Me too")
    login(client, cast.alice)
    assert client.post(f"/p/{reply.pk}/accept/").status_code == 400
    assert Thread.objects.get(pk=forum_thread.pk).accepted_answer is None


def test_reactions_toggle_one_per_member_and_kind(
    client: Client, cast: Cast, forum_thread: Thread
) -> None:
    post = forum_thread.posts.get()
    login(client, cast.bob)
    client.post(f"/p/{post.pk}/react/", {"kind": "like"})
    client.post(f"/p/{post.pk}/react/", {"kind": "helpful"})
    assert sorted(Reaction.objects.values_list("member__username", "kind")) == [
        ("bob", "helpful"),
        ("bob", "like"),
    ]
    assert Post.objects.get(pk=post.pk).score == 2
    partial = client.post(f"/p/{post.pk}/react/", {"kind": "like"}, HTTP_HX_REQUEST="true")
    assert "👍 Like · 0" in partial.content.decode()
    assert "💡 Helpful · 1" in partial.content.decode()
    assert list(Reaction.objects.values_list("kind", flat=True)) == ["helpful"]
    assert Post.objects.get(pk=post.pk).score == 1


def test_reacting_to_your_own_post_or_an_unknown_kind_is_refused(
    client: Client, cast: Cast, forum_thread: Thread
) -> None:
    post = forum_thread.posts.get()
    login(client, cast.alice)
    assert client.post(f"/p/{post.pk}/react/", {"kind": "like"}).status_code == 403
    login(client, cast.bob)
    assert client.post(f"/p/{post.pk}/react/", {"kind": "love"}).status_code == 400
    assert Reaction.objects.count() == 0


def test_editing_the_opening_post_may_retitle_the_thread(
    client: Client, cast: Cast, forum_thread: Thread
) -> None:
    post = forum_thread.posts.get()
    login(client, cast.alice)
    assert 'value="Hub drops Wi-Fi"' in client.get(f"/p/{post.pk}/edit/").content.decode()
    client.post(f"/p/{post.pk}/edit/", {"title": "Hub drops Wi-Fi (fixed)", "body": post.body_md})
    assert Thread.objects.get(pk=forum_thread.pk).title == "Hub drops Wi-Fi (fixed)"
    assert SearchEntry.objects.get(object_id=post.pk).title == "Hub drops Wi-Fi (fixed)"
    assert PostRevision.objects.count() == 0
    refused = client.post(f"/p/{post.pk}/edit/", {"title": "  ", "body": "New body"})
    assert refused.status_code == 400
    assert refused.context["form"].errors == {"title": ["Give your thread a title."]}
    post.refresh_from_db()
    assert post.body_md == "Since the **update**."
    assert Thread.objects.get(pk=forum_thread.pk).title == "Hub drops Wi-Fi (fixed)"
