"""Reputation is recomputed in the background after anything that rates someone."""

from datetime import datetime

from django.db.models import Max
from django.utils import timezone
from django_tasks import task

from cluetrain.core.events import Event
from cluetrain.reputation.compute import refresh_reputation
from cluetrain.reputation.models import Reputation


@task()
def recompute_reputation(requested_at: str) -> None:
    # A burst of ratings queues one task each; the first to run covers all queued before it.
    done = Reputation.objects.aggregate(last=Max("computed_at"))["last"]
    if done is not None and done >= datetime.fromisoformat(requested_at):
        return
    refresh_reputation()


def on_rating_changed(event: Event) -> None:
    # The whole graph at once: the defences look at groups, not at one rating.
    recompute_reputation.enqueue(timezone.now().isoformat())
