"""A worker stopped at once (a second Ctrl+C or SIGTERM) puts the task it was running back."""

import signal
from collections.abc import Iterator
from typing import Any

import pytest
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult, get_date_max

from cluetrain.ops.worker import ResilientWorker

WORKER_ID = "stopped-worker"
_worker: list[ResilientWorker] = []


@task()
def stopped_twice() -> None:
    """What the signal handler does in the middle of a task when the operator insists."""
    worker = _worker[0]
    worker.shutdown(signal.SIGTERM, None)  # the first: finish this task, then stop
    worker.shutdown(signal.SIGTERM, None)  # the second: stop now (SystemExit, here)


@pytest.fixture
def worker() -> Iterator[ResilientWorker]:
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    _worker[:] = [
        ResilientWorker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=WORKER_ID,
            excluded_queue_names=[],
        )
    ]
    yield _worker[0]
    _worker.clear()
    for sig, handler in handlers.items():  # shutdown() resets them to the defaults
        signal.signal(sig, handler)


def _claimed(path: str) -> DBTaskResult[Any, Any]:
    return DBTaskResult.objects.create(
        task_path=path,
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=get_date_max(),
        status=TaskResultStatus.RUNNING,
        worker_ids=[WORKER_ID],
        exception_class_path="",
        traceback="",
    )


@pytest.mark.django_db
def test_a_task_stopped_with_the_worker_goes_back_to_the_queue(worker: ResilientWorker) -> None:
    result = _claimed(f"{__name__}.stopped_twice")
    worker.run_task(result)
    result.refresh_from_db()
    # Before: FAILED with "SystemExit: 1", and never run again.
    assert result.status == TaskResultStatus.READY
    assert not worker.running


@pytest.mark.django_db
def test_a_task_that_fails_on_its_own_stays_failed(worker: ResilientWorker) -> None:
    result = _claimed("cluetrain.notifications.tasks.send_post_notifications")
    result.args_kwargs = {"args": [], "kwargs": {}}  # missing post_id: a TypeError
    result.save()
    worker.run_task(result)
    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED
