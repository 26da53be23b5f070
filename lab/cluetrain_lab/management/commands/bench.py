"""`cluetrain bench web`: load-test the production server on the demo data.

A fresh database (a SQLite file in a temporary folder, or the PostgreSQL database
`cluetrain_bench`), `migrate` and `demo`, then gunicorn exactly as `cluetrain serve` runs it,
then closed-loop clients in separate processes against each page in turn, at each number of
clients asked for. With `--data-dir` the prepared database is kept and used again.
"""

import json
import os
import platform
import shutil
import signal
import tempfile
import time
from argparse import ArgumentTypeError
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import django
import gunicorn
import httpx
import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from psycopg import sql

from cluetrain_lab.bench import jam as jam_bench
from cluetrain_lab.bench import routing
from cluetrain_lab.bench.loadgen import run_load
from cluetrain_lab.bench.profile import profile_page
from cluetrain_lab.bench.server import free_port, run_cluetrain, running_server
from cluetrain_lab.bench.stats import PageResult, summarize
from cluetrain_lab.bench.targets import pick_targets

BENCH_DATABASE = "cluetrain_bench"
PAGES = ("feed", "feed_anon", "thread", "people_search", "layout", "bare")
THREAD_P95_GOAL_MS = 50.0
THREAD_P95_GOAL_CLIENTS = 10  # the latency goal is at this many clients
# Each page's throughput as a share of the bare view's, at the same number of clients.
SHARE_OF_BARE_GOALS = {"layout": 0.7, "thread": 0.5, "feed": 0.5}
PREPARED_MARK = "prepared-{db}"  # in --data-dir: migrate and demo already ran there

# One measured page: its result, path, size in bytes, load-generator CPU (% of one core), and
# a few example errors.
Row = tuple[PageResult, str, int, int, list[str]]


