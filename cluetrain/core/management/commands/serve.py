import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Apply migrations and serve Cluetrain with gunicorn (a production WSGI server)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("CLUETRAIN_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument("--no-migrate", action="store_true", help="skip `migrate`")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"Cluetrain is running at {url}"))
        self.stdout.write(f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
        self.stdout.write("Press Ctrl+C to stop.")
        self.stdout.flush()
        command = [
            sys.executable, "-m", "gunicorn", "cluetrain.wsgi:application",
            "--bind", f"{options['host']}:{options['port']}",
            "--workers", str(options["workers"]),
            "--threads", str(options["threads"]),
            "--worker-class", "gthread",
            "--access-logfile", "-" if settings.DEBUG else "/dev/null",
            "--log-level", "warning",
        ]  # fmt: skip
        try:
            subprocess.run(command, check=True)  # noqa: S603 - our own argv, no shell
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
