"""Where a message came from: the community itself, or an outside channel."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.Model):
    class Kind(models.TextChoices):
        COMMUNITY = "community", _("Community")
        SOCIAL = "social", _("Social network")
        BLOG = "blog", _("Blog")
        REVIEW_SITE = "review_site", _("Review site")
        SUPPORT = "support", _("Support channel")
        FORUM = "forum", _("Outside forum")
        OTHER = "other", _("Other")

    COMMUNITY_SLUG = "community"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    url = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class ExternalIdentity(models.Model):
    """An author seen outside the community; staff may link it to a member."""

    # Indexed by the unique constraint, which leads with it.
    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="identities", db_index=False
    )
    external_id = models.CharField(max_length=200)
    handle = models.CharField(max_length=200, blank=True)
    display_name = models.CharField(max_length=200, blank=True)
    is_brand_account = models.BooleanField(default=False)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="external_identities",
        db_index=False,  # partial index in Meta: imported authors are not members
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "external identities"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="uniq_identity_per_source"
            )
        ]
        indexes = [
            models.Index(
                fields=["member"],
                name="identity_member_idx",
                condition=models.Q(member__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.handle or self.external_id} ({self.source.slug})"
