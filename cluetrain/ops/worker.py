"""django-tasks-db's worker, made hard to kill by the database (docs/queuing.md).

- Database errors (SQLite's "database is locked" past its busy timeout, a lost PostgreSQL
  connection, a server restart) no longer end the process: the connection is dropped, the
  worker waits with growing backoff (tenacity) and starts its loop again. The task it was
  running goes back to the queue to be rerun; tasks are safe to run twice.
- A task that failed *because of* such an error is requeued a little later instead of being
  recorded as failed for good.
- A thread writes the heartbeat and takes back tasks abandoned by dead workers (leases.py).
"""

import datetime
import logging
import threading
from typing import Any

from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    wait_exponential_jitter,
)

from cluetrain.ops import leases

logger = logging.getLogger("cluetrain.worker")

TRANSIENT_ERRORS = (OperationalError, InterfaceError)
# Waits between retries: 0.5 s, doubling, never more than 30 s, with jitter so that several
# workers do not hammer a recovering server at the same moment.
BACKOFF = wait_exponential_jitter(initial=0.5, max=30, jitter=0.5)
# What a task "fails" with when the worker is stopped at once in the middle of it.
INTERRUPTIONS = {"builtins.SystemExit", "builtins.KeyboardInterrupt"}
# A task failed by a database error waits this long before its rerun.
REQUEUE_DELAY = datetime.timedelta(seconds=2)


def _drop_connections() -> None:
    # A broken connection must not be reused; the next query opens a fresh one.
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except DatabaseError:
            logger.debug("Closing a broken connection failed", exc_info=True)


def _log_retry(state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    wait = state.next_action.sleep if state.next_action else 0.0
    logger.warning("Database unavailable (%s); worker retrying in %.1f s.", error, wait)
    _drop_connections()


def _is_transient(exception_class_path: str) -> bool:
    try:
        exception_class = import_string(exception_class_path)
    except ImportError:
        return False
    return isinstance(exception_class, type) and issubclass(exception_class, TRANSIENT_ERRORS)


class Heartbeat(threading.Thread):
    """Beats for the worker and reclaims abandoned tasks, even while a long task runs."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="cluetrain-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def run(self) -> None:
        while True:
            try:
                leases.beat(self.worker_id, self.started_at)
                reclaimed = leases.reclaim_abandoned_tasks()
                if reclaimed.requeued or reclaimed.failed:
                    logger.warning(
                        "Took back tasks of stopped workers: %d requeued, %d failed "
                        "after too many attempts.",
                        reclaimed.requeued,
                        reclaimed.failed,
                    )
            except DatabaseError as error:
                # The main loop has its own retries; a missed beat is caught up next time.
                logger.warning("Heartbeat not written (%s).", error)
                connection.close()
            if self.stopping.wait(leases.beat_interval()):
                break
        connection.close()


class ResilientWorker(Worker):
    def run(self) -> None:
        heartbeat = Heartbeat(self.worker_id)
        heartbeat.start()
        retrying = Retrying(
            retry=retry_if_exception_type(TRANSIENT_ERRORS),
            wait=BACKOFF,
            before_sleep=_log_retry,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    # After an outage, what this worker was running goes back to the queue.
                    leases.requeue_own_tasks(self.worker_id)
                    super().run()
        finally:
            heartbeat.stopping.set()
            heartbeat.join(timeout=10)
            self._leave()

    def _stopped_at_once(self, db_task_result: DBTaskResult[Any, Any]) -> bool:
        return (
            not self.running
            and db_task_result.status == TaskResultStatus.FAILED
            and db_task_result.exception_class_path in INTERRUPTIONS
            and len(db_task_result.worker_ids) < leases.MAX_ATTEMPTS
        )

    def _leave(self) -> None:
        try:
            leases.requeue_own_tasks(self.worker_id)
            leases.forget(self.worker_id)
        except DatabaseError:
            logger.warning("Stopped without cleaning up; the lease takes the tasks back.")

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        super().run_task(db_task_result)
        if self._stopped_at_once(db_task_result):
            # A second Ctrl+C or SIGTERM ends the task where it is (SystemExit raised in it),
            # which django-tasks-db records as the task's failure: it was interrupted, not
            # wrong, so it goes back to the queue like a task of a killed worker.
            logger.warning("Task %s stopped with the worker; requeued.", db_task_result.task_path)
            DBTaskResult.objects.filter(
                pk=db_task_result.pk, status=TaskResultStatus.FAILED
            ).update(status=TaskResultStatus.READY, run_after=timezone.now())
            return
        failed_by_database = db_task_result.status == TaskResultStatus.FAILED and _is_transient(
            db_task_result.exception_class_path
        )
        if failed_by_database and len(db_task_result.worker_ids) < leases.MAX_ATTEMPTS:
            logger.warning("Task %s met a database error; requeued.", db_task_result.task_path)
            DBTaskResult.objects.filter(
                pk=db_task_result.pk, status=TaskResultStatus.FAILED
            ).update(status=TaskResultStatus.READY, run_after=timezone.now() + REQUEUE_DELAY)
