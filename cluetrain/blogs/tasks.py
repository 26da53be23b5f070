"""Background work of blogs: publish scheduled posts when their time comes, tell a blog's
followers of each new post. Both idempotent: a post is claimed once, a notice has a key."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import task

from cluetrain.blogs.actions import do_publish_due
from cluetrain.blogs.events import BlogPostPublished, BlogPostScheduled
from cluetrain.blogs.models import BlogFollow, BlogPost
from cluetrain.core.sentences import Sentence
from cluetrain.notifications.actions import do_notify
from cluetrain.notifications.models import Notification


@task()
def publish_due_posts() -> None:
    """Every scheduled post whose time has come (not only the one it was queued for: a post
    whose task was lost goes out with the next one)."""
    do_publish_due()


def schedule_publication(post_id: int, when: datetime) -> None:
    """Queue the publishing for `when`: deferred on the database queue of `cluetrain serve`;
    the in-process queue of tests and commands cannot defer and runs only a moment past
    (`cluetrain publish_due_posts`, from cron, or the next deferred task publish the rest)."""
    if when <= timezone.now():
        publish_due_posts.enqueue()
    elif publish_due_posts.get_backend().supports_defer:
        publish_due_posts.using(run_after=when).enqueue()


@task()
def notify_followers(blog_post_id: int) -> None:
    post = BlogPost.objects.select_related("blog__owner").filter(pk=blog_post_id).first()
    if post is None or post.thread_id is None:
        return
    owner = post.blog.owner
    published = Sentence(
        gettext_noop("%(name)s published “%(title)s” on their blog"),
        {"name": owner.name, "title": post.title},
    )
    followers = BlogFollow.objects.filter(blog_id=post.blog_id, member__is_active=True)
    for member_id in followers.values_list("member_id", flat=True).order_by("member_id"):
        do_notify(
            recipient_id=member_id,
            kind=Notification.Kind.BLOG_POST,
            dedupe_key=f"blog_post:{post.pk}",
            actor_id=owner.pk,
            thread_id=post.thread_id,
            sentence=published,
        )


def on_published(event: BlogPostPublished) -> None:
    notify_followers.enqueue(event.blog_post_id)


def on_scheduled(event: BlogPostScheduled) -> None:
    schedule_publication(event.blog_post_id, event.publish_at)
