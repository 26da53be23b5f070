from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Run the background worker: claims queued tasks from the database and runs them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="exit when the queue is empty")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.TASK_BACKEND != "database":
            raise CommandError(
                "The worker runs tasks queued in the database: set TASK_BACKEND=database for both "
                "the web server and the worker (the default, 'immediate', runs tasks in-process)."
            )
        worker_args = ["--interval", str(options["interval"])]
        if options["batch"]:
            worker_args.append("--batch")
        call_command("db_worker", *worker_args)
