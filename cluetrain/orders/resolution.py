"""The daily resolution, set-based: every due order in bulk.

Orders whose claim window has closed are taken in batches by id. For each batch, one query
reads the claims, `cluetrain_analytics.routing.resolve` chooses every winner at once (numpy),
and one statement writes the orders (PostgreSQL: UPDATE ... FROM unnest(arrays); SQLite:
executemany), one more their `resolved` events, all in the batch's transaction. A run that
dies halfway leaves whole batches resolved and the rest open: run again, the open ones are
resolved the same way (the choice depends only on the rows) and the resolved ones are left.

The batch's notices (notices.py: the winners, the manufacturers that ship, the customers, one
line per losing retailer) are written in bulk in the same transaction.

The batch's `OrdersResolved` event is published in the same transaction, and the webhooks app
subscribes to it there: each order's order.resolved delivery commits with the order or not at
all, so a rerun after a crash sends nothing twice and loses nothing; the HTTP requests are
queued on commit.
"""

import datetime
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import psycopg
from django.db import connection, transaction
from django.utils import timezone

from cluetrain.core.events import publish
from cluetrain.members.models import Member
from cluetrain.orders import notices
from cluetrain.orders.events import OrdersResolved
from cluetrain.orders.models import Offer, Order, OrderEvent, Resolution, Retailer
from cluetrain.reputation.models import Reputation
from cluetrain_analytics import routing

BATCH = 20_000
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
MICROSECOND = datetime.timedelta(microseconds=1)
LABELS = dict(Order.Outcome.choices)


def microseconds(at: datetime.datetime) -> int:
    """Exact integer microseconds since the epoch (claim times compare exactly)."""
    return (at - EPOCH) // MICROSECOND


def retailer_rows() -> list[tuple[int, float, float, float]]:
    """(id, latitude, longitude, reputation) of every retailer; 0 for one not rated yet."""
    scores = dict(
        Reputation.objects.filter(organization__retailer__isnull=False).values_list(
            "organization__retailer__id", "score"
        )
    )
    return [
        (pk, lat, lon, float(scores.get(pk, 0.0)))
        for pk, lat, lon in Retailer.objects.values_list("id", "latitude", "longitude")
    ]


# The claim time as exact integer microseconds, computed by the database: converting a
# million timestamps to datetime objects and back is most of the time of a read in Python.
CLAIMED_US = {
    "postgresql": "(EXTRACT(EPOCH FROM claimed_at) * 1000000)::bigint",
    # Stored as 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC; the fraction has six digits or none.
    "sqlite": "CAST(strftime('%%s', claimed_at) AS INTEGER) * 1000000"
    " + CAST(substr(claimed_at, 21, 6) AS INTEGER)",
}


def _server_side() -> "psycopg.Cursor[Any]":
    """A cursor with server-side binding on Django's PostgreSQL connection (Django's own
    cursors bind client-side: they would quote every array element into the statement)."""
    connection.ensure_connection()
    return psycopg.Cursor(cast("psycopg.Connection[Any]", connection.connection))


def claim_rows(first: int, last: int) -> list[tuple[int, int, int]]:
    """(order, retailer, claimed in µs) of every claim of the orders with ids first..last."""
    if connection.vendor not in CLAIMED_US:
        rows = Offer.objects.filter(
            order_id__gte=first, order_id__lte=last, claimed_at__isnull=False
        ).values_list("order_id", "retailer_id", "claimed_at")
        typed = cast(Iterable[tuple[int, int, datetime.datetime]], rows)
        return [(order, retailer, microseconds(at)) for order, retailer, at in typed]
    query = (
        f"SELECT order_id, retailer_id, {CLAIMED_US[connection.vendor]} FROM orders_offer"  # noqa: S608 - constant SQL
        " WHERE order_id BETWEEN %s AND %s AND claimed_at IS NOT NULL"
    )
    if connection.vendor == "postgresql":
        # A server-side, binary cursor: a million integers parse much faster than as text.
        with _server_side() as raw:
            raw.execute(query, [first, last], binary=True)
            return cast(list[tuple[int, int, int]], raw.fetchall())
    with connection.cursor() as cursor:
        cursor.execute(query, [first, last])
        return cast(list[tuple[int, int, int]], cursor.fetchall())


def due_order_rows(
    cutoff: datetime.datetime, after: int, limit: int
) -> list[tuple[int, float, float]]:
    """(id, latitude, longitude) of the next open orders whose window closed by `cutoff`."""
    query = Order.objects.filter(status=Order.Status.OPEN, closes_at__lte=cutoff, pk__gt=after)
    if connection.features.has_select_for_update:
        # Locked: a claim being written now (it locks its order too) commits first and is
        # read; a second run at the same time waits, then finds these orders resolved.
        query = query.select_for_update(of=("self",))
    return list(query.order_by("pk").values_list("id", "latitude", "longitude")[:limit])


@dataclass
class Written:
    to_retailers: int = 0
    to_manufacturer: int = 0


