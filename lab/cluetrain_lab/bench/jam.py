"""`cluetrain bench jam`: a synthetic idea jam under load.

1. A fresh database (a SQLite file in a temporary folder, or the PostgreSQL database
   `cluetrain_bench_jam`, dropped and made), migrated.
2. Setup (not timed): `--participants` members, one jam, and `--posts` minus `--measured`
   ideas and replies written in bulk over the jam's first 72 simulated hours
   (cluetrain/jams/bulk.py), then one full clustering of the jam (timed on its own:
   `recluster_s`).
3. Load: `cluetrain worker` runs beside (TASK_BACKEND=database, as `cluetrain serve` runs it:
   every app's after-commit work, jam themes included, goes through it). `--measured` ideas
   are posted through the jam page (POST /jams/<slug>/, the real view, action, guard and
   events) by `--clients` threads, paced at `--rate` posts a minute (the peak), while a
   reader thread loads the jam page (GET) `--page-rate` times a second.
4. The delay from each measured post (its created_at) to its theme (the assignment's
   assigned_at), after waiting up to `--drain` seconds for the worker; the worker's peak
   resident memory (VmHWM from /proc).

Prints one JSON line: posts, post_p95_ms, page_p95_ms, theme_delay_p95_s, worker_peak_mib.
Details go to benchmarks/jam-<db>.json and .md (`--out`).
"""

import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from argparse import ArgumentParser
from datetime import timedelta
from pathlib import Path
from typing import Any

import django
import psycopg
from django.conf import settings
from django.core.management.base import CommandError
from psycopg import sql

