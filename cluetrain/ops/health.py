"""How the task queue is doing: what waits, what failed, which workers still beat.

`stuck_problems` is the cheap check behind the staff banner and `cluetrain serve`'s warning;
`queue_health` is the whole picture for the staff page.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from cluetrain.core.sentences import Sentence
from cluetrain.ops.leases import lease
from cluetrain.ops.models import WorkerHeartbeat

# Work waiting longer than this is stuck, whatever the reason.
WAITING_TOO_LONG = datetime.timedelta(minutes=5)
# Tasks wait and no worker has beaten for this long: none is running.
SILENT_TOO_LONG = datetime.timedelta(minutes=2)
RECENT_FAILURES = 20
# How the page heads each state's count: the stored codes are English, and READY also counts
# retries due later, so it reads "queued".
STATUS_LABELS: dict[str, Promise] = {
    TaskResultStatus.READY: _("queued"),
    TaskResultStatus.RUNNING: _("in progress"),
    TaskResultStatus.FAILED: _("failed"),
    TaskResultStatus.SUCCESSFUL: _("succeeded"),
}


@dataclass(frozen=True)
class WorkerState:
    worker_id: str
    pid: int
    host: str
    started_at: datetime.datetime
    last_beat_at: datetime.datetime
    alive: bool


@dataclass(frozen=True)
class Failure:
    task_name: str
    finished_at: datetime.datetime | None
    error: str


@dataclass(frozen=True)
class QueueHealth:
    counts: dict[str, int]
    oldest_waiting_at: datetime.datetime | None
    oldest_waiting_age: datetime.timedelta | None
    recent_failures: list[Failure]
    workers: list[WorkerState]
    problems: list[Sentence]

    @property
    def labelled_counts(self) -> list[tuple[Promise | str, int]]:
        return [(STATUS_LABELS.get(status, status), n) for status, n in self.counts.items()]


def _waiting(now: datetime.datetime) -> Q:
    # READY and due (django-tasks-db stores "no run_after" as the largest date): a task
    # scheduled for later is not waiting yet.
    due = Q(run_after=get_date_max()) | Q(run_after__lte=now)
    return Q(status=TaskResultStatus.READY) & due


def _waited(age: datetime.timedelta) -> Sentence:
    return Sentence.ngettext(
        "The oldest background task has waited %(count)s minute.",
        "The oldest background task has waited %(count)s minutes.",
        int(age.total_seconds() // 60),
    )


START_A_WORKER = gettext_noop("start `cluetrain worker` (or `cluetrain serve`, which starts one).")


def _no_worker_beats(now: datetime.datetime) -> bool:
    return not WorkerHeartbeat.objects.filter(last_beat_at__gte=now - SILENT_TOO_LONG).exists()


def stuck_problems(now: datetime.datetime | None = None) -> list[Sentence]:
    """Why queued work is not getting done, as sentences put into words where they are read
    (a page in its reader's language, the console in English); empty when all is well. Two or
    three queries."""
    now = now or timezone.now()
    oldest = DBTaskResult.objects.filter(_waiting(now)).aggregate(oldest=Min("enqueued_at"))
    if oldest["oldest"] is None:
        # Nothing waits, but a task left RUNNING by a worker that died (kill -9, out of memory)
        # goes back to the queue only when a live worker takes it back: with none, it never
        # finishes and nothing else would say so.
        running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).exists()
        if running and _no_worker_beats(now):
            return [
                Sentence(
                    gettext_noop(
                        "A task was left running by a worker that stopped, and no worker is "
                        "running to take it back: %(remedy)s"
                    ),
                    {"remedy": START_A_WORKER},
                    translated=("remedy",),
                )
            ]
        return []
    problems = []
    waited = now - oldest["oldest"]
    if waited > WAITING_TOO_LONG:
        problems.append(_waited(waited))
    if _no_worker_beats(now):
        problems.append(
            Sentence(
                gettext_noop("Tasks are waiting and no worker is running: %(remedy)s"),
                {"remedy": START_A_WORKER},
                translated=("remedy",),
            )
        )
    return problems


def _error_line(traceback: str, exception_class_path: str) -> str:
    lines = [line for line in traceback.strip().splitlines() if line.strip()]
    return (lines[-1] if lines else exception_class_path)[:300]


def queue_health(now: datetime.datetime | None = None) -> QueueHealth:
    now = now or timezone.now()
    counts = dict.fromkeys(TaskResultStatus.values, 0)
    for row in DBTaskResult.objects.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    oldest = (
        DBTaskResult.objects.filter(_waiting(now))
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    failures = [
        Failure(
            task_name=row.task_path.rsplit(".", 1)[-1],
            finished_at=row.finished_at,
            error=_error_line(row.traceback, row.exception_class_path),
        )
        for row in DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
        .order_by("-finished_at")
        .only("task_path", "finished_at", "traceback", "exception_class_path")[:RECENT_FAILURES]
    ]
    workers = [
        WorkerState(
            worker_id=beat.worker_id,
            pid=beat.pid,
            host=beat.host,
            started_at=beat.started_at,
            last_beat_at=beat.last_beat_at,
            alive=now - beat.last_beat_at <= lease(),
        )
        for beat in WorkerHeartbeat.objects.order_by("-last_beat_at")
    ]
    return QueueHealth(
        counts=counts,
        oldest_waiting_at=oldest,
        oldest_waiting_age=now - oldest if oldest else None,
        recent_failures=failures,
        workers=workers,
        problems=stuck_problems(now),
    )
