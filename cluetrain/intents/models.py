"""Personal requests (intentcasting): the tables.

A customer's `Intent` (a "request" in the pages: the word would clash with HTTP requests in the
code) is matched to vendors (`Match`, written once when it is posted), who answer with
`Offer`s and talk to the customer in a private thread per vendor (`IntentMessage`). Accepting
an offer makes a `Deal`, which both sides rate once (`DealRating`). The deal row keeps only
what the vendor may keep (organization, category, price, date) once the customer is gone.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from cluetrain.organizations.models import Organization


class Intent(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PAUSED = "paused", _("Paused")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CLOSED = "closed", _("Closed (offer accepted)")

    class Moderation(models.TextChoices):
        PASSED = "passed", _("Passed the spam filter")
        HELD = "held", _("Awaiting moderation")
        REJECTED = "rejected", _("Rejected by a moderator")

    #: What a customer may choose to show vendors besides what they want and the category.
    DISCLOSABLE = ("place", "dates", "budget", "must_haves")

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intents"
    )
    # What vendors call the customer until an offer is accepted: stable for one customer.
    pseudonym = models.CharField(max_length=40)
    title = models.CharField(max_length=120)
    description = models.TextField(max_length=4000, blank=True)
    category = models.CharField(max_length=100, db_index=True)
    place = models.CharField(max_length=200, blank=True)  # as the customer wrote it
    place_name = models.CharField(max_length=200, blank=True)  # as geocoded
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    budget_min = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    budget_max = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    must_haves = models.JSONField(default=list, blank=True)
    disclosed = models.JSONField(default=list, blank=True)  # names from DISCLOSABLE
    open_until = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # The spam filter's word (cluetrain.moderation): a held or rejected request is matched to
    # no vendor and seen by none; approval runs the matching.
    moderation = models.CharField(
        max_length=10, choices=Moderation.choices, default=Moderation.PASSED
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["customer", "created_at"], name="intent_customer_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def category_slug(self) -> str:
        """The category, typed in words, as an identifier (the API and webhooks name every
        category by slug, as partners' categories are); unicode kept when nothing else is."""
        return slugify(self.category) or slugify(self.category, allow_unicode=True)


class VendorPlace(models.Model):
    """Where a vendor is, geocoded once from its location text, so that matching picks the
    vendors near a request with a bounding box in SQL (matching.do_sync_vendor_places keeps it
    in step with the organization's location; no coordinates: it serves everywhere)."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    location = models.CharField(max_length=200, blank=True)  # the text it was geocoded from
    place_name = models.CharField(max_length=200, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["latitude", "longitude"], name="vendor_place_idx")]


class Match(models.Model):
    """A request sent to a vendor's inbox, with the score that ranks it there and why (each
    reason a `Sentence.to_json()`, worded in the reader's language when shown; a plain string
    from before sentences that the migration did not know is shown as it was written)."""

    intent = models.ForeignKey(Intent, on_delete=models.CASCADE, related_name="matches")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    distance_km = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["intent", "organization"], name="match_once")
        ]
        indexes = [models.Index(fields=["organization", "-score"], name="match_inbox_idx")]


class Offer(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ACCEPTED = "accepted", _("Accepted")
        NOT_CHOSEN = "not_chosen", _("Not chosen")

    intent = models.ForeignKey(Intent, on_delete=models.CASCADE, related_name="offers")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    price = models.DecimalField(max_digits=12, decimal_places=2)
    terms = models.TextField(max_length=2000, blank=True)
    message = models.TextField(max_length=2000, blank=True)
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["intent", "organization"], name="offer_once_per_vendor")
        ]


class IntentMessage(models.Model):
    """The private thread between a request's customer and one vendor."""

    intent = models.ForeignKey(Intent, on_delete=models.CASCADE, related_name="messages")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_customer = models.BooleanField()
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["intent", "organization", "created_at"], name="imsg_idx")]


class Deal(models.Model):
    """An accepted offer. Outlives the customer's account, anonymised (docs/requests.md)."""

    intent = models.OneToOneField(
        Intent, null=True, blank=True, on_delete=models.SET_NULL, related_name="deal"
    )
    offer = models.OneToOneField(
        Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="deal"
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=100)
    price = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    accepted_at = models.DateTimeField()


class DealRating(models.Model):
    """One side's rating of the other after a deal: once per side per deal."""

    class Side(models.TextChoices):
        CUSTOMER = "customer", _("The customer rates the vendor")
        VENDOR = "vendor", _("The vendor rates the customer")

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="ratings")
    side = models.CharField(max_length=10, choices=Side.choices)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    stars = models.PositiveSmallIntegerField()
    words = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deal", "side"], name="rating_once_per_side"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="stars_1_to_5"),
        ]
