"""The whole-product partner network: the tables.

The company configures the categories of its whole product (title company, bank, insurer...);
each partner organization (organizations.Organization of kind partner or vendor) is listed in
one or more categories (Provision, in the partner's order: the first is its main one) with the
areas it serves; referrals send a customer to a listed provider for a
need, and keep its answer, outcome and rating.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cluetrain.organizations.models import Organization


class Category(models.Model):
    """A part of the whole product that partners provide, configured by the company."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    # Retired: off the directory's filters and the bundles' choices; its listings and past
    # referrals keep it. Staff may bring it back.
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Listing(models.Model):
    """A partner organization in the directory: the categories it provides, and whether it is
    shown."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="partner_listing"
    )
    categories: "models.ManyToManyField[Category, Provision]" = models.ManyToManyField(
        Category, through="Provision", related_name="listings"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.organization)

    def provided(self) -> list[Category]:
        """Its categories in its own order, retired ones included (prefetch
        `provisions__category` to read them without a query)."""
        return [p.category for p in self.provisions.all()]

    def shown_categories(self) -> list[Category]:
        """Its categories still in use, in its own order."""
        return [c for c in self.provided() if not c.retired]

    @property
    def category(self) -> Category | None:
        """Its main category: the first still in use (else the first)."""
        provided = self.provided()
        shown = [c for c in provided if not c.retired]
        found = shown or provided
        return found[0] if found else None


class Provision(models.Model):
    """One category a listed partner provides; `position` is its order among the partner's
    (0: its main one)."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="provisions")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="provisions")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "category_id"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "category"], name="partner_provision_once")
        ]

    def __str__(self) -> str:
        return f"{self.listing} provides {self.category}"


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
        PENDING = "pending", _("Waiting for the provider")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        COMPLETED = "completed", _("Completed")
        NOT_COMPLETED = "not_completed", _("Not completed")

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
