"""Multi-row INSERT … RETURNING id from plain dicts, for the import's hot path.

Django's bulk_create spends most of its time building model instances and preparing each
value field by field (about 5x the database's own time on the twcs data). Rows here are
dicts of column values written through the driver's own cursor; only datetimes (and, for
SQLite, bools) are converted. Missing fields get the model's default, as the ORM would give
them, so a field added to a model later still gets a value.
"""

import operator
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import chain
from typing import Any

import psycopg
from django.db import connection, models
from django.utils import timezone

ROWS_PER_STATEMENT = 500  # larger statements were no faster and took more memory


def _sqlite_datetime(value: datetime) -> str:
    # What Django's SQLite backend stores: naive UTC, "YYYY-MM-DD HH:MM:SS[.ffffff]".
    if value.tzinfo is not UTC:  # parsers mostly give UTC already
        value = value.astimezone(UTC)
    return value.isoformat(" ")[:-6]  # without "+00:00"; faster than formatting it naive


@contextmanager
def _cursor() -> Iterator[Any]:
    """The driver's own cursor, closed after use; its errors raised as Django's
    (IntegrityError and the rest). On PostgreSQL a server-side binding one: Django's
    client-side binding cursor re-parses every long VALUES list in Python (psycopg caches
    the parse of server-side queries), which took longer than the database's work."""
    connection.ensure_connection()
    raw = connection.connection
    cursor = psycopg.Cursor(raw) if connection.vendor == "postgresql" else raw.cursor()
    try:
        with connection.wrap_database_errors:
            yield cursor
    finally:
        cursor.close()


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
    if not external_ids:
        return found
    with _cursor() as cursor:
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
    return found


def insert(
    model: type[models.Model],
    rows: Sequence[dict[str, Any]],
    *,
    returning: bool = True,
    conflict: str = "",
) -> list[int]:
    """Insert rows (dicts by attname); return the new ids in row order when `returning`.

    Values bind fastest as plain str, int, float, bool, datetime or None; a str subclass
    such as a TextChoices member is stored right, but SQLite's driver adapts it slowly.

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
        else:  # what the ORM stores: the default, else "" for text, else None
            defaults[field.attname] = field.get_default()
    quote = connection.ops.quote_name

    def head(columns: list[Any]) -> str:
        # Identifiers come from the model's metadata, values are query parameters.
        names = ", ".join(quote(field.column) for field in columns)
        return f"INSERT INTO {quote(meta.db_table)} ({names}) "

    tail = f" {conflict}" if conflict else ""
    if returning:
        tail += f" RETURNING {quote(meta.pk.column)}"
    with _cursor() as cursor:
        if connection.vendor == "postgresql":
            return _insert_unnest(cursor, head(fields), tail, fields, rows, defaults, returning)
        return _insert_values(cursor, head, tail, fields, rows, defaults, returning)


def _insert_values(
    cursor: Any,
    head: Callable[[list[Any]], str],
    tail: str,
    fields: list[Any],
    rows: Sequence[dict[str, Any]],
    defaults: dict[str, Any],
    returning: bool,
) -> list[int]:
    """SQLite: multi-row `INSERT … VALUES (…), (…)`, as many rows a statement as it takes.

    The columns that no row gives take their default, the same in every row: a None, bool
    or int is written into the statement, anything else bound with each row. Only str,
    int, float and bytes bind directly: the driver sends every None and bool through its
    adapter lookup (thousands of machine instructions each; a tenth of the twcs import).
    """
    assert isinstance(connection.connection, sqlite3.Connection)
    max_params = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    given = set().union(*rows)
    from_rows = [field for field in fields if field.attname in given]
    literals = {
        field: literal
        for field in fields
        if field not in from_rows and (literal := _literal(defaults[field.attname])) is not None
    }
    same_in_all = [field for field in fields if field not in from_rows and field not in literals]
    constants = tuple(_bindable(defaults[field.attname]) for field in same_in_all)
    bound = len(from_rows) + len(constants)
    row_sql = "(" + ", ".join(["?"] * bound + list(literals.values())) + ")"
    sql_head = head(from_rows + same_in_all + list(literals))
    to_convert = [
        index
        for index, field in enumerate(from_rows)
        if isinstance(field, models.DateTimeField | models.BooleanField)
    ]
    in_column_order = _getter([field.attname for field in from_rows])
    per_statement = max(1, min(ROWS_PER_STATEMENT, max_params // max(1, bound)))
    ids: list[int] = []
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        try:
            values: list[Any] = [in_column_order(row) for row in chunk]
        except KeyError:  # a row lacks a column that another gives
            values = [in_column_order(defaults | row) for row in chunk]
        if to_convert:
            columns: list[Any] = list(zip(*values, strict=True))
            for index in to_convert:
                if not _PLAIN.issuperset(map(type, columns[index])):
                    columns[index] = [_bindable(value) for value in columns[index]]
            values = list(zip(*columns, strict=True))
        if constants:
            values = [row + constants for row in values]
        params = list(chain.from_iterable(values))
        cursor.execute(sql_head + "VALUES " + ", ".join([row_sql] * len(chunk)) + tail, params)
        if returning:
            ids += [row[0] for row in cursor.fetchall()]
    return ids


_PLAIN = {str, int, float, bytes}  # what SQLite's driver binds as it is


def _literal(value: Any) -> str | None:
    """`value` as SQL, for the values that are safe to write into a statement."""
    if value is None:
        return "NULL"
    if isinstance(value, bool | int):
        return str(int(value))
    return None


def _bindable(value: Any) -> Any:
    if isinstance(value, datetime):
        return _sqlite_datetime(value)
    if isinstance(value, bool):
        return int(value)
    return value


def _getter(names: list[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """A row's values in column order as a tuple, in one C call per row."""
    if not names:
        return lambda row: ()
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
