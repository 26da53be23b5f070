"""Blogs end to end on the real database: drafts, publishing, scheduling, edits, deletion,
comments, followers, feeds, the pages, and what the rest of the platform sees."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cluetrain.blogs.actions import (
    PUBLISH,
    SCHEDULE,
    check_delete_blog_post,
    check_edit_blog_post,
    check_follow_blog,
    check_write_post,
    do_publish_due,
)
from cluetrain.blogs.export import member_data
from cluetrain.blogs.models import Blog, BlogFollow, BlogPost
from cluetrain.blogs.tests.conftest import OnCommit, client_of
from cluetrain.core.errors import ActionError
from cluetrain.exports.ownership import do_delete_account
from cluetrain.listening.models import Enrichment
from cluetrain.members.models import Member
from cluetrain.notifications.models import Notification
from cluetrain.search.models import SearchEntry
from cluetrain.spaces.models import Space
from cluetrain.threads.actions import check_reply
from cluetrain.threads.feed import build_feed
from cluetrain.threads.models import Post, PostRevision, Thread
from cluetrain.webhooks.models import WebhookDelivery, WebhookEndpoint
from conftest import Cast, make_member


def _publish(
    author: Member,
    title: str = "Firmware notes",
    body: str = "Pairing is faster now.",
    tags: tuple[str, ...] = ("hub",),
) -> BlogPost:
    return check_write_post(author, title=title, body_md=body, tags=list(tags), action=PUBLISH)


def test_a_draft_is_seen_by_its_author_only(cast: Cast) -> None:
    post = check_write_post(cast.alice, title="Half done", body_md="More to come.", tags=["hub"])
    assert (post.status, post.thread_id, post.tags) == ("draft", None, ["hub"])
    url = reverse("blog_post", args=[post.pk])
    assert client_of(cast.alice).get(url).status_code == 200
    for other in (None, cast.bob, cast.maya, cast.ada):
        assert client_of(other).get(url).status_code == 404
        api = client_of(other).get(f"/api/blogs/posts/{post.pk}")
        assert api.status_code in (401, 404) if other is None else api.status_code == 404
    mine = client_of(cast.alice).get(reverse("blog", args=["alice"])).content.decode()
    theirs = client_of(cast.bob).get(reverse("blog", args=["alice"])).content.decode()
    assert "Half done" in mine
    assert "Half done" not in theirs
    assert Thread.objects.count() == 0


def test_publishing_writes_an_article_thread_in_the_public_blogs_space(
    cast: Cast, django_capture_on_commit_callbacks: OnCommit
) -> None:
    check_follow_blog(cast.bob, cast.sam)
    check_follow_blog(cast.pat, cast.sam)
    with django_capture_on_commit_callbacks(execute=True):
        post = _publish(cast.sam, tags=("Hub", "firmware"))
    thread = Thread.objects.get()
    assert post.thread_id == thread.pk
    assert (thread.kind, thread.space.slug, thread.space.kind) == ("article", "blogs", "blog")
    assert thread.space.visibility == Space.Visibility.PUBLIC
    assert sorted(thread.tags.values_list("slug", flat=True)) == ["firmware", "hub"]
    opening = thread.posts.get()
    assert (opening.author_id, opening.is_staff_reply) == (cast.sam.pk, True)
    notices = Notification.objects.filter(kind=Notification.Kind.BLOG_POST)
    assert sorted(notices.values_list("recipient__username", flat=True)) == ["bob", "pat"]
    assert set(notices.values_list("thread_id", flat=True)) == {thread.pk}
    # Search and listening read it like every other message.
    assert SearchEntry.objects.filter(kind="post", object_id=opening.pk).exists()
    assert Enrichment.objects.filter(post=opening).exists()


def test_followers_are_told_once_per_post(
    cast: Cast, django_capture_on_commit_callbacks: OnCommit
) -> None:
    from cluetrain.blogs.tasks import notify_followers

    check_follow_blog(cast.bob, cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        post = _publish(cast.alice)
        notify_followers.enqueue(post.pk)
    assert Notification.objects.filter(kind="blog_post", recipient=cast.bob).count() == 1
    assert not Notification.objects.filter(kind="blog_post", recipient=cast.alice).exists()


def test_comments_are_replies_and_listening_reads_them(
    cast: Cast, django_capture_on_commit_callbacks: OnCommit
) -> None:
    post = _publish(cast.alice)
    assert post.thread is not None
    with django_capture_on_commit_callbacks(execute=True):
        comment = check_reply(cast.bob, post.thread, body_md="The pairing fails for me.")
    assert Enrichment.objects.filter(post=comment).exists()
    assert Notification.objects.filter(recipient=cast.alice, post=comment).count() == 1
    page = client_of(None).get(reverse("thread", args=[post.thread_id])).content.decode()
    assert "The pairing fails for me." in page


def test_a_scheduled_post_stays_hidden_until_its_time_then_goes_out_once(cast: Cast) -> None:
    when = timezone.now() + timedelta(hours=2)
    post = check_write_post(
        cast.alice, title="Later", body_md="Soon.", action=SCHEDULE, publish_at=when
    )
    assert (post.status, post.thread_id) == ("scheduled", None)
    assert client_of(cast.bob).get(reverse("blog_post", args=[post.pk])).status_code == 404
    assert do_publish_due() == 0
    assert do_publish_due(when + timedelta(seconds=1)) == 1
    assert do_publish_due(when + timedelta(seconds=2)) == 0
    post.refresh_from_db()
    assert (post.status, post.published_at) == ("published", when)
    assert Thread.objects.filter(kind="article").count() == 1
    assert client_of(cast.bob).get(reverse("blog_post", args=[post.pk])).status_code == 302


def test_a_time_in_the_past_is_refused_for_scheduling(cast: Cast) -> None:
    with pytest.raises(ActionError, match="future"):
        check_write_post(
            cast.alice,
            title="Late",
            body_md="x",
            action=SCHEDULE,
            publish_at=timezone.now() - timedelta(minutes=1),
        )
    assert BlogPost.objects.count() == 0


def test_editing_a_published_post_edits_its_thread_with_history(cast: Cast) -> None:
    post = _publish(cast.alice, tags=("hub",))
    edited = check_edit_blog_post(
        cast.alice,
        post,
        title="Firmware notes, updated",
        body_md="Pairing is much faster now.",
        tags=["hub", "pairing"],
    )
    assert edited.thread is not None
    thread = Thread.objects.get(pk=edited.thread.pk)
    opening = thread.posts.get()
    assert (thread.title, opening.body_md) == (
        "Firmware notes, updated",
        "Pairing is much faster now.",
    )
    assert list(PostRevision.objects.filter(post=opening).values_list("body_md", flat=True)) == [
        "Pairing is faster now."
    ]
    assert sorted(thread.tags.values_list("slug", flat=True)) == ["hub", "pairing"]
    with pytest.raises(ActionError) as refused:
        check_edit_blog_post(cast.bob, post, title="Mine", body_md="x", tags=[])
    assert refused.value.status == 403


def test_deleting_a_draft_removes_it_and_a_published_post_deletes_its_words(cast: Cast) -> None:
    draft = check_write_post(cast.alice, title="Drop me", body_md="x")
    check_delete_blog_post(cast.alice, draft)
    assert not BlogPost.objects.filter(pk=draft.pk).exists()
    post = _publish(cast.alice)
    assert post.thread is not None
    check_reply(cast.bob, post.thread, body_md="A comment stays.")
    check_delete_blog_post(cast.alice, post)
    opening = Post.objects.get(thread=post.thread, parent__isnull=True)
    assert (opening.is_deleted, opening.body_md) == (True, "")
    assert not BlogPost.objects.filter(pk=post.pk).exists()
    assert not SearchEntry.objects.filter(kind="post", object_id=opening.pk).exists()
    assert "Firmware notes" not in client_of(None).get(reverse("blogs")).content.decode()


def test_markdown_is_sanitized(cast: Cast) -> None:
    post = _publish(cast.alice, body="Hi <script>alert(1)</script> [x](javascript:alert(2))")
    opening = Post.objects.get(thread=post.thread)
    assert "<script" not in opening.body_html
    assert 'href="javascript' not in opening.body_html
    draft = check_write_post(cast.alice, title="D", body_md="<img src=x onerror=alert(1)>")
    page = client_of(cast.alice).get(reverse("blog_post", args=[draft.pk])).content.decode()
    assert "<img src=x" not in page


def test_pages_index_marks_staff_blogs_and_tag_pages_list_posts(cast: Cast) -> None:
    _publish(cast.sam, title="From the team", tags=("roadmap",))
    _publish(cast.alice, title="From a customer", tags=("hub",))
    index = client_of(None).get(reverse("blogs")).content.decode()
    assert "From the team" in index
    assert "From a customer" in index
    listed = index.split('id="blog-list"')[1].split("</ul>")[0]
    sam_row = listed.split("Sam Staff")[0]
    assert 'class="badge staff"' in listed
    assert sam_row.count("/blogs/by/sam/") == 1
    tag = client_of(None).get(reverse("blog_tag", args=["roadmap"])).content.decode()
    assert "From the team" in tag
    assert "From a customer" not in tag
    assert client_of(None).get(reverse("blog_tag", args=["nothing"])).status_code == 404
    assert client_of(None).get(reverse("blog", args=["nobody"])).status_code == 404


def test_atom_feeds_per_blog_and_per_tag_hold_published_posts_only(cast: Cast) -> None:
    _publish(cast.alice, title="Out in the open", tags=("hub",))
    check_write_post(cast.alice, title="Secret draft", body_md="x", tags=["hub"])
    for url in (reverse("blog_feed", args=["alice"]), reverse("blog_tag_feed", args=["hub"])):
        response = client_of(cast.alice).get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        body = response.content.decode()
        assert "Out in the open" in body
        assert "Secret draft" not in body
        assert "Pairing is faster now." in body


def test_the_profile_and_home_feed_show_blog_posts(cast: Cast) -> None:
    _publish(cast.alice, title="On my profile")
    profile = client_of(cast.bob).get(reverse("profile", args=["alice"])).content.decode()
    assert 'id="profile-blog"' in profile
    assert "On my profile" in profile
    assert "On my profile" in client_of(None).get(reverse("home")).content.decode()


def test_writing_through_the_page_publishes_schedules_and_refuses(cast: Cast) -> None:
    client = client_of(cast.alice)
    url = reverse("blog_write")
    assert client_of(None).get(url).status_code == 302
    form = {"title": "Via the form", "body": "Hello **world**", "tags": "hub, lights"}
    response = client.post(url, form | {"action": "publish"})
    post = BlogPost.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("thread", args=[post.thread_id])
    past = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(url, form | {"action": "schedule", "publish_at": past})
    assert refused.status_code == 400
    assert "future" in refused.content.decode()
    later = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    client.post(url, form | {"title": "Tomorrow", "action": "schedule", "publish_at": later})
    assert BlogPost.objects.get(title="Tomorrow").status == "scheduled"
    edit = reverse("blog_post_edit", args=[post.pk])
    assert client_of(cast.bob).get(edit).status_code == 404
    assert client_of(cast.bob).post(reverse("blog_post_delete", args=[post.pk])).status_code == 404


def test_following_through_the_page(cast: Cast) -> None:
    _publish(cast.alice)
    url = reverse("blog_follow", args=["alice"])
    client_of(cast.bob).post(url, {"action": "follow"})
    assert BlogFollow.objects.filter(member=cast.bob, blog__owner=cast.alice).count() == 1
    client_of(cast.bob).post(url, {"action": "unfollow"})
    assert not BlogFollow.objects.filter(member=cast.bob).exists()
    client_of(cast.alice).post(url, {"action": "follow"})
    assert not BlogFollow.objects.exists()


def test_the_webhook_is_sent_once_per_published_post(
    cast: Cast, django_capture_on_commit_callbacks: OnCommit
) -> None:
    WebhookEndpoint.objects.create(
        url="https://hooks.example.com/in",
        events=["blog_post.published"],
        created_at=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        check_write_post(cast.alice, title="Draft", body_md="x")
        post = _publish(cast.alice, title="Hooked")
    deliveries = WebhookDelivery.objects.filter(event="blog_post.published")
    assert deliveries.count() == 1
    data = deliveries.get().payload["data"]["blog_post"]
    assert (data["id"], data["title"], data["author"]["username"]) == (post.pk, "Hooked", "alice")
    # The author as every payload and the API name a member (it lacked id and url).
    assert (data["author"]["id"], data["author"]["url"]) == (
        cast.alice.pk,
        f"{settings.SITE_URL}/people/alice/",
    )


def test_export_and_account_deletion(cast: Cast) -> None:
    post = _publish(cast.alice, title="Stays as the threads rule says")
    check_write_post(cast.alice, title="My draft", body_md="x")
    check_follow_blog(cast.alice, cast.sam)
    data = member_data(cast.alice)
    assert [p["title"] for p in data["posts"]] == ["Stays as the threads rule says", "My draft"]
    assert [f["blog__owner__username"] for f in data["following"]] == ["sam"]
    do_delete_account(cast.alice, posts="anonymize")
    assert not BlogPost.objects.exists()
    assert not Blog.objects.filter(owner=cast.alice).exists()
    assert not BlogFollow.objects.exists()
    thread = Thread.objects.get(pk=post.thread.pk if post.thread else 0)
    assert (thread.title, thread.author_id) == ("Stays as the threads rule says", None)


def test_the_task_and_the_command_publish_what_is_due(cast: Cast) -> None:
    from io import StringIO

    from django.core.management import call_command

    from cluetrain.blogs.tasks import publish_due_posts

    first, second = (
        check_write_post(
            cast.alice,
            title=title,
            body_md="x",
            action=SCHEDULE,
            publish_at=timezone.now() + timedelta(hours=1),
        )
        for title in ("One", "Two")
    )
    BlogPost.objects.filter(pk=first.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    publish_due_posts.enqueue()
    assert list(BlogPost.objects.order_by("pk").values_list("status", flat=True)) == [
        "published",
        "scheduled",
    ]
    BlogPost.objects.filter(pk=second.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    out = StringIO()
    call_command("publish_due_posts", stdout=out)
    assert out.getvalue().strip() == '{"published": 1}'
    assert Thread.objects.filter(kind="article").count() == 2


def test_the_blogs_space_takes_threads_only_from_the_blogs(cast: Cast) -> None:
    from cluetrain.blogs.actions import do_get_blogs_space
    from cluetrain.threads.actions import check_create_thread

    space = do_get_blogs_space()
    with pytest.raises(ActionError) as refused:
        check_create_thread(cast.bob, space, title="Sneaky", body_md="Not a blog post.")
    assert refused.value.status == 403
    assert not Thread.objects.filter(title="Sneaky").exists()
    post = _publish(cast.bob, title="Proper")
    assert Thread.objects.get(space=space).pk == post.thread_id


def test_a_feed_costs_the_same_queries_for_more_posts(cast: Cast) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client_of(None).get(reverse("blog_feed", args=["alice"])).status_code == 200
        return len(captured.captured_queries)

    for n in range(2):
        _publish(cast.alice, title=f"Post {n}")
    few = queries()
    for n in range(2, 6):
        _publish(cast.alice, title=f"Post {n}")
    assert queries() == few


def test_a_blog_is_renamed_on_its_settings_page_and_a_long_title_refused(cast: Cast) -> None:
    url = reverse("blog_settings")
    assert client_of(None).get(url).status_code == 302
    client = client_of(cast.alice)
    saved = client.post(url, {"title": "Hub notes", "description": "Tinkering at home."})
    assert saved.status_code == 302
    page = client_of(None).get(reverse("blog", args=["alice"])).content.decode()
    assert "Hub notes" in page
    assert "Tinkering at home." in page
    refused = client.post(url, {"title": "x" * 121, "description": ""})
    assert refused.status_code == 400
    assert Blog.objects.get(owner=cast.alice).title == "Hub notes"
    client.post(url, {"title": "", "description": ""})
    assert (
        "Alice Archer&#x27;s blog"
        in client_of(None).get(reverse("blog", args=["alice"])).content.decode()
    )


@pytest.mark.parametrize("name", ["write", "posts", "tags", "settings"])
def test_a_member_named_like_a_fixed_path_has_a_reachable_blog(name: str, cast: Cast) -> None:
    member = make_member(name, Member.Role.CUSTOMER, "Fixed Name")
    _publish(member, title="Under my own name")
    page = client_of(None).get(reverse("blog", args=[name]))
    assert page.status_code == 200
    assert "Under my own name" in page.content.decode()
    assert (
        "Under my own name"
        in client_of(None).get(reverse("blog_feed", args=[name])).content.decode()
    )
    client_of(cast.bob).post(reverse("blog_follow", args=[name]), {"action": "follow"})
    assert BlogFollow.objects.filter(member=cast.bob, blog__owner=member).exists()
    api = client_of(None).get(f"/api/blogs/by/{name}").json()
    assert (api["title"], api["published"]) == ("Fixed Name's blog", 1)


def test_following_a_blog_brings_its_posts_into_the_home_feed(cast: Cast) -> None:
    # bob follows nothing else: without the blog, his feed would be the community-wide one.
    check_follow_blog(cast.bob, cast.alice)
    _publish(cast.alice, title="For my followers")
    _publish(cast.sam, title="Someone else's post")
    feed = build_feed(cast.bob)
    assert feed.personal
    assert [t.title for t in feed.threads] == ["For my followers"]
