"""Reviews, 1 to 5 stars, of a product or service, a vendor, or a member.

Each review is a thread in a reviews space, so its text is on the same timeline as every
other message and the company (or anyone) can answer it in the open.
"""

from django.conf import settings
from django.db import models

from cluetrain.organizations.models import Organization, Product
from cluetrain.threads.models import Thread


class Review(models.Model):
    thread = models.OneToOneField(Thread, on_delete=models.CASCADE, related_name="review")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.CASCADE, related_name="reviews"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="reviews"
    )
    reviewed_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reviews_received",
    )
    stars = models.PositiveSmallIntegerField()
    helpful_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="stars_1_5"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        product__isnull=False,
                        organization__isnull=True,
                        reviewed_member__isnull=True,
                    )
                    | models.Q(
                        product__isnull=True,
                        organization__isnull=False,
                        reviewed_member__isnull=True,
                    )
                    | models.Q(
                        product__isnull=True,
                        organization__isnull=True,
                        reviewed_member__isnull=False,
                    )
                ),
                name="review_has_one_subject",
            ),
            models.UniqueConstraint(
                fields=["author", "product"],
                condition=models.Q(product__isnull=False),
                name="one_review_per_product",
            ),
            models.UniqueConstraint(
                fields=["author", "organization"],
                condition=models.Q(organization__isnull=False),
                name="one_review_per_organization",
            ),
            models.UniqueConstraint(
                fields=["author", "reviewed_member"],
                condition=models.Q(reviewed_member__isnull=False),
                name="one_review_per_member",
            ),
        ]
        indexes = [
            models.Index(fields=["product", "-created_at"], name="review_product_idx"),
        ]
