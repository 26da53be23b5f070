"""Spaces: product forums, Q&A, ideas, reviews, blogs; public or private to staff or partners."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cluetrain.organizations.models import Product


class Space(models.Model):
    class Kind(models.TextChoices):
        FORUM = "forum", _("Discussion forum")
        QA = "qa", _("Questions & answers")
        IDEAS = "ideas", _("Ideas")
        REVIEWS = "reviews", _("Reviews")
        BLOG = "blog", _("Blog")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        STAFF = "staff", _("Staff only")
        PARTNERS = "partners", _("Partners and staff")

    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FORUM)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    description = models.TextField(blank=True)
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="spaces"
    )
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class SpaceFollow(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_follows"
    )
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "space"], name="uniq_space_follow")
        ]
