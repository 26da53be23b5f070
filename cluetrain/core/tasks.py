"""Enqueue background work only once the transaction that caused it has committed."""

from typing import Any

from django.db import transaction
from django_tasks.base import Task


def enqueue_on_commit(task: Task[Any, Any], *args: Any) -> None:
    # Tasks take ids, so they must not run before the rows they name are visible.
    transaction.on_commit(lambda: task.enqueue(*args))
