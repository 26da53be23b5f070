"""Reputation of members and organizations, and the accounts the defences flagged."""

from django.conf import settings
from django.db import models

from cluetrain.organizations.models import Organization


class Reputation(models.Model):
    """A member's or an organization's reputation in [-1, 1], with how it was made."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reputation",
    )
    organization = models.OneToOneField(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="reputation"
    )
    score = models.FloatField()
    ratings = models.PositiveIntegerField()
    raters = models.PositiveIntegerField()
    explanation = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=False, organization=None)
                | models.Q(member=None, organization__isnull=False),
                name="reputation_of_one_party",
            )
        ]

    @property
    def percent(self) -> int:
        """The score as 0-100, the way people read a rating."""
        return round((self.score + 1) * 50)


class FlaggedAccount(models.Model):
    """A member whose ratings the defences dropped (a vote ring, a sybil group), and why: each
    reason a `Sentence.to_json()` (reputation.reasons), worded in the reader's language when
    shown; a plain string from before sentences that the migration did not know is shown as
    it was written."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reputation_flag"
    )
    reasons = models.JSONField(default=list)
    computed_at = models.DateTimeField()
