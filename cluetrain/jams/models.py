"""Idea jams: the tables.

A jam owns one Space of kind "ideas": members post ideas and replies there with the ordinary
actions, during the jam's window and if its audience includes them (cluetrain/jams/guard.py).
Themes are clusters of the jam's posts (cluetrain_analytics/text/themes.py); each post has
at most one ThemeAssignment.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cluetrain.spaces.models import Space
from cluetrain.threads.models import Post


class Jam(models.Model):
    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone signed in")
        MEMBERS = "members", _("Members and staff (no partners)")
        STAFF = "staff", _("Staff only")
        INVITED = "invited", _("Staff and invited partners")

    space = models.OneToOneField(Space, on_delete=models.CASCADE, related_name="jam")
    title = models.CharField(max_length=120)
    question = models.TextField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    audience = models.CharField(max_length=10, choices=Audience.choices, default="everyone")
    hosts = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="jams_hosted")
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="jams_moderated", blank=True
    )
    invited = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="jams_invited", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Which lifecycle webhooks went out (jam.started, jam.ended), so each goes once.
    started_announced = models.BooleanField(default=False)
    ended_announced = models.BooleanField(default=False)

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def slug(self) -> str:
        return self.space.slug


class ThemeModel(models.Model):
    """The jam's fitted projection (words -> vectors), replaced by each re-clustering."""

    jam = models.OneToOneField(Jam, on_delete=models.CASCADE, related_name="theme_model")
    projection = models.BinaryField()
    version = models.PositiveIntegerField(default=0)
    fitted_posts = models.PositiveIntegerField(default=0)
    fitted_at = models.DateTimeField()
    # Posts themed one by one since the fit; past a share of fitted_posts a re-fit is queued.
    assigned_since_fit = models.PositiveIntegerField(default=0)
    refit_requested = models.BooleanField(default=False)


class Theme(models.Model):
    jam = models.ForeignKey(Jam, on_delete=models.CASCADE, related_name="themes")
    label = models.CharField(max_length=120)
    label_pinned = models.BooleanField(default=False)  # renamed by a moderator: kept
    key_phrases = models.JSONField(default=list)
    representative_ids = models.JSONField(default=list)  # post ids, most typical first
    centroid = models.JSONField(default=list)  # in the space of the jam's ThemeModel
    size = models.PositiveIntegerField(default=0)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    # Touched by a moderator (renamed, merged into, split from): never dropped when empty.
    moderated = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-size", "pk"]
        indexes = [models.Index(fields=["jam", "-size"], name="theme_jam_size_idx")]

    def __str__(self) -> str:
        return self.label


class ThemeAssignment(models.Model):
    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="theme_assignment")
    jam = models.ForeignKey(Jam, on_delete=models.CASCADE, related_name="assignments")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="assignments")
    # Put there by a moderator (merge or split): re-clustering leaves it there.
    pinned = models.BooleanField(default=False)
    similarity = models.FloatField(default=0.0)
    assigned_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["theme", "-similarity"], name="assign_theme_sim_idx")]


class Highlight(models.Model):
    """A host points everyone at a post, with a short note."""

    jam = models.ForeignKey(Jam, on_delete=models.CASCADE, related_name="highlights")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=280, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["jam", "post"], name="one_highlight_per_post")
        ]
