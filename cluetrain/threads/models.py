"""Threads and posts: the one timeline every community and imported message lives on."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cluetrain.sources.models import ExternalIdentity, Source
from cluetrain.spaces.models import Space
from cluetrain.topics.models import Topic


class Thread(models.Model):
    class Kind(models.TextChoices):
        DISCUSSION = "discussion", _("Discussion")
        QUESTION = "question", _("Question")
        IDEA = "idea", _("Idea")
        REVIEW = "review", _("Review")
        ARTICLE = "article", _("Article")
        CONVERSATION = "conversation", _("Imported conversation")

    # No index of its own on `space` and `author` (here and on Post): the composite indexes
    # in Meta lead with them and serve the same lookups, one index fewer to write per row.
    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, related_name="threads", db_index=False
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DISCUSSION)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="threads",
        db_index=False,
    )
    tags = models.ManyToManyField(Topic, blank=True, related_name="threads")
    created_at = models.DateTimeField()
    last_activity_at = models.DateTimeField()
    reply_count = models.PositiveIntegerField(default=0)
    is_locked = models.BooleanField(default=False)
    is_hidden = models.BooleanField(default=False)
    # Hidden while its opening post awaits moderation (the spam filter held it): the author
    # and moderators still see it (cluetrain.moderation holds and releases it).
    is_held = models.BooleanField(default=False)
    is_pinned = models.BooleanField(default=False)
    # Unique where set (Meta); most threads have none, and a NULL needs no index entry.
    accepted_answer = models.ForeignKey(
        "Post",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accepted_for",
        db_index=False,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["accepted_answer"],
                name="thread_accepted_answer_uniq",
                condition=models.Q(accepted_answer__isnull=False),
            )
        ]
        indexes = [
            models.Index(fields=["space", "-last_activity_at"], name="thread_space_activity_idx"),
            models.Index(fields=["-last_activity_at"], name="thread_activity_idx"),
            # Imported threads have no member author: leaving them out of the index costs
            # nothing (`author = x` implies `author IS NOT NULL`) and speeds imports up.
            models.Index(
                fields=["author", "-created_at"],
                name="thread_author_idx",
                condition=models.Q(author__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    """One message. Community posts have an author; imported ones an external author."""

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="posts", db_index=False
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        db_index=False,  # partial index in Meta: most imported messages start a thread
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        db_index=False,
    )
    external_author = models.ForeignKey(
        ExternalIdentity, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="posts", db_index=False
    )
    external_id = models.CharField(max_length=200, null=True, blank=True)
    url = models.URLField(blank=True)
    language = models.CharField(max_length=16, blank=True)
    body_md = models.TextField()
    body_html = models.TextField()
    is_staff_reply = models.BooleanField(default=False)
    is_hidden = models.BooleanField(default=False)
    # Hidden because it awaits moderation (the spam filter held it), not by a moderator's
    # decision: its author still sees it, marked so (cluetrain.moderation holds and releases).
    is_held = models.BooleanField(default=False)
    is_deleted = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    score = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="uniq_post_external_id_per_source"
            )
        ]
        indexes = [
            models.Index(fields=["thread", "created_at"], name="post_thread_idx"),
            models.Index(  # partial, as thread_author_idx
                fields=["author", "-created_at"],
                name="post_author_idx",
                condition=models.Q(author__isnull=False),
            ),
            models.Index(fields=["-created_at"], name="post_created_idx"),
            models.Index(
                fields=["parent"], name="post_parent_idx", condition=models.Q(parent__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"Post {self.pk} in thread {self.thread_id}"


class PostRevision(models.Model):
    """The text a post had before an edit; the edit history shown to readers."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body_md = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]


class Reaction(models.Model):
    class Kind(models.TextChoices):
        LIKE = "like", _("Like")
        HELPFUL = "helpful", _("Helpful")
        AGREE = "agree", _("Agree")
        UPVOTE = "upvote", _("Up-vote")
        DOWNVOTE = "downvote", _("Down-vote")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "member", "kind"], name="uniq_reaction")
        ]


class Mention(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "member"], name="uniq_mention")]


class ThreadFollow(models.Model):
    """A member follows a thread: its replies reach them (notifications, digests) as those of a
    thread they started or replied in do."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_follows"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "thread"], name="uniq_thread_follow")
        ]
