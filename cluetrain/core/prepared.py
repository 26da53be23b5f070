"""Counts whose SQL the ORM writes once per process, run again with each request's id.

Building a queryset costs far more than running it: the unread count in every signed-in
page's navigation, with its visibility joins, took the ORM about 25 times longer to build and
compile than the database took to answer (docs/performance.md). `PreparedCounts` lets the ORM
write the SQL once per shape, with a stand-in for the one id that changes from request to
request, and then runs the stored SQL with the real id. The SQL is always Django's own, so
the filters stay where they are written.
"""

from collections.abc import Callable, Hashable
from threading import Lock
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet

# An id no row has (ids are positive), so it can only be the stand-in among the parameters.
STAND_IN_ID = -987_654_321


class PreparedCounts:
    """Counts by shape: `count(shape, id, build)` == `build(id).count()`, and `build` runs only
    the first time a shape is counted on a database.

    `shape` must name everything `build` depends on besides the id (its filters, say).
    """

    def __init__(self) -> None:
        self._compiled: dict[tuple[str, Hashable], tuple[str, tuple[Any, ...]]] = {}
        self._lock = Lock()

    def count(
        self,
        shape: Hashable,
        id_: int,
        build: "Callable[[int], QuerySet[Any]]",
        *,
        using: str = DEFAULT_DB_ALIAS,
    ) -> int:
        key = (using, shape)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:  # gthread workers: compile each shape once
                compiled = self._compiled.get(key) or _compile(build, using)
                self._compiled[key] = compiled
        sql, params = compiled
        with connections[using].cursor() as cursor:
            cursor.execute(sql, [id_ if _is_stand_in(p) else p for p in params])
            row = cursor.fetchone()
        return int(row[0])


def _compile(build: "Callable[[int], QuerySet[Any]]", using: str) -> tuple[str, tuple[Any, ...]]:
    queryset: QuerySet[Model] = build(STAND_IN_ID).order_by()
    sql, params = queryset.values("pk").query.get_compiler(using).as_sql()
    if not any(_is_stand_in(p) for p in params):
        raise ValueError("the prepared queryset does not filter on the id it is given")
    # Django's own SQL for the queryset; every value stays a parameter.
    return f"SELECT COUNT(*) FROM ({sql}) counted", tuple(params)  # noqa: S608


def _is_stand_in(param: object) -> bool:
    return type(param) is int and param == STAND_IN_ID
