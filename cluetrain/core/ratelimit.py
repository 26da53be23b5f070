"""Rate limits shared by every process: a counter row per key and fixed window in the database.

Taking a use is one conditional UPDATE (`count = count + 1 WHERE count < limit`): the database
serializes concurrent updates of the row, so however many requests race, exactly `limit` of
them find the condition true. Counting rows and then inserting (what posting did before) lets
every racer see the same count and pass.
"""

from datetime import UTC, datetime, timedelta

from django.db.models import F
from django.utils import timezone

from cluetrain.core.errors import ActionError
from cluetrain.core.models import RateCounter

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def window_start(window: timedelta, now: datetime | None = None) -> datetime:
    """The start of the fixed window of this length that holds `now`."""
    now = now or timezone.now()
    return EPOCH + ((now - EPOCH) // window) * window


def do_take(key: str, *, limit: int, window: timedelta, now: datetime | None = None) -> bool:
    """Count one use of `key` in its current window; False, counting nothing, at the limit."""
    start = window_start(window, now)
    RateCounter.objects.bulk_create(
        [RateCounter(key=key, window_start=start, count=0)], ignore_conflicts=True
    )
    taken = RateCounter.objects.filter(key=key, window_start=start, count__lt=limit).update(
        count=F("count") + 1
    )
    # Past windows of this key are of no more use.
    RateCounter.objects.filter(key=key, window_start__lt=start).delete()
    return taken == 1


def do_take_or_refuse(
    key: str, *, limit: int, window: timedelta, message: str, now: datetime | None = None
) -> None:
    """Count one use, or refuse with a 429 that says `message`."""
    if not do_take(key, limit=limit, window=window, now=now):
        raise ActionError(message, status=429)


def used(key: str, *, window: timedelta, now: datetime | None = None) -> int:
    """How many uses `key` has counted in its current window."""
    start = window_start(window, now)
    row = RateCounter.objects.filter(key=key, window_start=start).values_list("count", flat=True)
    return row.first() or 0


def seconds_left(window: timedelta, now: datetime | None = None) -> int:
    """Seconds until the current window ends and its counts start again from zero."""
    now = now or timezone.now()
    return max(1, int((window_start(window, now) + window - now).total_seconds()))


def do_reset(key: str) -> int:
    """Forget every count of `key` (an administrator's unlock); how many rows went."""
    return RateCounter.objects.filter(key=key).delete()[0]
