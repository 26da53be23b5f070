"""`cluetrain bench web`: load-test the production server on the demo data.

A fresh database (a SQLite file in a temporary folder, or the PostgreSQL database
`cluetrain_bench`), `migrate` and `demo`, then gunicorn exactly as `cluetrain serve` runs it,
then closed-loop clients in separate processes against each page in turn.
"""

import json
import os
import platform
import shutil
import signal
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import django
import gunicorn
import httpx
import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from psycopg import sql

from cluetrain_lab.bench.loadgen import run_load
from cluetrain_lab.bench.server import free_port, run_cluetrain, running_server
from cluetrain_lab.bench.stats import PageResult, summarize
from cluetrain_lab.bench.targets import pick_targets

BENCH_DATABASE = "cluetrain_bench"
PAGES = ("feed", "feed_anon", "thread", "people_search", "layout", "bare")
THREAD_P95_GOAL_MS = 50.0
THREAD_SHARE_OF_BARE_GOAL = 0.5

# One measured page: its result, path, size in bytes, load-generator CPU (% of one core), and
# a few example errors.
Row = tuple[PageResult, str, int, int, list[str]]


class Command(BaseCommand):
    help = "Benchmarks. `cluetrain bench web`: load-test the web pages on the demo data."

    def add_arguments(self, parser: CommandParser) -> None:
        suites = parser.add_subparsers(dest="suite", required=True)
        web = suites.add_parser("web", help="load-test the production server on the demo data")
        web.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
        web.add_argument("--clients", type=int, default=50, help="concurrent clients")
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
            "--postgres-url",
            default="postgres://postgres@127.0.0.1:5432/",
            help="server for --db postgres; the database cluetrain_bench is dropped and created",
        )
        # Internal: run inside the bench environment by `web` to choose what to load.
        suites.add_parser("targets", help="(internal) print the pages' targets as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["suite"] == "targets":
            self.stdout.write(json.dumps(pick_targets().as_dict()))
            return
        pages = [p.strip() for p in options["pages"].split(",") if p.strip()]
        unknown = sorted(set(pages) - set(PAGES))
        if unknown:
            raise CommandError(f"unknown page(s) {unknown}; choose from {list(PAGES)}")
        if options["clients"] < 1 or options["duration"] <= 0 or options["warmup"] < 0:
            raise CommandError("--clients must be ≥ 1, --duration > 0 and --warmup ≥ 0")
        # SIGTERM (e.g. from a CI timeout) unwinds like Ctrl+C, so the server is always stopped.
        previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
        data_dir = Path(tempfile.mkdtemp(prefix="cluetrain-bench-"))
        try:
            self._web(pages, data_dir, options)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
            signal.signal(signal.SIGTERM, previous)

    def _web(self, pages: list[str], data_dir: Path, options: dict[str, Any]) -> None:
        db: str = options["db"]
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env |= {"CLUETRAIN_DATA_DIR": str(data_dir), "DEBUG": "false", "TASK_BACKEND": "immediate"}
        env["BENCH_VIEWS"] = "true"  # the yardsticks (/bench/bare/, /bench/layout/) are served
        # Quick demo setup; no measured page checks a password (the session is made directly).
        env["FAST_PASSWORD_HASHER"] = "true"  # noqa: S105 - a switch, not a password
        if db == "postgres":
            server_url = options["postgres_url"].rstrip("/")
            _recreate_database(server_url)
            env["DATABASE_URL"] = f"{server_url}/{BENCH_DATABASE}"

        self._step("migrate", lambda: run_cluetrain(env, "migrate", "--no-input", "-v", "0"))
        self._step("demo", lambda: run_cluetrain(env, "demo"))
        if db == "postgres":
            # Planner statistics, as autovacuum would gather them soon after a bulk load; without
            # them the thread page's reaction counts scan the whole reactions table.
            self._step("analyze", lambda: _analyze(env["DATABASE_URL"]))
        targets = json.loads(run_cluetrain(env, "bench", "targets").strip().splitlines()[-1])
        self.stderr.write(
            f"thread {targets['thread_id']} has {targets['thread_posts']} posts; "
            f"{targets['name_matches']} of {targets['members']} members are called "
            f"{targets['common_name']!r}; logged in as {targets['username']}"
        )
        logged_in = {settings.SESSION_COOKIE_NAME: targets["session_key"]}
        paths = {
            "feed": ("/", logged_in),
            "feed_anon": ("/", {}),
            "thread": (f"/t/{targets['thread_id']}/", logged_in),
            "people_search": (f"/people/?{urlencode({'q': targets['common_name']})}", logged_in),
            "layout": ("/bench/layout/", logged_in),
            "bare": ("/bench/bare/", {}),
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
            for page in pages:
                path, cookies = paths[page]
                first = httpx.get(base + path, cookies=cookies, timeout=30)
                if first.status_code != 200:
                    self.stderr.write(f"warning: {page} {path} answers {first.status_code}")
                samples = run_load(
                    base + path,
                    clients=options["clients"],
                    warmup_s=options["warmup"],
                    duration_s=options["duration"],
                    cookies=cookies,
                    processes=options["load_processes"],
                )
                result = summarize(
                    page, db, options["clients"], samples.latencies_s, samples.errors,
                    options["duration"],
                )  # fmt: skip
                cpu_pct = (
                    round(100 * samples.client_cpu_s / samples.wall_s) if samples.wall_s else 0
                )
                results.append((result, path, len(first.content), cpu_pct, samples.error_examples))
                self.stdout.write(json.dumps(result.as_dict()))
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
        (out / f"web-{db}.json").write_text(json.dumps(report, indent=2) + "\n")
        (out / f"web-{db}.md").write_text(_markdown(db, machine, results))
        self.stderr.write(f"wrote {out / f'web-{db}.json'} and {out / f'web-{db}.md'}")

    def _step(self, name: str, run: Callable[[], object]) -> None:
        started = time.monotonic()
        run()
        self.stderr.write(f"{name}: {time.monotonic() - started:.1f} s")


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
        "load_processes": options["load_processes"],
        "warmup_s": options["warmup"],
        "duration_s": options["duration"],
    }


def _markdown(db: str, machine: dict[str, object], rows: list[Row]) -> str:
    lines = [
        f"# `cluetrain bench web --db {db}`",
        "",
        f"{machine['date']}. {machine['cores']} cores ({machine['cpu']}), {machine['os']}; "
        f"Python {machine['python']}, Django {machine['django']}, {machine['database']}; "
        f"gunicorn {machine['gunicorn']} gthread, {machine['gunicorn_workers']} workers x "
        f"{machine['gunicorn_threads']} threads. {machine['clients']} closed-loop clients "
        f"(httpx, one keep-alive connection each) in {machine['load_processes']} process(es) "
        f"on the same machine; {machine['warmup_s']} s warm-up, {machine['duration_s']} s "
        f"measured per page. Load average (1 min) {machine['load_average_before']} before the "
        f"load, {machine['load_average_after']} after (the server and clients account for up "
        f"to {machine['cores']}; above that, other programs competed for the CPU).",
        "",
        "| page | path | KB | requests/s | p50 ms | p95 ms | p99 ms | errors | client CPU |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r, path, size, cpu, _ in rows:
        lines.append(
            f"| {r.page} | `{path}` | {size / 1024:.0f} | {r.rps} | {r.p50_ms} | {r.p95_ms} "
            f"| {r.p99_ms} | {r.errors} | {cpu}% |"
        )
    by_page = {r.page: r for r, _, _, _, _ in rows}
    thread, bare, layout = by_page.get("thread"), by_page.get("bare"), by_page.get("layout")
    lines.append("")
    if thread is not None and thread.p95_ms is not None:
        met = "met" if thread.p95_ms <= THREAD_P95_GOAL_MS else "NOT met"
        lines.append(
            f"- Thread page p95 {thread.p95_ms} ms, goal ≤ {THREAD_P95_GOAL_MS:g} ms: {met}."
        )
    lines.append(
        f"- Client CPU is the load generator's own CPU use, in % of one core; near "
        f"{machine['load_processes']}00% the clients, not the server, limit the throughput."
    )
    if thread is not None and bare is not None and bare.rps:
        share = thread.rps / bare.rps
        met = "met" if share >= THREAD_SHARE_OF_BARE_GOAL else "NOT met"
        lines.append(
            f"- Thread page throughput {share:.0%} of the bare view's, "
            f"goal ≥ {THREAD_SHARE_OF_BARE_GOAL:.0%}: {met}."
        )
    if layout is not None and bare is not None and bare.rps:
        lines.append(
            f"- The layout alone (a signed-in member's session, member and unread count, the "
            f"site's layout, no content) reaches {layout.rps / bare.rps:.0%} of the bare view's "
            "throughput: no signed-in page can do better on this stack."
        )
    return "\n".join(lines) + "\n"
