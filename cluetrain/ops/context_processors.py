import threading
import time

from django.db.models.signals import post_save
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django_tasks_db.models import DBTaskResult

from cluetrain.core.sentences import Sentence
from cluetrain.members.models import Member
from cluetrain.ops.health import stuck_problems
from cluetrain.ops.models import WorkerHeartbeat

# Staff see the banner on every page: the check (two or three queries) runs at most once per process
# in this many seconds, or sooner when this process queues a task or a worker beats.
CHECK_EVERY_S = 10.0

_checked: tuple[float, list[Sentence]] | None = None
_lock = threading.Lock()


def queue_warning(request: HttpRequest) -> dict[str, object]:
    """Staff see a banner on every page while background work is stuck (base.html)."""
    user = request.user
    if not isinstance(user, Member) or not user.is_company_staff:
        return {}
    # Lazy: a page that renders no banner (an htmx fragment, say) runs no query.
    return {"queue_problems": SimpleLazyObject(recent_problems)}


def recent_problems() -> list[Sentence]:
    """`stuck_problems()`, as checked in this process at most CHECK_EVERY_S seconds ago."""
    global _checked
    with _lock:
        if _checked is None or time.monotonic() - _checked[0] >= CHECK_EVERY_S:
            _checked = (time.monotonic(), stuck_problems())
        return _checked[1]


def _check_again(**kwargs: object) -> None:
    global _checked
    with _lock:
        _checked = None


post_save.connect(_check_again, sender=DBTaskResult, dispatch_uid="ops.queue_warning.task")
post_save.connect(_check_again, sender=WorkerHeartbeat, dispatch_uid="ops.queue_warning.beat")
