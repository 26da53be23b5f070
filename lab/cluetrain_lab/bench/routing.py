"""`cluetrain bench routing`: the daily order resolution on one day of generated orders.

Retailers at real cities (GeoNames cities of 100,000 people or more, several retailers in the
big ones, so distance ties happen), one day of open orders shipped to cities near them, each
with 0 to 20 claims by retailers within reach (claim times on the minute, so time ties
happen; reputations from a few values, so reputation ties happen). Rows go in with COPY
(PostgreSQL) or executemany (SQLite); then, timed:

- `seconds`: the product's daily resolution (`cluetrain.orders.resolution.resolve_due`): read
  the rows, choose with numpy, bulk-write the orders, their events and notices, publish;
- `loop_seconds`: the same whole resolution written the plain way (`resolve_one_by_one`: for
  each order, read it and its claims through the ORM, choose in Python, save it, create its
  event and notices one by one), in the same run, in a transaction rolled back before the
  product runs on the same rows. By default on a seeded random sample of 5,000 orders, its
  time scaled to every order (`--loop-sample 0`: all of them);
- `agree`: the loop and the product chose the same retailer for the same reason and wrote the
  same notices for every sampled order, and the product's choice equals the in-memory loop's
  (`routing.resolve_loop`, whose time is kept as a detail) for every order.

`peak_mib` is the growth of the process's resident memory during the resolution, sampled
every 5 ms from /proc (the memory the resolution needed on top of the data already loaded).
"""

import datetime
import math
import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from cluetrain.core.events import publish
from cluetrain.core.sentences import Sentence
from cluetrain.members.models import Member
from cluetrain.notifications.models import Notification
from cluetrain.orders import notices
from cluetrain.orders.events import OrdersResolved
from cluetrain.orders.models import Listing, Offer, Order, OrderEvent, Resolution, Retailer
from cluetrain.orders.resolution import (
    LABELS,
    claim_rows,
    due_order_rows,
    microseconds,
    resolve_due,
    retailer_rows,
)
from cluetrain.organizations.models import Organization, Product
from cluetrain.reputation.models import Reputation
from cluetrain_analytics import routing

REPUTATIONS = (0.0, 0.0, 0.25, 0.5, -0.25)
UNUSABLE = "!"  # Django's mark of an unusable password: nobody logs in as them
CUSTOMER_ORDERS = 5  # a customer for every 5 orders
LOOP_SAMPLE = 5_000  # orders the plain loop resolves, drawn at random; its time is scaled
REACH = 30  # an order's claimants are among the retailers of its 30 nearest cities
PAGE_SIZE = 50_000


@dataclass
class Generated:
    orders: int
    retailers: int
    claims: int
    cutoff: datetime.datetime


