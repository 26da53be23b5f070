"""What imports keep beside the shared timeline (threads.Post)."""

from django.db import models

from cluetrain.organizations.models import Product
from cluetrain.sources.models import Source
from cluetrain.threads.models import Post


class ImportedRating(models.Model):
    """Stars an outside reviewer gave a product. reviews.Review needs a member as author,
    so outside reviews are a Post by an ExternalIdentity plus this row."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="imported_rating")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="imported_ratings")
    stars = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="imported_stars_1_5"
            )
        ]


class PendingReply(models.Model):
    """An imported reply whose parent was not there yet: it starts its own thread until a
    message with `parent_external_id` arrives (later in the file or in a later import);
    then its thread is merged under that message and this row is deleted."""

    # Indexed by the constraint and the index, which lead with it.
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="+", db_index=False)
    external_id = models.CharField(max_length=200)
    parent_external_id = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="uniq_pending_reply_per_source"
            )
        ]
        indexes = [
            models.Index(fields=["source", "parent_external_id"], name="pending_reply_parent_idx")
        ]
