"""Reading a paged list to its end in the tests: every page, with a hook between pages."""

from collections.abc import Callable
from typing import Any

from cluetrain.api.tests.conftest import ApiClient


def read_all_pages(
    client: ApiClient,
    path: str,
    limit: int,
    between: Callable[[], object] | None = None,
    **params: Any,
) -> list[dict[str, Any]]:
    """Every item of the list at `path`, `limit` a page, following `next` to its end;
    `between` runs once after the first page (a row added while the client pages)."""
    items: list[dict[str, Any]] = []
    cursor = None
    for pages in range(1, 1000):
        query = dict(params, limit=limit) | ({"cursor": cursor} if cursor else {})
        response = client.get(path, **query)
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) >= {"items", "next"}
        assert len(body["items"]) <= limit
        items += body["items"]
        if pages == 1 and between is not None:
            between()
        cursor = body["next"]
        if cursor is None:
            return items
    raise AssertionError("the list never ended")


def assert_cursor_refused(client: ApiClient, path: str, cursor: str, **params: Any) -> None:
    response = client.get(path, cursor=cursor, **params)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["field"] == "cursor"
