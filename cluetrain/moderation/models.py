"""Flags raised by members and the audit log of every moderation act."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cluetrain.moderation.reasons import in_words


class Flag(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        ABUSE = "abuse", _("Abusive or offensive")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    post = models.ForeignKey("threads.Post", on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="flags_raised"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField()
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=models.Q(status="open"),
                name="one_open_flag_per_reporter",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="flag_queue_idx")]


class ModerationAction(models.Model):
    """Append-only audit log: who did what to which thread or post, and why."""

    class Action(models.TextChoices):
        HIDE_POST = "hide_post", _("Hid a post")
        UNHIDE_POST = "unhide_post", _("Restored a post")
        HIDE_THREAD = "hide_thread", _("Hid a thread")
        UNHIDE_THREAD = "unhide_thread", _("Restored a thread")
        LOCK_THREAD = "lock_thread", _("Locked a thread")
        UNLOCK_THREAD = "unlock_thread", _("Unlocked a thread")
        MOVE_THREAD = "move_thread", _("Moved a thread")
        PIN_THREAD = "pin_thread", _("Pinned a thread")
        UNPIN_THREAD = "unpin_thread", _("Unpinned a thread")
        DELETE_POST = "delete_post", _("Deleted someone else's post")
        EDIT_POST = "edit_post", _("Edited someone else's post")
        RESOLVE_FLAG = "resolve_flag", _("Resolved a flag")
        CHANGE_ROLE = "change_role", _("Changed a member's role")
        APPROVE_HELD = "approve_held", _("Approved a held contribution")
        REJECT_HELD = "reject_held", _("Rejected a held contribution as spam")
        RETRAIN = "retrain", _("Retrained the spam filter")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    thread = models.ForeignKey(
        "threads.Thread", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    post = models.ForeignKey(
        "threads.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at"]


class Screening(models.Model):
    """The spam filter's verdict on one new or edited contribution (cluetrain.moderation.screening).

    One row per contribution screened (edits add a row). A held one is hidden from everyone
    but its author and the moderators until a moderator approves or rejects it: the decision
    (who, when, which way) is kept here beside the filter's verdict, and moderators'
    decisions retrain the filter (`cluetrain moderation retrain`).
    """

    class Kind(models.TextChoices):
        POST = "post", _("Post")
        REVIEW = "review", _("Review")
        IDEA = "idea", _("Idea")
        PROFILE = "profile", _("Profile")
        REQUEST = "request", _("Personal request")

    class Status(models.TextChoices):
        PASSED = "passed", _("Passed")
        HELD = "held", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected as spam")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    post = models.ForeignKey(
        "threads.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # What a higher app holds with the filter's verdict (a personal request's id, for kind
    # "request"): moderation never imports that app; the app reads ContributionDecided.
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    # What the filter read: kept for held contributions only (retraining reads it again);
    # a profile's held headline and bio wait here until a moderator approves them (a passed
    # or approved profile keeps them too: shown again while a later edit is held); a held
    # personal request's title and description are shown to moderators from here.
    text = models.TextField(blank=True)
    held_fields = models.JSONField(default=dict, blank=True)
    content_hash = models.CharField(max_length=64)
    # The scorer's inputs beside the text, and its verdict.
    account_age_days = models.FloatField(null=True, blank=True)
    author_post_count = models.PositiveIntegerField(null=True, blank=True)
    times_seen_before = models.PositiveIntegerField(default=0)
    deception_probability = models.FloatField(null=True, blank=True)
    score = models.FloatField()
    threshold = models.FloatField()
    reasons = models.JSONField(default=list, blank=True)
    # The same reasons as [cue name, values] pairs (SpamVerdict.named), worded when read.
    named_reasons = models.JSONField(default=list, blank=True)
    # Decisions the scorer had been fitted on (0: the documented weights).
    scorer_decisions = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["content_hash", "created_at"], name="screening_hash_idx"),
            models.Index(fields=["author", "-created_at"], name="screening_author_idx"),
            models.Index(fields=["kind", "subject_id"], name="screening_subject_idx"),
            models.Index(
                fields=["created_at"],
                name="screening_held_idx",
                condition=models.Q(status="held"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.author_id}: {self.status} ({self.score:.2f})"

    def reasons_in_words(self) -> list[str]:
        """Why the filter held it, in the active language."""
        return in_words(self.named_reasons, self.reasons)

    @property
    def held(self) -> bool:
        return self.status == self.Status.HELD


class SpamModel(models.Model):
    """The community's own spam scorer, refitted from moderators' decisions; the latest wins.

    None yet: the documented weights of cluetrain_analytics.text.spam are used.
    """

    weights = models.JSONField()
    bias = models.FloatField()
    threshold = models.FloatField()
    decisions = models.PositiveIntegerField()
    # Measured on the decisions it was fitted on: the share of held contributions approved.
    false_hold_rate = models.FloatField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        get_latest_by = ["created_at", "pk"]
