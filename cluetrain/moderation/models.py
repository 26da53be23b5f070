"""Flags raised by members and the audit log of every moderation act."""

from django.conf import settings
from django.db import models


class Flag(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", "Spam"
        ABUSE = "abuse", "Abusive or offensive"
        OFF_TOPIC = "off_topic", "Off topic"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        UPHELD = "upheld", "Upheld"
        DISMISSED = "dismissed", "Dismissed"

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
        HIDE_POST = "hide_post", "Hid a post"
        UNHIDE_POST = "unhide_post", "Restored a post"
        HIDE_THREAD = "hide_thread", "Hid a thread"
        UNHIDE_THREAD = "unhide_thread", "Restored a thread"
        LOCK_THREAD = "lock_thread", "Locked a thread"
        UNLOCK_THREAD = "unlock_thread", "Unlocked a thread"
        MOVE_THREAD = "move_thread", "Moved a thread"
        PIN_THREAD = "pin_thread", "Pinned a thread"
        UNPIN_THREAD = "unpin_thread", "Unpinned a thread"
        DELETE_POST = "delete_post", "Deleted someone else's post"
        EDIT_POST = "edit_post", "Edited someone else's post"
        RESOLVE_FLAG = "resolve_flag", "Resolved a flag"
        CHANGE_ROLE = "change_role", "Changed a member's role"

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
