"""Blogs: one per member, created on first use; its posts are drafts, scheduled or published.

A published post is a thread of kind "article" in the public blogs space (created on first
use), written through the threads actions: the home feed, search, listening, relationship
inference, notifications and comments (replies) come from the machinery every thread has.
The BlogPost row keeps what the blog needs besides: the draft, the schedule, the tags as typed.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cluetrain.threads.models import Thread

BLOGS_SPACE_SLUG = "blogs"


class Blog(models.Model):
    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blog"
    )
    title = models.CharField(max_length=120, blank=True)
    description = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.title or f"Blog of {self.owner_id}"


class BlogPost(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")

    blog = models.ForeignKey(Blog, on_delete=models.CASCADE, related_name="posts")
    title = models.CharField(max_length=200)
    body_md = models.TextField()
    tags = models.JSONField(default=list)  # the names as typed; the thread holds the topics
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(null=True, blank=True)  # scheduled: when it goes out
    published_at = models.DateTimeField(null=True, blank=True)
    # Set once published; the thread is the public post, its replies the comments.
    thread = models.OneToOneField(
        Thread, null=True, blank=True, on_delete=models.SET_NULL, related_name="blog_post"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_at", "-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["publish_at"],
                name="blogpost_due_idx",
                condition=models.Q(status="scheduled"),
            ),
            models.Index(fields=["blog", "status", "-published_at"], name="blogpost_blog_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class BlogFollow(models.Model):
    """A reader told of each new post of the blog (Notification kind "blog_post")."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blog_follows"
    )
    blog = models.ForeignKey(Blog, on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "blog"], name="uniq_blog_follow")]
