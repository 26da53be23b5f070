"""Webhook endpoints staff register, and the log of every delivery made to them."""

import base64
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cluetrain.webhooks.signing import SECRET_PREFIX
from cluetrain.webhooks.targets import without_password


class Event(models.TextChoices):
    POST_CREATED = "post.created", _("A post is written")
    REVIEW_CREATED = "review.created", _("A review is posted")
    IDEA_STATUS_CHANGED = "idea.status_changed", _("An idea's status changes")
    MEMBER_JOINED = "member.joined", _("A member joins")
    ALERT_RAISED = "alert.raised", _("A spreading complaint raises an alert")
    RELATIONSHIP_CHANGED = (
        "relationship.changed",
        _("A relationship is stated, inferred or changed"),
    )
    REQUEST_POSTED = "request.posted", _("A customer posts a personal request (anonymised)")
    OFFER_MADE = "offer.made", _("A vendor makes an offer on a personal request")
    REFERRAL_CREATED = "referral.created", _("A customer is referred to a partner")
    REFERRAL_UPDATED = "referral.updated", _("A referral is accepted, declined, completed or rated")
    CONTRIBUTION_HELD = (
        "contribution.held",
        _("The spam filter holds a contribution for moderation"),
    )
    ORDER_RESOLVED = "order.resolved", _("An order is resolved to a retailer or the manufacturer")
    JAM_STARTED = "jam.started", _("An idea jam opens for posting")
    JAM_ENDED = "jam.ended", _("An idea jam closes; its report is ready")
    THEME_CHANGED = "theme.changed", _("A moderator renames, merges or splits a jam's theme")
    BLOG_POST_PUBLISHED = "blog_post.published", _("A blog post goes public (now or as scheduled)")


def new_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64 (24 to 64 asked)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookEndpoint(models.Model):
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    secret = models.CharField(max_length=100, default=new_secret)
    # A list of Event values; an empty list subscribes to nothing.
    events = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.shown_url

    @property
    def shown_url(self) -> str:
        return without_password(self.url)


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=60)
    # Receivers de-duplicate on this id: a redelivery carries the same one.
    event_id = models.UUIDField(default=uuid.uuid4)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    last_duration_ms = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_log_idx"),
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.endpoint_id} ({self.status})"