class Command(BaseCommand):
    help = "Benchmarks. `cluetrain bench web`: load-test the web pages on the demo data."

    def add_arguments(self, parser: CommandParser) -> None:
        suites = parser.add_subparsers(dest="suite", required=True)
        web = suites.add_parser("web", help="load-test the production server on the demo data")
        web.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
        web.add_argument(
            "--clients",
            type=_client_counts,
            default=[50],
            help="concurrent clients; several, comma-separated (10,50), measure each page at each",
        )
        web.add_argument("--duration", type=float, default=20.0, help="seconds measured per page")
        web.add_argument("--warmup", type=float, default=3.0, help="seconds not measured, first")
        web.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        web.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
        web.add_argument(
            "--load-processes",
            type=int,
            default=max(1, (os.cpu_count() or 1) // 4),
            help="processes the clients are spread over (they share the machine with the server)",
        )
        web.add_argument("--pages", default=",".join(PAGES), help="comma-separated subset")
        web.add_argument("--out", type=Path, default=Path("benchmarks"))
        web.add_argument(
            "--tag", default="", help="written as web-<db>-<tag>.md/json (e.g. before)"
        )
        web.add_argument(
            "--data-dir",
            type=Path,
            help="keep the server's data (SQLite file, secret key) here and use it again on "
            "later runs: migrate and demo only the first time (with --db postgres, the "
            "database cluetrain_bench is then kept too)",
        )
        web.add_argument(
            "--postgres-url",
            default="postgres://postgres@127.0.0.1:5432/",
            help="server for --db postgres; the database cluetrain_bench is dropped and created",
        )
        prof = suites.add_parser(
            "profile",
            help="profile one page in this process (run with the bench's data and BENCH_VIEWS)",
        )
        prof.add_argument("page", choices=PAGES)
        prof.add_argument("--requests", type=int, default=500)
        prof.add_argument("--top", type=int, default=60, help="functions listed")
        jam_bench.add_arguments(
            suites.add_parser("jam", help="a synthetic idea jam under load (docs/jams.md)")
        )
        # Internal: run inside the bench environment by `web` to choose what to load.
        suites.add_parser("targets", help="(internal) print the pages' targets as JSON")
        routing.add_arguments(suites)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["suite"] == "routing":
            routing.handle(options, self.stdout.write, self.stderr.write)
            return
        if options["suite"] == "targets":
            self.stdout.write(json.dumps(pick_targets().as_dict()))
            return
        if options["suite"] == "jam":
            jam_bench.run(options, self.stdout.write)
            return
        if options["suite"] == "profile":
            self._profile(options["page"], options["requests"], options["top"])
            return
        pages = [p.strip() for p in options["pages"].split(",") if p.strip()]
        unknown = sorted(set(pages) - set(PAGES))
        if unknown:
            raise CommandError(f"unknown page(s) {unknown}; choose from {list(PAGES)}")
        if options["duration"] <= 0 or options["warmup"] < 0:
            raise CommandError("--duration must be > 0 and --warmup ≥ 0")
        if options["tag"] and not options["tag"].replace("-", "").isalnum():
            raise CommandError("--tag may hold only letters, digits and dashes")
        # SIGTERM (e.g. from a CI timeout) unwinds like Ctrl+C, so the server is always stopped.
        previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
        kept: Path | None = options["data_dir"]
        data_dir = kept.resolve() if kept else Path(tempfile.mkdtemp(prefix="cluetrain-bench-"))
        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            self._web(pages, data_dir, options)
        finally:
            if kept is None:
                shutil.rmtree(data_dir, ignore_errors=True)
            signal.signal(signal.SIGTERM, previous)

    def _web(self, pages: list[str], data_dir: Path, options: dict[str, Any]) -> None:
        db: str = options["db"]
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env |= {"CLUETRAIN_DATA_DIR": str(data_dir), "DEBUG": "false", "TASK_BACKEND": "immediate"}
        env["BENCH_VIEWS"] = "true"  # the yardsticks (/bench/bare/, /bench/layout/) are served
        # Quick demo setup; no measured page checks a password (the session is made directly).
        env["FAST_PASSWORD_HASHER"] = "true"  # noqa: S105 - a switch, not a password
        mark = data_dir / PREPARED_MARK.format(db=db)
        prepared = mark.exists()
        if db == "postgres":
            server_url = options["postgres_url"].rstrip("/")
            if not prepared:
                _recreate_database(server_url)
            env["DATABASE_URL"] = f"{server_url}/{BENCH_DATABASE}"

        # Always: code served from a newer checkout may bring migrations (none to run is quick).
        self._step("migrate", lambda: run_cluetrain(env, "migrate", "--no-input", "-v", "0"))
        if not prepared:
            self._step("demo", lambda: run_cluetrain(env, "demo"))
            if db == "postgres":
                # Planner statistics, as autovacuum would gather them soon after a bulk load;
                # without them the thread page's reaction counts scan the whole reactions table.
                self._step("analyze", lambda: _analyze(env["DATABASE_URL"]))
            mark.touch()
        targets = json.loads(run_cluetrain(env, "bench", "targets").strip().splitlines()[-1])
        self.stderr.write(
            f"thread {targets['thread_id']} has {targets['thread_posts']} posts; "
            f"{targets['name_matches']} of {targets['members']} members are called "
            f"{targets['common_name']!r}; logged in as {targets['username']}"
        )
        logged_in = {settings.SESSION_COOKIE_NAME: targets["session_key"]}
        paths = {
            page: (path, logged_in if signed_in else {})
            for page, (path, signed_in) in _page_paths(
                targets["thread_id"], targets["common_name"]
            ).items()
        }

        load_before = _load_average()
        port = free_port()
        results: list[Row] = []
        server = running_server(
            env,
            port=port,
            workers=options["workers"],
            threads=options["threads"],
            log=data_dir / "server.log",
        )
        with server as base:
            for clients in options["clients"]:
                for page in pages:
                    path, cookies = paths[page]
                    first = httpx.get(base + path, cookies=cookies, timeout=30)
                    if first.status_code != 200:
                        self.stderr.write(f"warning: {page} {path} answers {first.status_code}")
                    samples = run_load(
                        base + path,
                        clients=clients,
                        warmup_s=options["warmup"],
                        duration_s=options["duration"],
                        cookies=cookies,
                        processes=options["load_processes"],
                    )
                    result = summarize(
                        page, db, clients, samples.latencies_s, samples.errors, options["duration"]
                    )
                    cpu_pct = (
                        round(100 * samples.client_cpu_s / samples.wall_s) if samples.wall_s else 0
                    )
                    size = len(first.content)
                    results.append((result, path, size, cpu_pct, samples.error_examples))
                    self.stdout.write(json.dumps(result.as_dict() | {"client_cpu_pct": cpu_pct}))
                    self.stdout.flush()

        machine = _machine_info(options, targets["db_version"])
        # Other programs on the machine slow the server down: say how busy it was.
        machine["load_average_before"], machine["load_average_after"] = load_before, _load_average()
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        report = {
            "machine": machine,
            "targets": {k: v for k, v in targets.items() if k != "session_key"},
            "results": [
                r.as_dict()
                | {"path": path, "page_bytes": size, "client_cpu_pct": cpu, "error_examples": ex}
                for r, path, size, cpu, ex in results
            ],
        }
        name = f"web-{db}-{options['tag']}" if options["tag"] else f"web-{db}"
        (out / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n")
        (out / f"{name}.md").write_text(_markdown(db, machine, results, options["tag"]))
        self.stderr.write(f"wrote {out / f'{name}.json'} and {out / f'{name}.md'}")

    def _profile(self, page: str, requests: int, top: int) -> None:
        if requests < 1:
            raise CommandError("--requests must be ≥ 1")
        targets = pick_targets()
        path, signed_in = _page_paths(targets.thread_id, targets.common_name)[page]
        found = profile_page(
            path, targets.session_key if signed_in else "", requests=requests, top=top
        )
        self.stdout.write(f"{page} {path}: {found.ms_per_request} ms a request, unprofiled")
        self.stdout.write(f"{len(found.queries)} queries:")
        for query in found.queries:
            self.stdout.write(f"  {query[:160]}")
        self.stdout.write(found.stats)

    def _step(self, name: str, run: Callable[[], object]) -> None:
        started = time.monotonic()
        run()
        self.stderr.write(f"{name}: {time.monotonic() - started:.1f} s")


def _page_paths(thread_id: int, common_name: str) -> dict[str, tuple[str, bool]]:
    """Each page's path, and whether it is loaded signed in."""
    return {
        "feed": ("/", True),
        "feed_anon": ("/", False),
        "thread": (f"/t/{thread_id}/", True),
        "people_search": (f"/people/?{urlencode({'q': common_name})}", True),
        "layout": ("/bench/layout/", True),
        "bare": ("/bench/bare/", False),
    }


def _client_counts(raw: str) -> list[int]:
    """ "10,50" -> [10, 50]: each a number of concurrent clients, at least 1."""
    try:
        counts = [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise ArgumentTypeError(f"not a comma-separated list of numbers: {raw!r}") from None
    if not counts or min(counts) < 1:
        raise ArgumentTypeError("--clients must be ≥ 1")
    return counts


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _recreate_database(server_url: str) -> None:
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        name = sql.Identifier(BENCH_DATABASE)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def _load_average() -> float:
    return round(os.getloadavg()[0], 2)


def _analyze(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("ANALYZE")


def _machine_info(options: dict[str, Any], db_version: str) -> dict[str, object]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "gunicorn_workers": options["workers"],
        "gunicorn_threads": options["threads"],
        "database": db_version,
        "clients": options["clients"],
        "load_generator": f"aiohttp {aiohttp.__version__}",
        "load_processes": options["load_processes"],
        "warmup_s": options["warmup"],
        "duration_s": options["duration"],
    }


def _markdown(db: str, machine: dict[str, object], rows: list[Row], tag: str = "") -> str:
    clients = machine["clients"]
    counts = ", ".join(str(n) for n in clients) if isinstance(clients, list) else str(clients)
    title = f"`cluetrain bench web --db {db} --clients {counts.replace(', ', ',')}`"
    lines = [
        f"# {title}" + (f" ({tag})" if tag else ""),
        "",
        f"{machine['date']}. {machine['cores']} cores ({machine['cpu']}), {machine['os']}; "
        f"Python {machine['python']}, Django {machine['django']}, {machine['database']}; "
        f"gunicorn {machine['gunicorn']} gthread, {machine['gunicorn_workers']} workers x "
        f"{machine['gunicorn_threads']} threads. {counts} closed-loop clients "
        f"({machine.get('load_generator', 'httpx')}, one keep-alive connection and cookie jar "
        f"each) in {machine['load_processes']} process(es) on the same machine; "
        f"{machine['warmup_s']} s warm-up, {machine['duration_s']} s measured per page. Load "
        f"average (1 min) {machine['load_average_before']} before the load, "
        f"{machine['load_average_after']} after (the server and clients account for up to "
        f"{machine['cores']}; above that, other programs competed for the CPU).",
        "",
        "| page | path | clients | KB | requests/s | share of bare | p50 ms | p95 ms | p99 ms "
        "| errors | client CPU |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    bare_rps = {r.clients: r.rps for r, *_ in rows if r.page == "bare"}
    for r, path, size, cpu, _ in rows:
        share = f"{r.rps / bare_rps[r.clients]:.0%}" if bare_rps.get(r.clients) else ""
        lines.append(
            f"| {r.page} | `{path}` | {r.clients} | {size / 1024:.0f} | {r.rps} | {share} "
            f"| {r.p50_ms} | {r.p95_ms} | {r.p99_ms} | {r.errors} | {cpu}% |"
        )
    lines.append("")
    lines.extend(_goals(rows, bare_rps))
    lines.append(
        f"- Client CPU is the load generator's own CPU use, in % of one core; near "
        f"{machine['load_processes']}00% the clients, not the server, limit the throughput."
    )
    if any(r.page == "layout" for r, *_ in rows) and bare_rps:
        lines.append(
            "- The layout alone (a signed-in member's session, member and unread count, the "
            "site's layout, no content) is the ceiling of every signed-in page on this stack."
        )
    return "\n".join(lines) + "\n"


def _goals(rows: list[Row], bare_rps: dict[int, float]) -> list[str]:
    """One line per goal that this run measured: met or NOT met."""
    lines = []
    for r, *_ in rows:
        if r.page == "thread" and r.clients == THREAD_P95_GOAL_CLIENTS and r.p95_ms is not None:
            met = "met" if r.p95_ms <= THREAD_P95_GOAL_MS else "NOT met"
            lines.append(
                f"- Thread page p95 at {r.clients} clients {r.p95_ms} ms, "
                f"goal ≤ {THREAD_P95_GOAL_MS:g} ms: {met}."
            )
    for r, *_ in rows:
        goal = SHARE_OF_BARE_GOALS.get(r.page)
        if goal is None or not bare_rps.get(r.clients):
            continue
        share = r.rps / bare_rps[r.clients]
        met = "met" if share >= goal else "NOT met"
        lines.append(
            f"- {r.page.capitalize()} throughput at {r.clients} clients {share:.0%} of the bare "
            f"view's, goal ≥ {goal:.0%}: {met}."
        )
    return lines
