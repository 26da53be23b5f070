"""What a member is told about: replies, mentions, follows, connection requests, idea status;
how often by e-mail (EmailPreference), and which digests have gone out (DigestSent)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cluetrain.core.sentences import Sentence


class Notification(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply")
        MENTION = "mention", _("Mention")
        FOLLOW = "follow", _("New follower")
        CONNECT_REQUEST = "connect_request", _("Connection request")
        CONNECT_ACCEPTED = "connect_accepted", _("Connection accepted")
        IDEA_STATUS = "idea_status", _("Idea status changed")
        STAFF_REPLY = "staff_reply", _("Staff replied")
        INVITE = "invite", _("Invitation to answer")
        REFERRAL = "referral", _("Referral")
        REQUEST = "request", _("Personal request")
        ORDER = "order", _("Order")
        BLOG_POST = "blog_post", _("New blog post")
        MODERATION = "moderation", _("Moderator's decision")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    thread = models.ForeignKey(
        "threads.Thread", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    post = models.ForeignKey(
        "threads.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    idea = models.ForeignKey(
        "ideas.Idea", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(max_length=300, blank=True)
    # The sentence and its values (sentences.Sentence), put into words in the reader's language
    # when read; `text` keeps it in the site's language, and is all older rows have.
    sentence = models.JSONField(null=True, blank=True)
    # Makes delivery idempotent: a task run twice finds the key taken.
    dedupe_key = models.CharField(max_length=120)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    # Set (by a conditional UPDATE) when the immediate e-mail is claimed: sent at most once.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="uniq_notification")
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notif_inbox_idx")
        ]

    def as_text(self) -> str:
        """What the notification says, in the active language."""
        sentence = Sentence.from_json(self.sentence)
        return sentence.render() if sentence is not None else self.text


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately, one e-mail each")
    DAILY = "daily", _("A daily digest")
    WEEKLY = "weekly", _("A weekly digest")
    OFF = "off", _("Never (notifications stay in the inbox)")


class EmailPreference(models.Model):
    """How often a member is e-mailed. No row: the default (settings.NOTIFICATION_EMAIL_DEFAULT)."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="email_preference",
    )
    frequency = models.CharField(max_length=12, choices=Frequency.choices)
    # In every unsubscribe link; raised when one is used, so each link works once.
    token_version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.member_id}: {self.frequency}"


class DigestSent(models.Model):
    """One row per member and digest period, taken before the e-mail goes: sent once."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=12, choices=Frequency.choices)
    period_start = models.DateTimeField()
    sent_at = models.DateTimeField()
    items = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "frequency", "period_start"], name="uniq_digest_period"
            )
        ]
