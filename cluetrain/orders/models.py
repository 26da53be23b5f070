"""Order routing (Shopatron): the tables.

A manufacturer lists products at fixed retailer prices (Listing). Retailers (Retailer: an
organization with a place and the area it serves) carry some listings. A customer's Order is
offered (Offer) to every retailer that carries one of its products and serves its place; a
retailer claims or declines its offer until the window closes. The daily resolution
(resolution.py) gives each open order to the nearest claimant, or to the manufacturer, and
writes why. OrderEvent is each order's life, in order.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cluetrain.organizations.models import Organization, Product


class Listing(models.Model):
    """A product its manufacturer sells through retailers, at one fixed price."""

    manufacturer = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="listings"
    )
    product = models.OneToOneField(Product, on_delete=models.CASCADE, related_name="listing")
    price = models.DecimalField(max_digits=10, decimal_places=2)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.product} at {self.price}"


class Retailer(models.Model):
    """An organization that sells a manufacturer's products, at a place, within a radius."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="retailer"
    )
    place = models.CharField(max_length=200)  # as geocoded: "Leeds, United Kingdom"
    latitude = models.FloatField()
    longitude = models.FloatField()
    serves_km = models.PositiveIntegerField(default=150)
    listings = models.ManyToManyField(Listing, related_name="retailers", blank=True)

    def __str__(self) -> str:
        return f"{self.organization} ({self.place})"


class Resolution(models.Model):
    """One run of the daily resolution: when, by whom, how many orders went where."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    cutoff = models.DateTimeField()  # orders whose window closed by then were resolved
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    orders = models.PositiveIntegerField(default=0)
    to_retailers = models.PositiveIntegerField(default=0)
    to_manufacturer = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["-started_at"], name="orders_resolution_recent_idx")]


class Order(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open to claims")
        RESOLVED = "resolved", _("Resolved")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")

    class Outcome(models.TextChoices):
        # Values are cluetrain_analytics.routing.REASONS.
        NEAREST = "nearest", _("the nearest retailer that claimed it")
        REPUTATION = "reputation", _("equally near claimants: the better reputation")
        CLAIM_TIME = "claim_time", _("equally near, equal reputation: the earlier claim")
        MANUFACTURER = "manufacturer", _("nobody claimed it: the manufacturer ships")

    manufacturer = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="routed_orders"
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="orders"
    )
    ship_to = models.CharField(max_length=200)
    latitude = models.FloatField()
    longitude = models.FloatField()
    placed_at = models.DateTimeField()
    closes_at = models.DateTimeField()  # claims are taken until then
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    winner = models.ForeignKey(
        Retailer, null=True, blank=True, on_delete=models.SET_NULL, related_name="won_orders"
    )
    distance_km = models.FloatField(null=True, blank=True)
    resolution = models.ForeignKey(
        Resolution, null=True, blank=True, on_delete=models.SET_NULL, related_name="resolved"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    stars = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.CharField(max_length=300, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "closes_at"], name="orders_order_due_idx"),
        ]

    def __str__(self) -> str:
        return f"Order {self.pk} to {self.ship_to}"


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    # A listing is withdrawn with `active=False`; deleted, it goes with its manufacturer,
    # whose orders go too.
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    price = models.DecimalField(max_digits=10, decimal_places=2)  # the listing's, when ordered


class Offer(models.Model):
    """An order offered to one retailer; a claim or a decline is this row's answer.

    One row per order and retailer, so two retailers claiming at the same instant write two
    different rows, and one retailer's double click claims once."""

    # Indexed by the unique constraint below, which starts with the order.
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="offers", db_index=False
    )
    retailer = models.ForeignKey(Retailer, on_delete=models.CASCADE, related_name="offers")
    offered_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "retailer"], name="orders_offer_once"),
            models.CheckConstraint(
                condition=models.Q(claimed_at=None) | models.Q(declined_at=None),
                name="orders_offer_claimed_or_declined",
            ),
        ]
        indexes = [models.Index(fields=["retailer", "-offered_at"], name="orders_offer_board_idx")]


class OrderEvent(models.Model):
    """One step of an order's life, shown to the customer, the manufacturer and the winner."""

    class Kind(models.TextChoices):
        PLACED = "placed", _("Placed")
        OFFERED = "offered", _("Offered to retailers")
        CLAIMED = "claimed", _("Claimed")
        DECLINED = "declined", _("Declined")
        RESOLVED = "resolved", _("Resolved")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        RATED = "rated", _("Rated")

    # Indexed by orders_event_life_idx, which starts with the order.
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField()
    retailer = models.ForeignKey(
        Retailer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["order", "at"], name="orders_event_life_idx")]
