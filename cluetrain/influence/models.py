"""Influence scores, cascades with their forecasts, spread alerts and the engagement inbox."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cluetrain.listening.models import LearnedTopic
from cluetrain.threads.models import Post, Thread

#: The words for the stored role codes (the API keeps the codes).
ROLE_NAMES = {"expert": _("Expert"), "connector": _("Connector"), "amplifier": _("Amplifier")}


class InfluenceScore(models.Model):
    """How much a member is heard, globally (topic empty) or on one learned topic.

    The whole table is replaced at once by the `compute_influence` task.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="influence_scores"
    )
    topic = models.ForeignKey(
        LearnedTopic, null=True, blank=True, on_delete=models.CASCADE, related_name="influence"
    )
    score = models.FloatField()
    rank = models.PositiveIntegerField()
    #: Comma-separated roles: expert, connector, amplifier (overall, or on the row's topic).
    roles = models.CharField(max_length=60, blank=True)
    #: Role -> the numbers that earned it (cluetrain_analytics.graph.roles.role_facts).
    role_facts = models.JSONField(default=dict, blank=True)
    #: Mean sentiment score of what the member wrote (on this topic), in [-1, 1]; None if silent.
    stance = models.FloatField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["member", "topic"], name="influence_once_per_topic"),
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(topic__isnull=True),
                name="influence_once_global",
            ),
        ]
        indexes = [models.Index(fields=["topic", "rank"], name="influence_topic_rank_idx")]

    def __str__(self) -> str:
        return f"{self.member_id} #{self.rank} on {self.topic_id or 'all'}"

    @property
    def role_list(self) -> list[str]:
        return [role for role in self.roles.split(",") if role]

    @property
    def role_names(self) -> list[str]:
        """The roles as words in the active language, for pages."""
        return [str(ROLE_NAMES.get(role, role)) for role in self.role_list]


class RankingSignal(models.Model):
    """What a leaderboard (the whole community, or one topic) is ranked by, and why.

    Influence unless counting the attention people received ranked the topic's later days
    better (`cluetrain_analytics.graph.backtest.better_signal`). Replaced with the scores.
    """

    class Signal(models.TextChoices):
        INFLUENCE = "influence", _("Influence")
        IN_DEGREE = "in_degree", _("Attention received")

    topic = models.OneToOneField(
        LearnedTopic, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    signal = models.CharField(max_length=12, choices=Signal.choices)
    influence_ndcg = models.FloatField(null=True, blank=True)
    in_degree_ndcg = models.FloatField(null=True, blank=True)
    #: Later interactions that judged the two signals.
    judged_on = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.topic_id or 'all'} by {self.signal}"


class SpreadPolicy(models.Model):
    """The community's alert policy; one row (pk 1), edited by staff on /alerts/settings/."""

    #: Raise an alert when a negative cascade's forecast final size reaches this many replies.
    alert_threshold = models.PositiveIntegerField(default=20)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"alert at {self.alert_threshold}"


class Cascade(models.Model):
    """A thread's reply tree seen as a cascade, with its latest forecast."""

    thread = models.OneToOneField(Thread, on_delete=models.CASCADE, related_name="cascade")
    root_post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()
    #: Replies from people other than staff (staff answers are not spread).
    size = models.PositiveIntegerField(default=0)
    distinct_people = models.PositiveIntegerField(default=0)
    age_minutes = models.FloatField(default=0.0)
    forecast = models.FloatField(default=0.0)
    forecast_method = models.CharField(max_length=40, blank=True)
    #: The opening message's sentiment score (None until listening has read it).
    opening_sentiment = models.FloatField(null=True, blank=True)
    is_negative = models.BooleanField(default=False)
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["-forecast"], name="cascade_forecast_idx")]

    def __str__(self) -> str:
        return f"cascade of thread {self.thread_id}: {self.size} -> {self.forecast:.0f}"


class Alert(models.Model):
    """A negative cascade whose forecast crossed the threshold. At most one per cascade."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")

    cascade = models.OneToOneField(Cascade, on_delete=models.CASCADE, related_name="alert")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    #: What was known when it was raised.
    size_at_raise = models.PositiveIntegerField()
    forecast_at_raise = models.FloatField()
    threshold = models.PositiveIntegerField()
    raised_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    #: Set (conditionally) just before the staff e-mail goes, so it goes once.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["status", "-raised_at"], name="alert_status_idx")]

    def __str__(self) -> str:
        return f"alert {self.pk} on thread {self.cascade.thread_id} ({self.status})"


class ThreadClaim(models.Model):
    """Who on staff is answering a thread; claimed with a conditional UPDATE, so one wins."""

    thread = models.OneToOneField(Thread, on_delete=models.CASCADE, related_name="claim")
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"thread {self.thread_id} claimed by {self.claimed_by_id}"


class StaffResponse(models.Model):
    """A first staff answer to a waiting message: how long the customer waited."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    #: The first unanswered outside message; one first response per wait.
    waiting_post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="+")
    reply = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="responses"
    )
    seconds = models.FloatField()
    answered_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["responder", "-answered_at"], name="response_staff_idx")]

    def __str__(self) -> str:
        return f"{self.responder_id} answered thread {self.thread_id} in {self.seconds:.0f}s"
