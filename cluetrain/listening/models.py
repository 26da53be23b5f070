"""What listening knows about each message, the topics it learned, and the root issues."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cluetrain.organizations.models import Product
from cluetrain.threads.models import Post


class FittedModel(models.Model):
    """A model fitted on this community's own corpus (topics, product aliases, the sentiment
    and emotion heads retrained from staff's labels), pickled.

    Kept in the database so that every web and worker process sees the same one, and so that
    the export carries it.
    """

    kind = models.CharField(max_length=40)
    version = models.CharField(max_length=80)
    blob = models.BinaryField()
    corpus_size = models.PositiveIntegerField(default=0)
    fitted_at = models.DateTimeField()
    #: What the fit measured (the heads: accuracy on held-out staff labels), for the dashboard.
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "-fitted_at"], name="fittedmodel_kind_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.version}"


class LearnedTopic(models.Model):
    """A topic found in the community's own messages (not a tag people chose)."""

    label = models.CharField(max_length=200)
    keywords = models.JSONField(default=list)
    size = models.PositiveIntegerField(default=0)
    #: The topic's id inside the fitted topic model it comes from.
    model_topic_id = models.IntegerField()
    model_version = models.CharField(max_length=80)

    class Meta:
        ordering = ["-size"]

    def __str__(self) -> str:
        return self.label


class RootIssue(models.Model):
    """Negative experiences that share one cause, rolled up; staff rename, merge, split, close."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        MERGED = "merged", _("Merged")

    name = models.CharField(max_length=200)
    #: Set once staff rename it: the roll-up no longer renames it.
    name_locked = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    keywords = models.JSONField(default=list)
    #: What new messages are matched against: one centroid per cluster merged into this issue.
    centroids = models.JSONField(default=list)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    message_count = models.PositiveIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-last_seen"]
        indexes = [models.Index(fields=["status", "-last_seen"], name="rootissue_status_idx")]

    def __str__(self) -> str:
        return self.name


class RootIssueEvent(models.Model):
    """The audit log of an issue: what the roll-up and staff did to it, and when."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        RENAMED = "renamed", _("Renamed")
        MERGED = "merged", _("Merged")
        SPLIT = "split", _("Split")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")

    issue = models.ForeignKey(RootIssue, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.issue_id}"


class Enrichment(models.Model):
    """Emotion, context and experience of one message, with the model version that read it."""

    class Sentiment(models.TextChoices):
        NEGATIVE = "negative", _("Negative")
        NEUTRAL = "neutral", _("Neutral")
        POSITIVE = "positive", _("Positive")
        #: The reader's confidence was below the threshold chosen on validation data.
        UNSURE = "unsure", _("Unsure")

    post = models.OneToOneField(
        Post, primary_key=True, on_delete=models.CASCADE, related_name="enrichment"
    )
    model_version = models.CharField(max_length=120, db_index=True)
    #: The message's own time, copied so that time series need no join.
    created_at = models.DateTimeField(db_index=True)
    # Emotion: how I feel.
    sentiment = models.CharField(max_length=10, choices=Sentiment.choices)
    sentiment_score = models.FloatField()
    emotion = models.CharField(max_length=20)
    emotion_scores = models.JSONField(default=dict)
    irony_score = models.FloatField(default=0.0)
    offensive_score = models.FloatField(default=0.0)
    # Context: what about, where.
    products = models.ManyToManyField(Product, blank=True, related_name="enrichments")
    place = models.CharField(max_length=120, blank=True)
    topic = models.ForeignKey(
        LearnedTopic, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    # Experience: what happened, what I will do.
    event = models.CharField(max_length=120, blank=True, db_index=True)
    intent = models.CharField(max_length=20, blank=True)
    intents = models.JSONField(default=list)
    root_issue = models.ForeignKey(
        RootIssue, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    #: Toward the message it answers (RumourEval's classes); an opening post "supports" its
    #: own claim. "" for messages read before the stance reader.
    stance = models.CharField(max_length=10, blank=True)
    stance_confidence = models.FloatField(default=0.0)
    #: Another company's account or brand the message is addressed to: not about us, left
    #: out of root issues and the dashboards' counts.
    elsewhere = models.CharField(max_length=200, blank=True)
    enriched_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["sentiment", "created_at"], name="enrichment_sentiment_idx"),
            models.Index(fields=["root_issue", "created_at"], name="enrichment_issue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.sentiment} {self.emotion}"


class EnrichmentAspect(models.Model):
    """One aspect (price, delivery, battery...) a message is about: a row, so it can be counted."""

    enrichment = models.ForeignKey(Enrichment, on_delete=models.CASCADE, related_name="aspects")
    aspect = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrichment", "aspect"], name="enrichment_aspect_once")
        ]
        indexes = [models.Index(fields=["aspect"], name="enrichment_aspect_idx")]

    def __str__(self) -> str:
        return self.aspect


class LabelCorrection(models.Model):
    """Staff's word on one label of one message: it replaces the reader's label at once and
    stays (a re-read never overwrites it). Confirming the reader's label is recorded too, so
    agreement can be measured: the per-community accuracy no vendor publishes."""

    class Label(models.TextChoices):
        SENTIMENT = "sentiment", _("Sentiment")
        EMOTION = "emotion", _("Emotion")
        INTENT = "intent", _("Intent")
        EVENT = "event", _("Event")
        PRODUCT = "product", _("Product")
        ROOT_ISSUE = "root_issue", _("Root issue")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="label_corrections")
    label = models.CharField(max_length=20, choices=Label.choices)
    #: What the reader said ("" for none), kept from the first check of this label.
    machine_value = models.CharField(max_length=200, blank=True)
    value = models.CharField(max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "label"], name="one_correction_per_label")
        ]

    @property
    def agreed(self) -> bool:
        return self.value == self.machine_value
