"""Worker heartbeats, and taking back the tasks of workers that died mid-run.

A worker beats every few seconds (WorkerHeartbeat.last_beat_at). A task RUNNING on a worker
whose beat is older than the lease (settings.WORKER_LEASE_SECONDS) was abandoned: kill -9,
a crash, a machine gone. It goes back to READY and another worker reruns it; tasks are safe to
run twice (docs/queuing.md). After MAX_ATTEMPTS claims it is marked FAILED instead, so a task
that kills its worker every time cannot loop for ever.
"""

import datetime
import os
import socket
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cluetrain.ops.models import WorkerHeartbeat

MAX_ATTEMPTS = 5
# Heartbeats of workers gone this long are deleted; they only clutter the health page.
FORGET_AFTER = datetime.timedelta(days=1)


class TaskAbandoned(Exception):
    """Recorded as the failure of a task whose workers kept dying while running it."""


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.WORKER_LEASE_SECONDS)


def beat_interval() -> float:
    """Several beats per lease, so one slow write does not make a live worker look dead."""
    return max(0.5, settings.WORKER_LEASE_SECONDS / 4)


def beat(worker_id: str, started_at: datetime.datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "pid": os.getpid(),
            "host": socket.gethostname()[:255],
            "started_at": started_at,
            "last_beat_at": timezone.now(),
        },
    )


def forget(worker_id: str) -> None:
    """A worker stopping cleanly leaves no heartbeat to look stale."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


@dataclass(frozen=True)
class Reclaimed:
    requeued: int
    failed: int


def _owner(result: DBTaskResult[Any, Any]) -> str | None:
    return result.worker_ids[-1] if result.worker_ids else None


def _take_back(result: DBTaskResult[Any, Any], now: datetime.datetime) -> str:
    """Requeue or fail one abandoned task; a conditional write, so two reclaimers agree."""
    # The claim's started_at identifies it: a rerun that claimed it meanwhile is left alone.
    claimed = DBTaskResult.objects.filter(
        pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
    )
    if len(result.worker_ids) < MAX_ATTEMPTS:
        claimed.update(status=TaskResultStatus.READY, run_after=now)
        return "requeued"
    error = TaskAbandoned(
        f"The worker running it stopped {len(result.worker_ids)} times; not tried again."
    )
    claimed.update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=f"{TaskAbandoned.__module__}.{TaskAbandoned.__qualname__}",
        traceback=f"{TaskAbandoned.__qualname__}: {error}\n",
    )
    return "failed"


def reclaim_abandoned_tasks(now: datetime.datetime | None = None) -> Reclaimed:
    """Put tasks RUNNING on silent (or unknown) workers back in the queue."""
    now = now or timezone.now()
    stale_before = now - lease()
    alive = set(
        WorkerHeartbeat.objects.filter(last_beat_at__gte=stale_before).values_list(
            "worker_id", flat=True
        )
    )
    # Claimed longer ago than the lease: a worker that just claimed may not have beaten yet.
    running = DBTaskResult.objects.filter(
        Q(started_at__lt=stale_before) | Q(started_at__isnull=True),
        status=TaskResultStatus.RUNNING,
    ).only("pk", "started_at", "worker_ids")
    outcomes = [_take_back(r, now) for r in running if _owner(r) not in alive]
    WorkerHeartbeat.objects.filter(last_beat_at__lt=now - FORGET_AFTER).delete()
    return Reclaimed(requeued=outcomes.count("requeued"), failed=outcomes.count("failed"))


def requeue_own_tasks(worker_id: str) -> int:
    """After a database error or a forced stop, this worker's RUNNING tasks go back at once."""
    now = timezone.now()
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only(
        "pk", "started_at", "worker_ids"
    )
    return [_take_back(r, now) for r in running if _owner(r) == worker_id].count("requeued")
