"""Spaces: product forums, Q&A, ideas, reviews, blogs; public or private to staff or partners."""

from django.conf import settings
from django.db import models

from cluetrain.organizations.models import Product


class Space(models.Model):
    class Kind(models.TextChoices):
        FORUM = "forum", "Discussion forum"
        QA = "qa", "Questions & answers"
        IDEAS = "ideas", "Ideas"
        REVIEWS = "reviews", "Reviews"
        BLOG = "blog", "Blog"

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Everyone"
        STAFF = "staff", "Staff only"
        PARTNERS = "partners", "Partners and staff"

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
