"""The staff banner's check runs once per process every few seconds, not on every page."""

import datetime
import time
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from cluetrain.ops.context_processors import CHECK_EVERY_S, recent_problems


def _waiting_task() -> DBTaskResult[Any, Any]:
    return DBTaskResult.objects.create(
        task_path="cluetrain.notifications.tasks.send_post_notifications",
        args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default",
        run_after=get_date_max(),
        status=TaskResultStatus.READY,
        worker_ids=[],
        exception_class_path="",
        traceback="",
    )


@pytest.mark.django_db
def test_the_check_is_reused_for_a_few_seconds_and_redone_when_a_task_is_queued(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    task = _waiting_task()
    fresh = recent_problems()
    assert [str(problem) for problem in fresh] == [
        "Tasks are waiting and no worker is running: start `cluetrain worker` "
        "(or `cluetrain serve`, which starts one)."
    ]

    # Another process ran the task: this one keeps its answer for CHECK_EVERY_S, without a query.
    DBTaskResult.objects.filter(pk=task.pk).update(status=TaskResultStatus.SUCCESSFUL)
    with CaptureQueriesContext(connection) as queries:
        assert recent_problems() == fresh
    assert len(queries) == 0

    # Seconds later it checks again.
    later = time.monotonic() + CHECK_EVERY_S
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert recent_problems() == []

    # A task queued by this process is seen at once.
    old = _waiting_task()
    DBTaskResult.objects.filter(pk=old.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=6)
    )
    _waiting_task()
    assert "The oldest background task has waited 6 minutes." in map(str, recent_problems())