def _copy(table: str, columns: tuple[str, ...], rows: Iterator[tuple[Any, ...]]) -> None:
    """Bulk-load rows: COPY on PostgreSQL, executemany on SQLite."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append(tuple(_sqlite(value) for value in row))
                if len(batch) >= PAGE_SIZE:
                    cursor.executemany(sql, batch)
                    batch.clear()
            if batch:
                cursor.executemany(sql, batch)


def _sqlite(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def generate(
    orders: int, retailers: int, seed: int = 1, progress: Callable[[str], None] = print
) -> Generated:
    """One day of open orders and their claims; returns the cutoff that makes them all due."""
    rng = random.Random(seed)
    places = routing.cities(100_000)
    # Big cities get several retailers: the first `retailers` draws, weighted by population.
    weights = [city.population for city in places]
    homes = rng.choices(places, weights=weights, k=retailers)
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=2)
    tag = f"{seed}-{uuid.uuid4().hex[:8]}"  # slugs unique even in a database used before
    with transaction.atomic():
        maker = Organization.objects.create(
            name="Bench Maker", slug=f"bench-maker-{tag}", kind=Organization.Kind.COMPANY
        )
        product = Product.objects.create(
            organization=maker, name="Bench Hub", slug=f"bench-hub-{tag}"
        )
        Listing.objects.create(manufacturer=maker, product=product, price=Decimal("99.00"))
        shops = Organization.objects.bulk_create(
            Organization(name=f"Shop {n}", slug=f"bench-shop-{tag}-{n}", kind="vendor")
            for n in range(retailers)
        )
        made = Retailer.objects.bulk_create(
            Retailer(
                organization=shop,
                place=home.name,
                latitude=home.latitude,
                longitude=home.longitude,
                serves_km=300,
            )
            for shop, home in zip(shops, homes, strict=True)
        )
        # One member of staff per retailer, and a customer for every few orders: the
        # resolution tells them (cluetrain/orders/notices.py), and that is timed too.
        Member.objects.bulk_create(
            Member(
                username=f"bench-staff-{tag}-{n}",
                email=f"staff{n}@bench.invalid",
                password=UNUSABLE,
                role=Member.Role.PARTNER,
                organization=shop,
            )
            for n, shop in enumerate(shops)
        )
        customers = [
            member.pk
            for member in Member.objects.bulk_create(
                Member(
                    username=f"bench-customer-{tag}-{n}",
                    email=f"customer{n}@bench.invalid",
                    password=UNUSABLE,
                )
                for n in range(max(1, orders // CUSTOMER_ORDERS))
            )
        ]
        Reputation.objects.bulk_create(
            Reputation(
                organization=shop,
                score=rng.choice(REPUTATIONS),
                ratings=1,
                raters=1,
                computed_at=start,
            )
            for shop in shops
        )
    progress(f"{retailers} retailers in {len({h.name for h in homes})} cities")
    # Every order goes to a retailer's city; its claimants are retailers of nearby cities.
    shop_ids = np.array([shop.pk for shop in made])
    lat = np.radians([h.latitude for h in homes])
    lon = np.radians([h.longitude for h in homes])
    xyz = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=1)
    first = (Order.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    claims = 0

    def order_rows() -> Iterator[tuple[Any, ...]]:
        for n in range(orders):
            home = homes[rng.randrange(retailers)]
            placed = start + datetime.timedelta(seconds=rng.randrange(86_400))
            yield (
                first + n,
                maker.pk,
                customers[n % len(customers)],
                home.name,
                home.latitude,
                home.longitude,
                placed,
                placed + datetime.timedelta(hours=20),
                "open",
                "",
                "",
            )

    def offer_rows() -> Iterator[tuple[Any, ...]]:
        nonlocal claims
        rng_claims = random.Random(seed + 1)
        for n in range(orders):
            order_id = first + n
            lat_o, lon_o = order_places[n]
            here = np.array(
                [
                    np.cos(np.radians(lat_o)) * np.cos(np.radians(lon_o)),
                    np.cos(np.radians(lat_o)) * np.sin(np.radians(lon_o)),
                    np.sin(np.radians(lat_o)),
                ]
            )
            count = rng_claims.randint(0, 20)
            if not count:
                continue
            closeness = xyz @ here
            pool = np.argpartition(-closeness, min(REACH, retailers - 1))[: REACH + count]
            chosen = rng_claims.sample(list(pool), min(count, len(pool)))
            placed = order_placed[n]
            for index in chosen:
                at = placed + datetime.timedelta(minutes=rng_claims.randrange(0, 20 * 60, 7))
                claims += 1
                yield (order_id, int(shop_ids[index]), placed, at)

    # Orders first (their places are needed for the claims).
    generated = list(order_rows())
    order_places = [(row[4], row[5]) for row in generated]
    order_placed = [row[6] for row in generated]
    with transaction.atomic():
        _copy(
            "orders_order",
            (
                "id",
                "manufacturer_id",
                "customer_id",
                "ship_to",
                "latitude",
                "longitude",
                "placed_at",
                "closes_at",
                "status",
                "outcome",
                "rating_comment",
            ),
            iter(generated),
        )
        progress(f"{orders} orders")
        _copy(
            "orders_offer",
            ("order_id", "retailer_id", "offered_at", "claimed_at"),
            offer_rows(),
        )
    progress(f"{claims} claims")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE orders_order, orders_offer, orders_retailer")
            # The sequence after the ids written by hand.
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('orders_order', 'id'),"
                " (SELECT max(id) FROM orders_order))"
            )
    return Generated(orders, retailers, claims, start + datetime.timedelta(days=2))


@dataclass
class PeakMemory:
    """Samples the resident set every few ms in a thread; `peak_mib` over the baseline."""

    interval: float = 0.005
    baseline: int = 0
    peak: int = 0
    stopping: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None

    @staticmethod
    def resident() -> int:
        statm = Path("/proc/self/statm")
        if statm.exists():
            import os

            return int(statm.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    def __enter__(self) -> "PeakMemory":
        self.baseline = self.peak = self.resident()

        def sample() -> None:
            while not self.stopping.wait(self.interval):
                self.peak = max(self.peak, self.resident())

        self.thread = threading.Thread(target=sample, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join()
        self.peak = max(self.peak, self.resident())

    @property
    def peak_mib(self) -> float:
        return round((self.peak - self.baseline) / 2**20, 1)


@dataclass
class Looped:
    """What the plain loop did: {order: (winner, reason)}, its per-order notices
    (recipient, dedupe key, text) and its seconds."""

    decided: dict[int, tuple[int, str]]
    told: set[tuple[int, str, str]]
    seconds: float


def resolve_one_by_one(order_ids: list[int], cutoff: datetime.datetime) -> Looped:
    """The whole daily resolution written the plain way, for `order_ids`: for each open order,
    read it and its claims through the ORM, choose in plain Python, save the order, create its
    `resolved` event and its notices one by one, announce it; then each losing retailer's
    notice. All in one transaction that is rolled back at the end, so the product resolves
    the same rows afterwards."""
    open_ = Order.Status.OPEN
    told: set[tuple[int, str, str]] = set()
    decided: dict[int, tuple[int, str]] = {}
    with transaction.atomic():
        started = time.perf_counter()
        run = Resolution.objects.create(started_at=timezone.now(), cutoff=cutoff)
        where = {pk: (lat, lon, rep) for pk, lat, lon, rep in retailer_rows()}
        staff = notices.staff_of_retailers()
        lost: Counter[int] = Counter()
        won: Counter[int] = Counter()
        to_ship: Counter[int] = Counter()

        def tell(recipient: int, key: str, sentence: Sentence, at: datetime.datetime) -> None:
            text = sentence.as_record()
            Notification.objects.create(
                recipient_id=recipient,
                kind=Notification.Kind.ORDER,
                dedupe_key=key,
                text=text,
                sentence=sentence.to_json(),
                created_at=at,
            )
            told.add((recipient, key, text))

        for pk in order_ids:
            order = Order.objects.get(pk=pk)
            if order.status != open_ or order.closes_at > cutoff:
                continue
            ranked = []
            claims = Offer.objects.filter(order_id=pk, claimed_at__isnull=False).values_list(
                "retailer_id", "claimed_at"
            )
            for retailer, at in claims:
                if retailer not in where or at is None:
                    continue
                lat, lon, rep = where[retailer]
                away = routing.distance_km(order.latitude, order.longitude, lat, lon)
                band = math.floor(away * routing.BANDS_PER_KM)
                ranked.append((band, -rep, microseconds(at), retailer, away))
            ranked.sort()
            now = timezone.now()
            winner, reason = 0, routing.MANUFACTURER
            km: float | None = None
            if ranked:
                winner, km = ranked[0][3], round(ranked[0][4], 3)
                reason = routing.NEAREST
                if len(ranked) > 1 and ranked[1][0] == ranked[0][0]:
                    same = ranked[1][1] == ranked[0][1]
                    reason = routing.CLAIM_TIME if same else routing.REPUTATION
                lost.update(row[3] for row in ranked[1:])
            outcome = routing.REASONS[reason]
            order.status, order.outcome = Order.Status.RESOLVED, outcome
            order.winner_id, order.distance_km = winner or None, km
            order.resolution, order.resolved_at = run, now
            order.save(
                update_fields=[
                    "status",
                    "outcome",
                    "winner",
                    "distance_km",
                    "resolution",
                    "resolved_at",
                ]
            )
            label = LABELS[outcome] + ("" if km is None else f" ({km:.1f} km)")
            OrderEvent.objects.create(
                order=order,
                kind=OrderEvent.Kind.RESOLVED,
                at=now,
                retailer_id=winner or None,
                text=label,
            )
            if winner:
                won[winner] += 1
            else:
                to_ship[order.manufacturer_id] += 1
            if order.customer_id is not None:
                shipper = (
                    Retailer.objects.select_related("organization").get(pk=winner).organization.name
                    if winner
                    else None
                )
                tell(
                    order.customer_id,
                    f"order:{pk}:resolved",
                    notices.resolved_text(pk, shipper),
                    now,
                )
            publish(OrdersResolved(order_ids=(pk,)))
            decided[pk] = (winner, outcome)
        now = timezone.now()
        makers = notices.staff_of_makers(to_ship)
        counted = [
            (staff, won, "won", notices.won_text),
            (makers, to_ship, "ship", notices.to_maker_text),
            (staff, lost, "lost", notices.lost_text),
        ]
        for people, counts, what, say in counted:
            for party, count in sorted(counts.items()):
                for member in people.get(party, ()):
                    sentence = say(count)
                    Notification.objects.create(
                        recipient_id=member,
                        kind=Notification.Kind.ORDER,
                        dedupe_key=f"orders:{what}:{run.pk}:{party}",
                        text=sentence.as_record(),
                        sentence=sentence.to_json(),
                        created_at=now,
                    )
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return Looped(decided, told, seconds)


def run(
    orders: int,
    retailers: int,
    seed: int = 1,
    progress: Callable[[str], None] = print,
    loop_sample: int = LOOP_SAMPLE,
) -> dict[str, Any]:
    """Generate; resolve a random sample of the orders with the plain loop (rolled back);
    resolve every order with the product; compare. The result line and the details."""
    made = generate(orders, retailers, seed, progress)
    with transaction.atomic():
        due = due_order_rows(made.cutoff, 0, orders + 1)
        claims = claim_rows(due[0][0], due[-1][0]) if due else []
        shops = retailer_rows()
    # The choice alone, as a plain loop over rows already in memory (a detail, not the line).
    started = time.perf_counter()
    chosen_in_memory = routing.resolve_loop(due, shops, claims)
    loop_choice_seconds = time.perf_counter() - started
    del claims
    ids = [row[0] for row in due]
    sample = ids
    if 0 < loop_sample < len(ids):
        sample = sorted(random.Random(seed + 2).sample(ids, loop_sample))
    looped = resolve_one_by_one(sample, made.cutoff)
    scale = len(ids) / len(sample) if sample else 1.0
    loop_seconds = looped.seconds * scale
    progress(f"loop: {looped.seconds:.2f} s for {len(sample)} orders, {loop_seconds:.1f} s scaled")
    timings: dict[str, float] = {}
    with PeakMemory() as memory:
        started = time.perf_counter()
        resolution = resolve_due(made.cutoff, timings=timings)
        seconds = time.perf_counter() - started
    progress(f"resolution: {seconds:.2f} s ({resolution.orders} orders)")
    chosen = {
        pk: (winner or 0, outcome)
        for pk, winner, outcome in Order.objects.filter(resolution=resolution).values_list(
            "pk", "winner_id", "outcome"
        )
    }
    sampled = set(sample)
    told = {
        (recipient, key, text)
        for recipient, key, text in Notification.objects.filter(
            kind=Notification.Kind.ORDER, dedupe_key__startswith="order:"
        ).values_list("recipient_id", "dedupe_key", "text")
        if int(key.split(":")[1]) in sampled
    }
    agree = (
        len(chosen) == orders
        and looped.decided == {pk: chosen[pk] for pk in sample}
        and looped.told == told
        and chosen == chosen_in_memory
    )
    line = {
        "orders": orders,
        "retailers": retailers,
        "seconds": round(seconds, 3),
        "peak_mib": memory.peak_mib,
        "loop_seconds": round(loop_seconds, 3),
        "agree": agree,
    }
    details = {
        "claims": made.claims,
        "to_manufacturer": resolution.to_manufacturer,
        "notices": Notification.objects.filter(kind=Notification.Kind.ORDER).count(),
        "read_seconds": round(timings["read"], 3),
        "choose_seconds": round(timings["choose"], 3),
        "write_seconds": round(timings["write"], 3),
        "loop_sample": len(sample),
        "loop_sample_seconds": round(looped.seconds, 3),
        "loop_sample_notices": len(looped.told),
        "loop_choice_seconds": round(loop_choice_seconds, 3),
    }
    return {"line": line, "details": details}


# The command: `cluetrain bench routing` (registered in management/commands/bench.py) ------

BENCH_DATABASE = "cluetrain_bench_routing"


def add_arguments(suites: Any) -> None:
    routing_parser = suites.add_parser(
        "routing", help="the daily order resolution on one day of generated orders"
    )
    routing_parser.add_argument("--orders", type=int, default=100_000)
    routing_parser.add_argument("--retailers", type=int, default=5_000)
    routing_parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    routing_parser.add_argument("--seed", type=int, default=1)
    routing_parser.add_argument(
        "--loop-sample",
        type=int,
        default=LOOP_SAMPLE,
        help="orders the plain loop resolves (a seeded random sample; its time is scaled to "
        "every order); 0: all of them",
    )
    routing_parser.add_argument(
        "--out", type=Path, help="also write routing-<db>.json and .md in this folder"
    )
    routing_parser.add_argument(
        "--postgres-url",
        default="postgres://postgres@127.0.0.1:5432/",
        help=f"server for --db postgres; the database {BENCH_DATABASE} is dropped and made",
    )
    routing_parser.add_argument(
        "--here",
        action="store_true",
        help="run on the configured database instead of a fresh one (the tests do)",
    )


def handle(
    options: dict[str, Any], write: Callable[[str], None], say: Callable[[str], None]
) -> None:
    import json

    from django.core.management.base import CommandError

    if options["orders"] < 1 or options["retailers"] < 2:
        raise CommandError("--orders must be ≥ 1 and --retailers ≥ 2")
    if options["here"]:
        result = run(
            options["orders"],
            options["retailers"],
            options["seed"],
            say,
            loop_sample=options["loop_sample"],
        )
        write(json.dumps(result["details"]))  # read, choose and write seconds; kept in --out
        write(json.dumps(result["line"]))
        return
    result_line, details = _fresh(options, say)
    say(details)
    if options["out"] is not None:
        _report(options, result_line, details)
    write(json.dumps(result_line))


def _fresh(options: dict[str, Any], say: Callable[[str], None]) -> tuple[dict[str, Any], str]:
    """Migrate a fresh database and run the bench in a process of its own there."""
    import json
    import os
    import shutil
    import tempfile

    import psycopg
    from psycopg import sql

    from cluetrain_lab.bench.server import run_cluetrain

    work = Path(tempfile.mkdtemp(prefix="cluetrain-bench-routing-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"CLUETRAIN_DATA_DIR": str(work), "TASK_BACKEND": "immediate", "DEBUG": "false"}
    try:
        if options["db"] == "postgres":
            server = options["postgres_url"].rstrip("/")
            with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
                name = sql.Identifier(BENCH_DATABASE)
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
                conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
            env["DATABASE_URL"] = f"{server}/{BENCH_DATABASE}"
        else:
            env["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
        say("migrating a fresh database")
        run_cluetrain(env, "migrate", "--no-input", "-v", "0")
        args = ["--orders", str(options["orders"]), "--retailers", str(options["retailers"])]
        args += ["--loop-sample", str(options["loop_sample"])]
        output = run_cluetrain(
            env, "bench", "routing", "--here", "--seed", str(options["seed"]), *args
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = output.strip().splitlines()
    return json.loads(lines[-1]), "\n".join(lines[:-1])


def _report(options: dict[str, Any], line: dict[str, Any], log: str) -> None:
    import json
    import os
    import platform

    import django

    out: Path = options["out"]
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"routing-{options['db']}"
    report = {
        "when": timezone.now().date().isoformat(),
        "database": options["db"],
        "python": platform.python_version(),
        "django": django.get_version(),
        "numpy": np.__version__,
        # The machine's load when the run ended: compare runs only on a quiet machine.
        "load_average_1min": round(os.getloadavg()[0], 2),
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "result": line,
        "log": log.splitlines(),
    }
    split = json.loads(log.splitlines()[-1]) if log.strip() else {}
    report["split"] = split
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    speedup = line["loop_seconds"] / line["seconds"] if line["seconds"] else 0.0
    sample = split.get("loop_sample") or line["orders"]
    scaled = (
        f"The loop resolved a seeded random sample of {sample} of the {line['orders']} orders "
        f"in {split.get('loop_sample_seconds')} s (in a transaction rolled back afterwards, "
        "before the product resolved every order); `loop_seconds` is that time scaled to "
        "every order, and `agree` compares the loop's winner, reason and notices with the "
        "product's for each sampled order, and the product's choice with the in-memory loop's "
        "for every order.\n\n"
        if sample < line["orders"]
        else "The loop resolved every order (in a transaction rolled back afterwards).\n\n"
    )
    choose = split.get("choose_seconds") or 0.0
    choice = (
        f"Of the product's {line['seconds']} s, reading took {split.get('read_seconds')} s, "
        f"the choice (numpy, `routing.resolve`) {choose} s and writing the orders, their "
        f"events and {split.get('notices')} notices {split.get('write_seconds')} s "
        f"({split.get('claims')} claims, {split.get('to_manufacturer')} orders nobody "
        f"claimed). The choice alone as a plain loop over rows already in memory "
        f"(`routing.resolve_loop`) took {split.get('loop_choice_seconds')} s.\n\n"
    )
    stem.with_suffix(".md").write_text(
        f"# Order routing: the daily resolution ({options['db']})\n\n"
        f"Measured {report['when']} by `cluetrain bench routing --db {options['db']} "
        f"--orders {line['orders']} --retailers {line['retailers']}` (Python "
        f"{report['python']}, Django {report['django']}, numpy {report['numpy']}; load "
        f"average {report['load_average_1min']} when it ended).\n\n"
        "`seconds` is the product's whole resolution (read, choose, write the orders, their "
        "events and notices, announce); `loop_seconds` the same resolution written as a plain "
        "loop, one order at a time through the ORM.\n\n"
        "| orders | retailers | seconds | peak MiB | loop seconds | loop / resolution | agree |\n"
        "|---:|---:|---:|---:|---:|---:|---|\n"
        f"| {line['orders']} | {line['retailers']} | {line['seconds']} | {line['peak_mib']} | "
        f"{line['loop_seconds']} | {speedup:.1f}x | {line['agree']} |\n\n"
        + scaled
        + choice
        + "What the run said:\n\n```\n"
        + log
        + "\n```\n"
    )
