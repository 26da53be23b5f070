"""Cursor pagination for every list: an opaque, signed base64 cursor over (sort keys..., id).

A keyset, not an offset: rows inserted while a client pages never shift or repeat the
pages it has still to read.
"""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from django.core import signing
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext
from ninja import Schema
from pydantic import Field

from cluetrain.core.errors import ActionError

M = TypeVar("M", bound=Model)
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
CURSOR_SALT = "cluetrain.api.cursor"
OFFSET_ORDER = ("offset",)
AFTER_ORDER = ("after", "offset")


class PageParams(Schema):
    cursor: str | None = Field(None, max_length=500)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"t"} and isinstance(value["t"], str):
        return datetime.fromisoformat(value["t"])
    return value


def encode_cursor(order: Sequence[str], values: Sequence[Any], name: str = "") -> str:
    # Signed, and tied to its list's order (and name, where lists share an order), so a
    # forged or foreign cursor is refused before it reaches a query.
    payload: dict[str, Any] = {"o": list(order), "v": [_encode_value(v) for v in values]}
    if name:
        payload["l"] = name
    return signing.dumps(payload, salt=CURSOR_SALT)


def decode_cursor(cursor: str, order: Sequence[str], name: str = "") -> list[Any]:
    try:
        payload = signing.loads(cursor, salt=CURSOR_SALT)
    except signing.BadSignature:
        payload = None
    if (
        not isinstance(payload, dict)
        or payload.get("o") != list(order)
        or payload.get("l", "") != name
    ):
        raise ActionError(gettext("This cursor is not valid for this list."), field="cursor")
    return [_decode_value(v) for v in payload["v"]]


def _after(order: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows strictly after `values` in `order`: (a > x) or (a = x and b > y) or ..."""
    condition = Q(pk__in=[])
    for i, key in enumerate(order):
        name = key.lstrip("-")
        lookup = "lt" if key.startswith("-") else "gt"
        step = Q(**{f"{name}__{lookup}": values[i]})
        for prior, value in zip(order[:i], values[:i], strict=True):
            step &= Q(**{prior.lstrip("-"): value})
        condition |= step
    return condition


def paginate(
    queryset: QuerySet[M], order: Sequence[str], page: PageParams, name: str = ""
) -> tuple[list[M], str | None]:
    """One page of `queryset` in `order` (which must end with a unique key, e.g. "-pk").

    `name` tells apart lists that share an order (a partner's inbox and one's referrals),
    so that one's cursor is refused by the other. The keys must not be null.
    """
    queryset = queryset.order_by(*order)
    if page.cursor:
        queryset = queryset.filter(_after(order, decode_cursor(page.cursor, order, name)))
    rows = list(queryset[: page.limit + 1])
    if len(rows) <= page.limit:
        return rows, None
    rows = rows[: page.limit]
    last = rows[-1]
    return rows, encode_cursor(order, [_value(last, key.lstrip("-")) for key in order], name)


def _value(row: Model, path: str) -> Any:
    value: Any = row
    for part in path.split("__"):
        value = getattr(value, part)
    return value


def offset_page(page: PageParams, fetch: Callable[[int, int], int]) -> str | None:
    """For lists ranked elsewhere (search): the cursor carries the offset, still opaque."""
    offset = 0
    if page.cursor:
        offset = decode_cursor(page.cursor, OFFSET_ORDER)[0]
    total = fetch(offset, page.limit)
    if offset + page.limit >= total:
        return None
    return encode_cursor(OFFSET_ORDER, [offset + page.limit])


def page_after(page: PageParams, keys: Sequence[int]) -> tuple[int, int, str | None]:
    """For lists put in order in memory (a thread's tree): the slice `keys[start:end]` to show,
    and the next cursor.

    The cursor names the last row shown, so a row inserted before it while a client pages
    (a new reply deep in the tree) does not push that row onto the next page again; if the
    row has gone from the list, its offset is used instead.
    """
    start = 0
    if page.cursor:
        last, offset = decode_cursor(page.cursor, AFTER_ORDER)
        start = keys.index(last) + 1 if last in keys else offset
    end = min(start + page.limit, len(keys))
    if end >= len(keys):
        return start, end, None
    return start, end, encode_cursor(AFTER_ORDER, [keys[end - 1], end])
