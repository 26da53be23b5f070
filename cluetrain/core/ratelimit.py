"""Rate limits shared by every process: a counter row per key and fixed window in the database.

Taking a use is one conditional write (`count = count + 1 WHERE count < limit`): the database
serializes concurrent updates of the row, so however many requests race, exactly `limit` of
them find the condition true. Counting rows and then inserting (what posting did before) lets
every racer see the same count and pass. Where the database can return what an upsert wrote
(PostgreSQL, SQLite 3.35 and later), the row is made or counted in that one statement: a
post takes one round trip here, not three.
"""

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet
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
    if limit < 1:
        return False
    if connection.features.can_return_columns_from_insert:
        return _take_upsert(key, start, limit)
    RateCounter.objects.bulk_create(
        [RateCounter(key=key, window_start=start, count=0)], ignore_conflicts=True
    )
    taken = RateCounter.objects.filter(key=key, window_start=start, count__lt=limit).update(
        count=F("count") + 1
    )
    # Past windows of this key are of no more use.
    RateCounter.objects.filter(key=key, window_start__lt=start).delete()
    return taken == 1


def _take_upsert(key: str, start: datetime, limit: int) -> bool:
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    upsert = (
        f"INSERT INTO {table} (key, window_start, count) VALUES (%s, %s, 1) "  # noqa: S608 - the model's own table name
        f"ON CONFLICT (key, window_start) DO UPDATE SET count = {table}.count + 1 "
        f"WHERE {table}.count < %s RETURNING count"
    )
    with connection.cursor() as cursor:
        cursor.execute(upsert, [key, connection.ops.adapt_datetimefield_value(start), limit])
        row = cursor.fetchone()
    if row is None:  # at the limit: the row was left as it was
        return False
    if row[0] == 1:  # the first use of a new window: past windows of this key are of no more use
        RateCounter.objects.filter(key=key, window_start__lt=start).delete()
    return True


def do_take_or_refuse(
    key: str, *, limit: int, window: timedelta, message: str, now: datetime | None = None
) -> None:
    """Count one use, or refuse with a 429 that says `message` and when the window ends."""
    if not do_take(key, limit=limit, window=window, now=now):
        raise ActionError(message, status=429, retry_after=seconds_left(window, now))


def used(key: str, *, window: timedelta, now: datetime | None = None) -> int:
    """How many uses `key` has counted in its current window."""
    start = window_start(window, now)
    row = RateCounter.objects.filter(key=key, window_start=start).values_list("count", flat=True)
    return row.first() or 0


def seconds_left(window: timedelta, now: datetime | None = None) -> int:
    """Seconds until the current window ends and its counts start again from zero."""
    now = now or timezone.now()
    return max(1, int((window_start(window, now) + window - now).total_seconds()))


def rolling_retry_after(
    counted: QuerySet[Any], field: str, *, limit: int, window: timedelta
) -> int:
    """For a cap of `limit` rows in the last `window` (counted by their `field` time), the
    seconds until enough of them have aged out of it for one more."""
    times: list[datetime] = list(counted.order_by(field).values_list(field, flat=True))
    if len(times) < limit:
        return 1
    moment = times[len(times) - limit]
    return max(1, math.ceil((moment + window - timezone.now()).total_seconds()))


def refuse_past_daily_cap(counted: QuerySet[Any], field: str, *, limit: int, message: str) -> None:
    """Refuse (429, saying when to retry) once `counted` holds `limit` rows whose `field`
    time falls in the last 24 hours: the per-member daily caps of expressions, requests,
    referrals and invitations."""
    window = timedelta(days=1)
    today = counted.filter(**{f"{field}__gte": timezone.now() - window})
    if today.count() >= limit:
        raise ActionError(
            message,
            status=429,
            retry_after=rolling_retry_after(today, field, limit=limit, window=window),
        )


def do_reset(key: str) -> int:
    """Forget every count of `key` (an administrator's unlock); how many rows went."""
    return RateCounter.objects.filter(key=key).delete()[0]