def _write(decisions: routing.Decisions, run: Resolution, now: datetime.datetime) -> Written:
    ids = decisions.order.tolist()
    winners = decisions.winner.tolist()
    outcomes = [routing.REASONS[r] for r in decisions.reason.tolist()]
    kms = [None if np.isnan(km) else round(km, 3) for km in decisions.km.tolist()]
    texts = [
        LABELS[outcome] + ("" if km is None else f" ({km:.1f} km)")
        for outcome, km in zip(outcomes, kms, strict=True)
    ]
    open_, resolved = Order.Status.OPEN.value, Order.Status.RESOLVED.value
    event = OrderEvent.Kind.RESOLVED.value
    if connection.vendor == "postgresql":
        # Server-side binding: the arrays travel as parameters; Django's client-side cursor
        # would quote every element into the statement's text.
        with _server_side() as cursor:
            cursor.execute(
                "UPDATE orders_order AS o SET status = %s, outcome = v.outcome,"
                " winner_id = NULLIF(v.winner, 0), distance_km = v.km, resolution_id = %s,"
                " resolved_at = %s"
                " FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::float8[])"
                " AS v(id, winner, outcome, km) WHERE o.id = v.id AND o.status = %s",
                [resolved, run.pk, now, ids, winners, outcomes, kms, open_],
            )
            cursor.execute(
                "INSERT INTO orders_orderevent (order_id, kind, at, retailer_id, text)"
                " SELECT v.id, %s, %s, NULLIF(v.winner, 0), v.text"
                " FROM unnest(%s::bigint[], %s::bigint[], %s::text[]) AS v(id, winner, text)",
                [event, now, ids, winners, texts],
            )
    else:
        # The decisions into a temporary table, then one UPDATE ... FROM and one INSERT ...
        # SELECT: SQLite runs each as one statement instead of one per order.
        at = connection.ops.adapt_datetimefield_value(now)
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS orders_decided"
                " (id INTEGER PRIMARY KEY, winner INTEGER, outcome TEXT, km REAL, text TEXT)"
            )
            cursor.execute("DELETE FROM orders_decided")
            cursor.executemany(
                "INSERT INTO orders_decided VALUES (%s, %s, %s, %s, %s)",
                list(zip(ids, [w or None for w in winners], outcomes, kms, texts, strict=True)),
            )
            cursor.execute(
                "UPDATE orders_order SET status = %s, outcome = d.outcome, winner_id = d.winner,"
                " distance_km = d.km, resolution_id = %s, resolved_at = %s"
                " FROM orders_decided AS d WHERE orders_order.id = d.id AND status = %s",
                [resolved, run.pk, at, open_],
            )
            cursor.execute(
                "INSERT INTO orders_orderevent (order_id, kind, at, retailer_id, text)"
                " SELECT id, %s, %s, winner, text FROM orders_decided ORDER BY id",
                [event, at],
            )
            cursor.execute("DELETE FROM orders_decided")
    to_manufacturer = int((decisions.winner == 0).sum())
    return Written(len(ids) - to_manufacturer, to_manufacturer)


def _tell(
    run: Resolution,
    first: int,
    last: int,
    claimed: list[tuple[int, int, int]],
    staff: dict[int, list[int]],
    now: datetime.datetime,
) -> None:
    """The batch's notices (cluetrain/orders/notices.py), written in bulk."""
    resolved = Order.objects.filter(pk__gte=first, pk__lte=last, resolution=run).values_list(
        "pk", "winner_id", "customer_id", "manufacturer_id", "ship_to"
    )
    told = notices.resolved_notices(
        (
            (pk, winner or 0, customer, maker, place)
            for pk, winner, customer, maker, place in resolved
        ),
        ((order, retailer) for order, retailer, _ in claimed),
        f"{run.pk}:{first}",
        staff,
    )
    notices.write_notices(told, now)


def resolve_due(
    cutoff: datetime.datetime | None = None,
    *,
    triggered_by: Member | None = None,
    batch: int = BATCH,
    after_batch: Callable[[int], None] | None = None,
    timings: dict[str, float] | None = None,
) -> Resolution:
    """Resolve every open order whose window closed by `cutoff` (now).

    `after_batch(number)` runs after each committed batch (the tests crash a run there);
    `timings`, when given, receives the seconds spent reading, choosing and writing.
    """
    spent = timings if timings is not None else {}
    for step in ("read", "choose", "write"):
        spent.setdefault(step, 0.0)
    cutoff = cutoff or timezone.now()
    run = Resolution.objects.create(
        started_at=timezone.now(), cutoff=cutoff, triggered_by=triggered_by
    )
    retailers = routing.Retailers.from_rows(retailer_rows())
    staff = notices.staff_of_retailers()
    totals = Written()
    after, number = 0, 0
    while True:
        with transaction.atomic():
            started = time.perf_counter()
            rows = due_order_rows(cutoff, after, batch)
            if not rows:
                break
            after = rows[-1][0]
            claimed = claim_rows(rows[0][0], after)
            claims = routing.Claims.from_rows(claimed)
            orders = routing.Orders.from_rows(rows)
            chosen = time.perf_counter()
            decisions = routing.resolve(orders, retailers, claims)
            writing = time.perf_counter()
            now = timezone.now()
            written = _write(decisions, run, now)
            # In this transaction too: a batch that rolls back has told nobody.
            _tell(run, rows[0][0], after, claimed, staff, now)
            # In this transaction: the order.resolved deliveries commit with the orders.
            publish(OrdersResolved(order_ids=tuple(decisions.order.tolist())))
            spent["read"] += chosen - started
            spent["choose"] += writing - chosen
            spent["write"] += time.perf_counter() - writing
        totals.to_retailers += written.to_retailers
        totals.to_manufacturer += written.to_manufacturer
        number += 1
        if after_batch is not None:
            after_batch(number)
    Resolution.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(),
        orders=totals.to_retailers + totals.to_manufacturer,
        to_retailers=totals.to_retailers,
        to_manufacturer=totals.to_manufacturer,
    )
    run.refresh_from_db()
    return run
