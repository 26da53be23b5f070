"""`cluetrain import FORMAT PATH`: import outside conversations (docs/import.md)."""

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django_tasks import task_backends
from django_tasks.backends.immediate import ImmediateBackend

from cluetrain.imports.loader import BATCH_SIZE
from cluetrain.imports.records import RowError
from cluetrain.imports.run import FORMATS, run_import
from cluetrain.listening.tasks import listen_after_commit, read_pending


class Command(BaseCommand):
    help = (
        "Import messages from outside (jsonl, twcs, feed, reviews). Prints one JSON line: "
        '{"read", "imported", "duplicates", "errors"}; bad rows go to stderr with their line.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=sorted(FORMATS))
        parser.add_argument("path", type=Path, help="the file; .gz is read transparently")
        parser.add_argument("--source", help="source name (default depends on the format)")
        parser.add_argument("--errors", type=Path, help="also write bad rows to this file")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        # For `cluetrain bench_import`: seconds and peak memory as JSON in this file.
        parser.add_argument("--stats", type=Path, help=argparse.SUPPRESS)
        # For the kill -9 test: SIGKILL itself inside batch N's transaction.
        parser.add_argument("--kill-in-batch", type=int, help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        errors_file: TextIO | None = None
        if options["errors"]:
            errors_file = options["errors"].open("w", encoding="utf-8")

        def report(error: RowError) -> None:
            print(error, file=sys.stderr)  # noqa: T201 - errors belong on stderr
            if errors_file is not None:
                errors_file.write(f"{error}\n")

        started = time.perf_counter()
        cpu_started = time.process_time()
        try:
            summary = run_import(
                options["format"],
                path,
                on_error=report,
                source=options["source"],
                progress=options["verbosity"] > 0,
                batch_size=options["batch_size"],
                kill_in_batch=options["kill_in_batch"],
            )
        finally:
            if errors_file is not None:
                errors_file.close()
        if options["stats"]:
            stats = {
                "seconds": time.perf_counter() - started,
                "cpu_seconds": time.process_time() - cpu_started,
                "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                **summary.as_dict(),
            }
            # Everything is committed above. Closing the connection lets SQLite copy the
            # write-ahead log into the database file (a checkpoint; PostgreSQL does its own
            # later): timed apart, reported beside the import's seconds.
            closing = time.perf_counter()
            if not connection.in_atomic_block:  # a caller's transaction (tests) stays open
                connection.close()
            stats["close_seconds"] = time.perf_counter() - closing
            options["stats"].write_text(json.dumps(stats))
        self.stdout.write(json.dumps(summary.as_dict()))
        # Listening reads what came in: in the worker when there is one; else here, which takes
        # minutes for a large file, so under a progress bar (stderr; stdout keeps its one line).
        if not settings.LISTENING_ENRICH:
            return
        if isinstance(task_backends["default"], ImmediateBackend):
            self.stdout.flush()
            label = "Reading the messages" if options["verbosity"] > 0 else None
            transaction.on_commit(lambda: read_pending(progress_label=label))
        else:
            listen_after_commit()