BENCH_DATABASE = "cluetrain_bench_jam"
HOURS = 72
POSTERS_MAX = 300  # members who post in the measured phase (8 posts a minute each at most)
GOALS = {"post_p95_ms": 200.0, "page_p95_ms": 200.0, "theme_delay_p95_s": 60.0}


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=1_000_000, help="posts in the jam in all")
    parser.add_argument(
        "--measured", type=int, default=1000, help="of them, posted through the page under load"
    )
    parser.add_argument("--rate", type=float, default=1000.0, help="posts a minute (the peak)")
    parser.add_argument("--clients", type=int, default=4, help="posting threads")
    parser.add_argument("--page-rate", type=float, default=2.0, help="jam page loads a second")
    parser.add_argument("--drain", type=float, default=180.0, help="seconds to wait for themes")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--postgres-url",
        default="postgres://postgres@127.0.0.1:5432/",
        help=f"server for --db postgres; the database {BENCH_DATABASE} is dropped and made",
    )
    parser.add_argument("--out", type=Path, default=Path("benchmarks"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--inner", type=Path, help="(internal) run the measured part, writing its result here"
    )


def _check(options: dict[str, Any]) -> None:
    if options["participants"] < 2:
        raise CommandError("--participants must be at least 2")
    if options["measured"] < 1 or options["posts"] < options["measured"]:
        raise CommandError("--measured must be at least 1 and at most --posts")
    if options["rate"] <= 0 or options["clients"] < 1 or options["page_rate"] <= 0:
        raise CommandError("--rate, --clients and --page-rate must be positive")


def run(options: dict[str, Any], write: Any) -> None:
    """The outer part: a fresh database, then the inner part in a process of its own."""
    _check(options)
    if options["inner"] is not None:
        _inner(options)
        return
    work = Path(tempfile.mkdtemp(prefix="cluetrain-bench-jam-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"CLUETRAIN_DATA_DIR": str(work), "TASK_BACKEND": "database", "DEBUG": "false"}
    env |= {"FAST_PASSWORD_HASHER": "true", "POST_RATE_LIMIT_PER_MINUTE": "8"}
    # Listening is measured by `cluetrain bench_text`: here it would first read every post
    # written in bulk at setup, one long task the measured posts would queue behind.
    env["LISTENING_ENRICH"] = "false"
    if options["db"] == "postgres":
        server = options["postgres_url"].rstrip("/")
        _recreate_database(server)
        env["DATABASE_URL"] = f"{server}/{BENCH_DATABASE}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    try:
        _manage(env, "migrate", "--no-input", "-v", "0")
        result_file = work / "result.json"
        args = [
            "bench",
            "jam",
            "--inner",
            str(result_file),
            *(f"--{k.replace('_', '-')}={options[k]}" for k in _PASSED),
        ]
        done = subprocess.run(
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args],
            env=env,
            check=False,
            stdout=subprocess.DEVNULL,
        )
        if done.returncode != 0 or not result_file.exists():
            raise CommandError("the measured part of the jam bench failed (see above)")
        details = json.loads(result_file.read_text())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    details |= {
        "database": options["db"],
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "command": "cluetrain bench jam " + " ".join(sys.argv[3:]),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "django": django.get_version(),
            "load_average_1min": round(os.getloadavg()[0], 2),
        },
        "goals": GOALS,
    }
    out: Path = options["out"]
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"jam-{options['db']}"
    stem.with_suffix(".json").write_text(json.dumps(details, indent=2) + "\n")
    stem.with_suffix(".md").write_text(_markdown(details))
    keys = ("posts", "post_p95_ms", "page_p95_ms", "theme_delay_p95_s", "worker_peak_mib")
    write(json.dumps({k: details[k] for k in keys}))


_PASSED = ("participants", "posts", "measured", "rate", "clients", "page_rate", "drain", "seed")


def _manage(env: dict[str, str], *args: str) -> None:
    manage = Path(settings.BASE_DIR) / "manage.py"
    done = subprocess.run(
        [sys.executable, str(manage), *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise CommandError(f"cluetrain {' '.join(args)} failed:\n{done.stderr[-2000:]}")


def _recreate_database(server_url: str) -> None:
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        name = sql.Identifier(BENCH_DATABASE)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def quantile(values: list[float], q: float) -> float:
    """The nearest-rank quantile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def p95(values: list[float]) -> float:
    return quantile(values, 0.95)


def _text(rng: random.Random) -> tuple[str, str]:
    from cluetrain.jams.demo import BANKS, REPLIES

    titles, sentences = rng.choice(list(BANKS.values()))
    extra = rng.choice(REPLIES) if rng.random() < 0.3 else ""
    return rng.choice(titles), " ".join([*rng.sample(sentences, 2), extra]).strip()


def _setup(options: dict[str, Any], rng: random.Random) -> tuple[Any, list[Any], dict[str, Any]]:
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
    from django.db import connection
    from django.utils import timezone
    from tqdm import tqdm

    from cluetrain.jams.actions import do_create_jam
    from cluetrain.jams.bulk import IdeaDraft, do_bulk_ideas
    from cluetrain.jams.clustering import do_recluster
    from cluetrain.members.models import Member, Profile

    n = options["participants"]
    started = time.perf_counter()
    now = timezone.now()
    host = Member.objects.create_user(username="host", email="host@bench.example", role="staff")
    Profile.objects.create(member=host)
    # Members of the community before the jam (joined 30 days to two years before it), as a
    # jam's participants are: the spam filter holds repeated text from accounts younger than
    # 30 days, and the synthetic ideas repeat one another's sentences.
    members = [
        Member(
            username=f"p{i}",
            email=f"p{i}@bench.example",
            password=UNUSABLE_PASSWORD_PREFIX,
            display_name=f"P {i}",
            date_joined=now - timedelta(hours=HOURS, days=30 + 700 * rng.random()),
        )
        for i in range(n)
    ]
    for i in tqdm(range(0, n, 5000), desc="participants", file=sys.stderr):
        Member.objects.bulk_create(members[i : i + 5000])
    ids = list(Member.objects.filter(username__startswith="p").values_list("pk", flat=True))
    for i in range(0, len(ids), 5000):
        Profile.objects.bulk_create([Profile(member_id=pk) for pk in ids[i : i + 5000]])
    jam = do_create_jam(
        host,
        title="Bench jam",
        question="What should we build?",
        starts_at=now - timedelta(hours=HOURS),
        ends_at=now + timedelta(hours=24),
        hosts=[host],
    )
    background = options["posts"] - options["measured"]
    written = 0
    with tqdm(total=background, desc="background posts", file=sys.stderr) as bar:
        while written < background:
            drafts: list[IdeaDraft] = []
            while written < background and len(drafts) < 2000:
                at = jam.starts_at + timedelta(hours=HOURS * rng.random())
                title, body = _text(rng)
                draft = IdeaDraft(rng.choice(ids), title, body, at)
                for _ in range(min(rng.choice((0, 1, 2, 3)), background - written - 1)):
                    reply_at = min(at + timedelta(minutes=rng.random() * 60), now)
                    draft.replies.append((rng.choice(ids), _text(rng)[1], reply_at))
                drafts.append(draft)
                written += 1 + len(draft.replies)
            do_bulk_ideas(jam, drafts)
            bar.update(sum(1 + len(d.replies) for d in drafts))
    if connection.vendor == "postgresql":  # as autovacuum would soon after a bulk load
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    setup_s = time.perf_counter() - started
    started = time.perf_counter()
    themes = do_recluster(jam.pk)
    timings = {
        "setup_s": round(setup_s, 1),
        "recluster_s": round(time.perf_counter() - started, 1),
        # The setup process's peak (the bulk writes and the full clustering), for the memory
        # a worker needs when it re-clusters the whole jam.
        "setup_peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "themes": themes,
        "background_posts": written,
    }
    return jam, ids, timings


def _worker_peak_mib(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _inner(options: dict[str, Any]) -> None:
    rng = random.Random(options["seed"])
    jam, ids, details = _setup(options, rng)
    details |= measure(jam, ids, options)
    options["inner"].write_text(json.dumps(details))


def measure(jam: Any, ids: list[int], options: dict[str, Any]) -> dict[str, Any]:
    """Step 3 and 4 on a jam already written: post, read and wait for the themes."""
    from django.db import connection
    from django.test import Client
    from django.test.client import ClientHandler

    from cluetrain.jams.models import ThemeAssignment
    from cluetrain.members.models import Member
    from cluetrain.threads.models import Post

    posters = list(Member.objects.filter(pk__in=ids[:POSTERS_MAX]))
    # One request handler for every client, as one server process has: a Client of its own
    # builds the middleware chain again on its first request (WhiteNoise then walks every
    # static file, some 200 ms of CPU), which no served request pays.
    handler = ClientHandler(enforce_csrf_checks=False)
    clients = []
    for member in posters:
        client = Client()
        client.handler = handler
        client.force_login(member)
        clients.append(client)
    reader_client = Client()
    reader_client.handler = handler
    reader_client.get(f"/jams/{jam.slug}/")  # builds the chain before the clock starts
    before = Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    connection.close()
    worker = subprocess.Popen(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "worker", "--interval=0.2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    post_ms: list[float] = []
    page_ms: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    measured = options["measured"]
    interval = 60.0 / options["rate"]
    start = time.perf_counter() + 2.0
    counter = iter(range(measured))
    stop = threading.Event()

    def poster(seed: int) -> None:
        local = random.Random(seed)
        try:
            for n in counter:
                delay = start + n * interval - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                title, body = _text(local)
                client = clients[n % len(clients)]
                began = time.perf_counter()
                response = client.post(f"/jams/{jam.slug}/", {"title": title, "body": body})
                took = (time.perf_counter() - began) * 1000
                with lock:
                    post_ms.append(took)
                    if response.status_code != 302:
                        errors.append(f"POST {response.status_code}")
        finally:
            connection.close()

    def reader() -> None:
        client = reader_client
        try:
            while not stop.is_set():
                began = time.perf_counter()
                response = client.get(f"/jams/{jam.slug}/")
                took = (time.perf_counter() - began) * 1000
                with lock:
                    page_ms.append(took)
                    if response.status_code != 200:
                        errors.append(f"GET {response.status_code}")
                time.sleep(max(0.0, 1.0 / options["page_rate"] - took / 1000))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=poster, args=(options["seed"] + i,))
        for i in range(options["clients"])
    ]
    page_thread = threading.Thread(target=reader)
    load_started = time.perf_counter()
    for thread in [*threads, page_thread]:
        thread.start()
    for thread in threads:
        thread.join()
    load_s = time.perf_counter() - load_started
    stop.set()
    page_thread.join()
    measured_posts = Post.objects.filter(thread__space_id=jam.space_id, pk__gt=before)
    wanted = set(measured_posts.values_list("pk", flat=True))
    deadline = time.perf_counter() + options["drain"]
    while time.perf_counter() < deadline:
        if ThemeAssignment.objects.filter(post_id__in=wanted).count() >= len(wanted):
            break
        time.sleep(1.0)
    peak = _worker_peak_mib(worker.pid)
    worker.terminate()
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
    created = dict(measured_posts.values_list("pk", "created_at"))
    delays = [
        (assigned - created[post_id]).total_seconds()
        for post_id, assigned in ThemeAssignment.objects.filter(post_id__in=wanted).values_list(
            "post_id", "assigned_at"
        )
    ]
    unthemed = len(wanted) - len(delays)
    held = measured_posts.filter(is_held=True).count()
    total = Post.objects.filter(thread__space_id=jam.space_id).count()
    return {
        "posts": total,
        "participants": options["participants"],
        "measured_posts": len(post_ms),
        "rate_asked_per_minute": options["rate"],
        "rate_reached_per_minute": round(len(post_ms) / load_s * 60, 1) if load_s else 0.0,
        "post_p50_ms": round(quantile(post_ms, 0.5), 1),
        "post_p95_ms": round(p95(post_ms), 1),
        "page_loads": len(page_ms),
        "page_p50_ms": round(quantile(page_ms, 0.5), 1),
        "page_p95_ms": round(p95(page_ms), 1),
        # A post never themed within --drain counts as the whole wait.
        "theme_delay_p95_s": round(p95(delays + [options["drain"]] * unthemed), 2),
        "unthemed": unthemed,
        "held_as_spam": held,
        "worker_peak_mib": peak,
        "errors": errors[:10],
        "error_count": len(errors),
    }


def _markdown(d: dict[str, Any]) -> str:
    m = d["machine"]
    return "\n".join(
        [
            f"# `cluetrain bench jam` on {d['database']}",
            "",
            f"Measured {d['when']} by `{d['command']}` on {m['cpus']} CPUs shared with other "
            f"work (load average {m['load_average_1min']} at the end), Python {m['python']}, "
            f"Django {m['django']}.",
            "",
            f"A jam of {d['participants']:,} participants and {d['posts']:,} posts "
            f"({d['background_posts']:,} written in bulk over {HOURS} simulated hours, then "
            f"{d['measured_posts']:,} posted through the jam page at "
            f"{d['rate_asked_per_minute']:,.0f} a minute asked, "
            f"{d['rate_reached_per_minute']:,.0f} reached, while the page was read "
            f"{d['page_loads']:,} times and `cluetrain worker` themed the posts).",
            "",
            "| measure | p50 | p95 | goal |",
            "|---|---|---|---|",
            f"| posting an idea (ms) | {d['post_p50_ms']} | {d['post_p95_ms']} | ≤ 200 |",
            f"| the jam page (ms) | {d['page_p50_ms']} | {d['page_p95_ms']} | ≤ 200 |",
            f"| post to theme (s) | | {d['theme_delay_p95_s']} | ≤ 60 |",
            "",
            f"Theme worker peak memory: {d['worker_peak_mib']} MiB (the setup process, which "
            f"wrote the posts and clustered them all: {d.get('setup_peak_mib', '?')} MiB). "
            f"Setup {d['setup_s']} s; "
            f"one full clustering of the jam {d['recluster_s']} s ({d['themes']} themes). "
            f"Posts never themed within the wait: {d['unthemed']}. Measured posts held by the "
            f"spam filter: {d.get('held_as_spam', '?')}. Errors: {d['error_count']}.",
            "",
        ]
    )
