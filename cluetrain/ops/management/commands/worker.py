import logging
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME

from cluetrain.ops.worker import ResilientWorker


class Command(BaseCommand):
    help = (
        "Run the background worker: claims queued tasks from the database and runs them, "
        "riding out database outages (docs/queuing.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="exit when the queue is empty")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.TASK_BACKEND != "database":
            raise CommandError(
                "The worker runs tasks queued in the database: set TASK_BACKEND=database for both "
                "the web server and the worker (the default, 'immediate', runs tasks in-process)."
            )
        if options["interval"] < 0:
            raise CommandError("--interval must be zero or more seconds.")
        self._set_log_levels(options["verbosity"])
        worker = ResilientWorker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME],
            interval=options["interval"],
            batch=options["batch"],
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=not options["batch"],
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        worker.configure_signals()
        worker.run()

    def _set_log_levels(self, verbosity: int) -> None:
        # LOGGING's root handler prints; these loggers say what the worker does.
        level = {0: logging.CRITICAL, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        for name in ("django_tasks", "django_tasks_db", "cluetrain.worker"):
            logging.getLogger(name).setLevel(level)
