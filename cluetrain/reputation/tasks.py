"""Reputation is recomputed in the background after anything that rates someone."""

from datetime import datetime

from django.db.models import Max
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from cluetrain.core.events import Event
from cluetrain.reputation.compute import refresh_reputation
from cluetrain.reputation.models import Reputation


@task()
def recompute_reputation(requested_at: str) -> None:
    # Two requests that raced past the waiting check: the first to run covers both.
    done = Reputation.objects.aggregate(last=Max("computed_at"))["last"]
    if done is not None and done >= datetime.fromisoformat(requested_at):
        return
    refresh_reputation()


def _recompute_waiting() -> bool:
    """A recomputation queued and not yet started: it reads every rating committed before
    it starts, so it covers one committed now (a running one may not: it read them already)."""
    if not isinstance(recompute_reputation.get_backend(), DatabaseBackend):
        return False  # the in-process queue of tests and commands runs each task at once
    return DBTaskResult.objects.filter(
        task_path=recompute_reputation.module_path, status=TaskResultStatus.READY
    ).exists()


def on_rating_changed(event: Event) -> None:
    # The whole graph at once: the defences look at groups, not at one rating. A burst (an
    # import of 20,000 messages raised about 1,300 of these) queues one task, not one each.
    if _recompute_waiting():
        return
    recompute_reputation.enqueue(timezone.now().isoformat())
