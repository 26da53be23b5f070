"""`cluetrain bench_import`: how fast `cluetrain import twcs` loads, and in how much memory.

For each size (the twcs file repeated N times, tweet ids shifted per copy, so every copy is
new), `--repeat` times: a fresh migrated database (a SQLite file in a temporary folder, or the
PostgreSQL database `cluetrain_bench_import`, dropped and created), then `cluetrain import` as
a separate process: first the import, then the same file again (all duplicates). Seconds and
peak resident memory are measured inside that process (`--stats`). The report gives the
median run of each size and every run: on a shared machine one run can be a quarter slower
than the next with nothing else changed.
"""

import csv
import gzip
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import django
import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from psycopg import sql

from cluetrain_lab.datasets import default_data, missing_data_message, shown_path

BENCH_DATABASE = "cluetrain_bench_import"
DATA = "twcs/twcs_subset.csv.gz"  # under $CLUETRAIN_DATA, unless --file names the file
GOAL_PER_SECOND = 20_000
ID_SHIFT = 10**9  # larger than any tweet id in the file, so copies never collide


class Command(BaseCommand):
    help = "Benchmark `cluetrain import twcs` (messages/s, peak memory) on a fresh database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
        parser.add_argument(
            "--file",
            type=Path,
            default=default_data(DATA),
            help=f"a twcs CSV(.gz) (default: $CLUETRAIN_DATA/{DATA})",
        )
        parser.add_argument(
            "--copies", default="1,5", help="sizes to measure, as copies of the file (1,5)"
        )
        parser.add_argument(
            "--repeat", type=int, default=5, help="runs of each size; the median is reported"
        )
        parser.add_argument("--out", type=Path, default=Path("benchmarks"))
        parser.add_argument(
            "--postgres-url",
            default="postgres://postgres@127.0.0.1:5432/",
            help=f"server for --db postgres; the database {BENCH_DATABASE} is dropped and made",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path | None = options["file"]
        if source is None:
            raise CommandError(missing_data_message("--file", DATA))
        if not source.is_file():
            raise CommandError(f"{source} is not a file")
        try:
            copies = [int(part) for part in options["copies"].split(",")]
        except ValueError:
            raise CommandError("--copies takes whole numbers separated by commas") from None
        if not copies or min(copies) < 1:
            raise CommandError("--copies must be at least 1")
        if options["repeat"] < 1:
            raise CommandError("--repeat must be at least 1")
        work = Path(tempfile.mkdtemp(prefix="bench-import-", dir=settings.DATA_DIR))
        try:
            runs = [self._run(source, n, work, options) for n in copies]
        finally:
            shutil.rmtree(work, ignore_errors=True)
        report = {
            "benchmark": "cluetrain import twcs",
            "database": options["db"],
            "file": shown_path(source),
            "goal_messages_per_second": GOAL_PER_SECOND,
            "repeat": options["repeat"],
            "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "django": django.get_version(),
                "load_average_1min": round(os.getloadavg()[0], 2),
            },
            "runs": runs,
        }
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        stem = out / f"import-{options['db']}"
        stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
        stem.with_suffix(".md").write_text(_markdown(report))
        self.stdout.write(_markdown(report))

    def _run(
        self, source: Path, copies: int, work: Path, options: dict[str, Any]
    ) -> dict[str, Any]:
        data = work / f"twcs-x{copies}.csv.gz"
        rows = _repeat(source, data, copies)
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        # Listening is measured by `cluetrain bench_text`; here only the import itself.
        env |= {
            "CLUETRAIN_DATA_DIR": str(work),
            "TASK_BACKEND": "immediate",
            "LISTENING_ENRICH": "0",
        }
        database = work / f"bench-x{copies}.sqlite3"
        migrated = work / "migrated.sqlite3"
        if options["db"] == "postgres":
            server_url = options["postgres_url"].rstrip("/")
            env["DATABASE_URL"] = f"{server_url}/{BENCH_DATABASE}"
        else:
            env["DATABASE_URL"] = f"sqlite:///{database}"
            if not migrated.exists():  # one migrated file, copied for every run
                _cluetrain(
                    env | {"DATABASE_URL": f"sqlite:///{migrated}"},
                    "migrate",
                    "--no-input",
                    "-v",
                    "0",
                )
        runs = []
        for number in range(1, options["repeat"] + 1):
            if options["db"] == "postgres":
                _recreate_database(server_url)
                _cluetrain(env, "migrate", "--no-input", "-v", "0")
            else:
                for leftover in work.glob(f"{database.name}*"):
                    leftover.unlink()
                shutil.copyfile(migrated, database)
            run: dict[str, Any] = {}
            for label in ("first", "again"):
                stats_file = work / "stats.json"
                _cluetrain(env, "import", "twcs", str(data), "--stats", str(stats_file), "-v", "0")
                stats = json.loads(stats_file.read_text())
                run[label] = {
                    **stats,
                    "seconds": round(stats["seconds"], 3),
                    "close_seconds": round(stats["close_seconds"], 3),
                    "cpu_seconds": round(stats["cpu_seconds"], 3),
                    "messages_per_second": round(stats["read"] / stats["seconds"]),
                    "messages_per_cpu_second": round(stats["read"] / stats["cpu_seconds"]),
                }
                self.stderr.write(f"x{copies} run {number} {label}: {run[label]}")
            if options["db"] == "sqlite":
                run["database_bytes"] = sum(
                    path.stat().st_size for path in work.glob(f"{database.name}*")
                )
            runs.append(run)
        by_speed = sorted(runs, key=lambda run: run["first"]["seconds"])
        return {
            "copies": copies,
            "messages": rows,
            "file_bytes": data.stat().st_size,
            # The median run (the slower middle one for an even count), whole.
            **by_speed[len(by_speed) // 2],
            "first_messages_per_second_all_runs": [
                run["first"]["messages_per_second"] for run in runs
            ],
        }


def _repeat(source: Path, target: Path, copies: int) -> int:
    """Write `copies` copies of a twcs file, the ids of copy k shifted by k * ID_SHIFT."""
    rows = 0
    with (
        gzip.open(source, "rt", newline="", encoding="utf-8")
        if source.name.endswith(".gz")
        else source.open(newline="", encoding="utf-8") as reader,
        gzip.open(target, "wt", newline="", encoding="utf-8", compresslevel=1) as writer,
    ):
        table = list(csv.reader(reader))
        out = csv.writer(writer)
        out.writerow(table[0])
        ids = [table[0].index(name) for name in ("tweet_id", "in_response_to_tweet_id")]
        for copy in range(copies):
            for row in table[1:]:
                shifted = list(row)
                for index in ids:
                    if row[index]:
                        shifted[index] = str(int(float(row[index])) + copy * ID_SHIFT)
                out.writerow(shifted)
                rows += 1
    return rows


def _cluetrain(env: dict[str, str], *args: str) -> None:
    manage = Path(settings.BASE_DIR) / "manage.py"
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(manage), *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise CommandError(f"cluetrain {' '.join(args)} failed:\n{done.stderr[-2000:]}")


def _recreate_database(server_url: str) -> None:
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        name = sql.Identifier(BENCH_DATABASE)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def _markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# `cluetrain import twcs` on {report['database']}",
        "",
        f"Measured {report['when']} by `cluetrain bench_import --db {report['database']}` on "
        f"{report['machine']['cpus']} CPUs (load average {report['machine']['load_average_1min']}"
        f" at the end), Python {report['machine']['python']}, Django "
        f"{report['machine']['django']}. File: `{report['file']}`, repeated with shifted ids. "
        f"Goal: {report['goal_messages_per_second']:,} messages/s. Each size was imported "
        f"{report['repeat']} times into a fresh database; the table shows the median run, "
        "the last column every run's messages/s.",
        "",
        "| messages | import s | messages/s | CPU s | messages/CPU s | peak RSS MiB "
        "| closing s | re-import s (all duplicates) | re-import messages/s | peak RSS MiB "
        "| all runs, messages/s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for run in report["runs"]:
        first, again = run["first"], run["again"]
        every = ", ".join(f"{speed:,}" for speed in run["first_messages_per_second_all_runs"])
        lines.append(
            f"| {run['messages']:,} | {first['seconds']} | {first['messages_per_second']:,} "
            f"| {first['cpu_seconds']} | {first['messages_per_cpu_second']:,} "
            f"| {first['peak_rss_kib'] / 1024:.0f} | {first['close_seconds']} | {again['seconds']} "
            f"| {again['messages_per_second']:,} | {again['peak_rss_kib'] / 1024:.0f} | {every} |"
        )
    lines += [
        "",
        "Seconds and peak memory (`resource.getrusage`, the whole process including Django) "
        "are measured inside the import process, from the start of the import to its summary. "
        "CPU s is that process's CPU time (SQLite works inside it; PostgreSQL's own work is "
        "not counted); on a busy machine it is the steadier figure. Closing s: closing the "
        "database connection after the summary, when everything is committed; on SQLite "
        "that copies the write-ahead log into the database file (a checkpoint), which is "
        "not in the import's seconds, as PostgreSQL's later checkpoints are not.",
        "",
    ]
    return "\n".join(lines)
