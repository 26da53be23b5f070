"""Multi-row INSERT … RETURNING id from plain dicts, for the import's hot path.

Django's bulk_create spends most of its time building model instances and preparing each
value field by field (about 5x the database's own time on the twcs data). Rows here are
dicts of column values written through the driver's own cursor; only datetimes need
adapting. Missing fields get the model's default, so a field added to a model later still
gets a value.
"""

import operator
import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg
from django.db import connection, models
from django.utils import timezone

ROWS_PER_STATEMENT = 500  # larger statements were no faster and took more memory


def _sqlite_datetime(value: datetime) -> str:
    # What Django's SQLite backend stores: naive UTC, "YYYY-MM-DD HH:MM:SS[.ffffff]".
    if value.tzinfo is not UTC:  # parsers mostly give UTC already
        value = value.astimezone(UTC)
    return str(value.replace(tzinfo=None))


def _cursor() -> Any:
    """The driver's own cursor. On PostgreSQL a server-side binding one: Django's client-side
    binding cursor re-parses every long VALUES list in Python (psycopg caches the parse of
    server-side queries), which took longer than the database's work."""
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "postgresql":
        return psycopg.Cursor(raw)
    return raw.cursor()


def datetime_adapter() -> Callable[[datetime], datetime | str]:
    """How `insert` stores a datetime on this database; convert once, use in several rows."""
    return _sqlite_datetime if connection.vendor == "sqlite" else _unchanged


def _unchanged(value: datetime) -> datetime:
    return value


def select_by_external_id(
    model: type[models.Model],
    columns: Sequence[str],
    source_id: int,
    external_ids: list[str],
    key: str = "external_id",
) -> list[tuple[Any, ...]]:
    """`columns` of a source's rows whose `key` column is one of `external_ids`. Django's
    `__in` lookup prepares each of thousands of values one by one."""
    quote = connection.ops.quote_name
    # Names come from the caller's code, never from input; values are parameters.
    select = f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(model._meta.db_table)} "  # noqa: S608
    found: list[tuple[Any, ...]] = []
    cursor = _cursor()
    try:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"{select} WHERE source_id = %s AND {quote(key)} = ANY(%s)",
                [source_id, external_ids],
            )
            return list(cursor.fetchall())
        for start in range(0, len(external_ids), ROWS_PER_STATEMENT):
            chunk = external_ids[start : start + ROWS_PER_STATEMENT]
            cursor.execute(
                f"{select} WHERE source_id = ? AND {quote(key)} IN ({', '.join('?' * len(chunk))})",
                [source_id, *chunk],
            )
            found += cursor.fetchall()
    finally:
        cursor.close()
    return found


def insert(
    model: type[models.Model],
    rows: Sequence[dict[str, Any]],
    *,
    returning: bool = True,
    conflict: str = "",
) -> list[int]:
    """Insert rows (dicts by attname); return the new ids in row order when `returning`.

    `conflict` is appended to each statement (e.g. "ON CONFLICT DO NOTHING").
    """
    if not rows:
        return []
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    now = timezone.now()
    defaults: dict[str, Any] = {}
    for field in fields:
        if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
            defaults[field.attname] = now
        elif field.has_default() or field.null:
            defaults[field.attname] = field.get_default()
    quote = connection.ops.quote_name
    # Identifiers come from the model's metadata; every value is a query parameter.
    head = (
        f"INSERT INTO {quote(meta.db_table)} "
        f"({', '.join(quote(field.column) for field in fields)}) "
    )
    tail = f" {conflict}" if conflict else ""
    if returning:
        tail += f" RETURNING {quote(meta.pk.column)}"
    cursor = _cursor()
    try:
        if connection.vendor == "postgresql":
            return _insert_unnest(cursor, head, tail, fields, rows, defaults, returning)
        return _insert_values(cursor, head, tail, fields, rows, defaults, returning)
    finally:
        cursor.close()


def _insert_values(
    cursor: Any,
    head: str,
    tail: str,
    fields: list[Any],
    rows: Sequence[dict[str, Any]],
    defaults: dict[str, Any],
    returning: bool,
) -> list[int]:
    """SQLite: multi-row `INSERT … VALUES (…), (…)`, as many rows a statement as it takes."""
    assert isinstance(connection.connection, sqlite3.Connection)
    max_params = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    dates = [field.attname for field in fields if isinstance(field, models.DateTimeField)]
    # Adapt the defaults once here, and each row's own datetimes in the loop below.
    defaults = {
        name: _sqlite_datetime(value) if isinstance(value, datetime) else value
        for name, value in defaults.items()
    }
    in_column_order = _getter([field.attname for field in fields])
    row_sql = "(" + ", ".join(["?"] * len(fields)) + ")"
    per_statement = max(1, min(ROWS_PER_STATEMENT, max_params // len(fields)))
    ids: list[int] = []
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        params: list[Any] = []
        for row in chunk:
            values = defaults | row
            for name in dates:
                if isinstance(values[name], datetime):
                    values[name] = _sqlite_datetime(values[name])
            params += in_column_order(values)
        cursor.execute(head + "VALUES " + ", ".join([row_sql] * len(chunk)) + tail, params)
        if returning:
            ids += [row[0] for row in cursor.fetchall()]
    return ids


def _getter(names: list[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """A row's values in column order as a tuple, in one C call per row."""
    get = operator.itemgetter(*names)
    return get if len(names) > 1 else lambda row: (get(row),)


def _insert_unnest(
    cursor: Any,
    head: str,
    tail: str,
    fields: list[Any],
    rows: Sequence[dict[str, Any]],
    defaults: dict[str, Any],
    returning: bool,
) -> list[int]:
    """PostgreSQL: one array per column, `INSERT … SELECT * FROM unnest(…)`: a short query
    that psycopg parses once, whatever the number of rows."""
    arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
    columns = [
        [row[field.attname] if field.attname in row else defaults[field.attname] for row in rows]
        for field in fields
    ]
    cursor.execute(f"{head}SELECT * FROM unnest({arrays}){tail}", columns)  # noqa: S608
    return [row[0] for row in cursor.fetchall()] if returning else []
