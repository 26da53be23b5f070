"""One searchable row per post or member; each database indexes it its own way.

SQLite keeps an FTS5 table in step through triggers, PostgreSQL a GIN index over a
tsvector expression (see the migrations). Queries go through cluetrain.search.backends.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    class Kind(models.TextChoices):
        POST = "post", _("Post")
        MEMBER = "member", _("Member")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField()
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    # Copied from the post's space so that a search never shows what the viewer may not read.
    visibility = models.CharField(max_length=10, default="public")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="uniq_search_entry")
        ]
