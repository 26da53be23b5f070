"""Leases take back abandoned tasks; staff see stuck work on a page and in a banner."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.functional import Promise
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from cluetrain.members.models import Member
from cluetrain.ops.health import STATUS_LABELS, queue_health
from cluetrain.ops.leases import MAX_ATTEMPTS, reclaim_abandoned_tasks
from cluetrain.ops.models import WorkerHeartbeat

TASK = "cluetrain.notifications.tasks.send_post_notifications"
BANNER = "Background work is stuck"


def _task(
    status: str, *, worker_ids: tuple[str, ...] = (), age_minutes: float = 0
) -> DBTaskResult[Any, Any]:
    then = timezone.now() - datetime.timedelta(minutes=age_minutes)
    result = DBTaskResult.objects.create(
        task_path=TASK,
        args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default",
        run_after=get_date_max(),
        status=status,
        started_at=then if status != TaskResultStatus.READY else None,
        worker_ids=list(worker_ids),
        exception_class_path="",
        traceback="",
    )
    DBTaskResult.objects.filter(pk=result.pk).update(enqueued_at=then)  # auto_now_add
    return result


def _heartbeat(worker_id: str, *, minutes_ago: float) -> None:
    then = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, pid=1, host="here", started_at=then, last_beat_at=then
    )


def _status(result: DBTaskResult[Any, Any]) -> str:
    result.refresh_from_db()
    return str(result.status)


@pytest.mark.django_db
def test_tasks_of_a_silent_worker_go_back_to_the_queue() -> None:
    _heartbeat("dead", minutes_ago=10)
    _heartbeat("alive", minutes_ago=0)
    abandoned = _task(TaskResultStatus.RUNNING, worker_ids=("dead",), age_minutes=10)
    busy = _task(TaskResultStatus.RUNNING, worker_ids=("alive",), age_minutes=10)
    hopeless = _task(TaskResultStatus.RUNNING, worker_ids=("dead",) * MAX_ATTEMPTS, age_minutes=10)
    unknown_worker = _task(TaskResultStatus.RUNNING, worker_ids=("gone",), age_minutes=10)
    just_claimed = _task(TaskResultStatus.RUNNING, worker_ids=("gone",), age_minutes=0)

    reclaimed = reclaim_abandoned_tasks()

    assert (reclaimed.requeued, reclaimed.failed) == (2, 1)
    assert _status(abandoned) == TaskResultStatus.READY
    assert _status(unknown_worker) == TaskResultStatus.READY
    assert _status(busy) == TaskResultStatus.RUNNING
    assert _status(just_claimed) == TaskResultStatus.RUNNING  # its worker may not have beaten
    assert _status(hopeless) == TaskResultStatus.FAILED
    assert hopeless.exception_class_path == "cluetrain.ops.leases.TaskAbandoned"
    # A requeued task is runnable at once.
    assert abandoned.pk in {r.pk for r in DBTaskResult.objects.ready()}


def _client(role: str) -> Client:
    member = Member.objects.create_user(role, password="x-Long-pass-1", role=role)
    client = Client()
    client.force_login(member)
    return client


@pytest.mark.django_db
def test_staff_see_stuck_work_in_a_banner_and_on_the_health_page() -> None:
    _task(TaskResultStatus.READY, age_minutes=7)
    failed = _task(TaskResultStatus.FAILED, age_minutes=1)
    DBTaskResult.objects.filter(pk=failed.pk).update(
        finished_at=timezone.now(), traceback="Traceback...\nValueError: no such post\n"
    )
    staff = _client(Member.Role.STAFF)
    customer = _client(Member.Role.CUSTOMER)

    home = staff.get("/").content.decode()
    assert BANNER in home
    assert "The oldest background task has waited 7 minutes." in home
    assert "no worker is running" in home
    assert BANNER not in customer.get("/").content.decode()
    # Checked once (the check is kept a few seconds), read in each staff member's language.
    staff.cookies.load({"django_language": "fr"})
    french = staff.get("/").content.decode()
    assert "La plus ancienne tâche de fond attend depuis 7 minutes." in french
    assert "aucun worker ne tourne : lancez `cluetrain worker`" in french
    assert "no worker is running" not in french
    staff.cookies.load({"django_language": "en"})

    page = staff.get("/staff/queue/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "send_post_notifications" in text
    assert "ValueError: no such post" in text
    assert customer.get("/staff/queue/").status_code == 403
    assert Client().get("/staff/queue/").status_code == 302  # to the login page


@pytest.mark.django_db
def test_no_banner_while_work_flows() -> None:
    _task(TaskResultStatus.READY, age_minutes=1)
    _heartbeat("alive", minutes_ago=0.2)
    staff = _client(Member.Role.STAFF)
    assert BANNER not in staff.get("/").content.decode()
    health = queue_health()
    assert health.problems == []
    assert health.counts[TaskResultStatus.READY] == 1
    assert health.oldest_waiting_age is not None
    assert health.oldest_waiting_age >= datetime.timedelta(minutes=1)
    assert [w.alive for w in health.workers] == [True]


@pytest.mark.django_db
def test_a_task_left_running_by_a_dead_worker_is_a_problem_when_no_worker_runs() -> None:
    # The only worker was killed (kill -9) in the middle of a task and nothing else is queued:
    # no live worker will take the task back, so the page must not say all is well.
    _heartbeat("killed", minutes_ago=3)
    _task(TaskResultStatus.RUNNING, worker_ids=("killed",), age_minutes=4)
    problems = [str(problem) for problem in queue_health().problems]
    assert len(problems) == 1
    assert "left running by a worker that stopped" in problems[0]
    assert "cluetrain worker" in problems[0]
    assert BANNER in _client(Member.Role.STAFF).get("/").content.decode()


@pytest.mark.django_db
def test_a_task_running_on_a_live_worker_is_no_problem() -> None:
    _heartbeat("alive", minutes_ago=0.1)
    _task(TaskResultStatus.RUNNING, worker_ids=("alive",), age_minutes=10)
    assert queue_health().problems == []


@pytest.mark.django_db
def test_the_queue_counts_are_headed_in_words_the_catalogue_translates() -> None:
    # The headers were the stored codes lowercased ("ready", "successful"): English on a
    # French page, and "ready" also counted retries due later.
    _task(TaskResultStatus.READY)
    text = _client(Member.Role.STAFF).get("/staff/queue/").content.decode()
    for header in ("queued", "in progress", "failed", "succeeded"):
        assert f"<th>{header}</th>" in text
    assert "<th>ready</th>" not in text
    assert set(STATUS_LABELS) == set(TaskResultStatus.values)
    assert all(isinstance(label, Promise) for label in STATUS_LABELS.values())
