"""The whole-product partner network: the tables.

The company configures the categories of its whole product (title company, bank, insurer...);
each partner organization (organizations.Organization of kind partner or vendor) is listed in
one category with the areas it serves; referrals send a customer to a listed provider for a
need, and keep its answer, outcome and rating.
"""

from django.conf import settings
from django.db import models

from cluetrain.organizations.models import Organization


class Category(models.Model):
    """A part of the whole product that partners provide, configured by the company."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Listing(models.Model):
    """A partner organization in the directory: its category, and whether it is shown."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="partner_listing"
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="listings")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.organization} ({self.category})"


class ServiceArea(models.Model):
    """A place a partner serves, geocoded offline (cluetrain_analytics/places.py), with a radius."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="areas")
    place = models.CharField(max_length=200)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    radius_km = models.PositiveIntegerField(default=50)

    def __str__(self) -> str:
        return self.place


class Referral(models.Model):
    """Who referred whom to which provider, for what need; the answer, outcome and rating."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the provider"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        COMPLETED = "completed", "Completed"
        NOT_COMPLETED = "not_completed", "Not completed"

    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals_made"
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals"
    )
    provider = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="referrals_received"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    need = models.TextField()
    place = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # The provider's member who accepted or declined, and their words.
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer_note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The customer's rating, once, after completion.
    stars = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_words = models.TextField(blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["provider", "status", "-created_at"], name="referral_inbox_idx"),
            models.Index(fields=["customer", "-created_at"], name="referral_customer_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stars__isnull=True) | models.Q(stars__gte=1, stars__lte=5),
                name="referral_stars_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer} -> {self.provider}"

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.PENDING, self.Status.ACCEPTED}
