"""Ideas with votes and a status workflow that is visible to everyone, with reasons."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cluetrain.organizations.models import Product
from cluetrain.spaces.models import Space
from cluetrain.threads.models import Thread


class Idea(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        UNDER_REVIEW = "under_review", _("Under review")
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DECLINED = "declined", _("Declined")

    thread = models.OneToOneField(Thread, on_delete=models.CASCADE, related_name="idea")
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    vote_count = models.PositiveIntegerField(default=0)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # A duplicate merged by staff points to the idea that survives; its votes and followers
    # moved there (once per member) and both authors are credited on the survivor.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["status", "-vote_count"], name="idea_status_votes_idx"),
            models.Index(fields=["-vote_count"], name="idea_votes_idx"),
        ]

    @property
    def voting_open(self) -> bool:
        # Votes count while the outcome is still open.
        return self.merged_into_id is None and self.status not in {
            self.Status.DONE,
            self.Status.DECLINED,
        }


class IdeaVote(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_votes"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "member"], name="one_vote_per_idea")]


class IdeaStatusChange(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Idea.Status.choices)
    to_status = models.CharField(max_length=20, choices=Idea.Status.choices)
    explanation = models.TextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]


class IdeaFollow(models.Model):
    """A member who wants to hear about an idea without voting for it."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="follows")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_follows"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "member"], name="one_follow_per_idea")
        ]


class VoteBudget(models.Model):
    """Staff's optional limit on how many open ideas a member may vote for in one space."""

    space = models.OneToOneField(Space, on_delete=models.CASCADE, related_name="idea_vote_budget")
    votes = models.PositiveIntegerField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField()
