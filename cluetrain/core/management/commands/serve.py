import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Apply migrations and serve Cluetrain with gunicorn (a production WSGI server), "
        "with a background worker beside it: one command, no other service."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("CLUETRAIN_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument("--no-migrate", action="store_true", help="skip `migrate`")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start a task worker (when `cluetrain worker` runs elsewhere)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        # Static files are served by WhiteNoise from STATIC_ROOT, collected fresh each start.
        call_command("collectstatic", interactive=False, verbosity=0)

        # The web processes queue tasks in the database and a worker runs them, so a slow task
        # (a webhook to a slow endpoint, say) never holds up a page. TASK_BACKEND=immediate
        # in the environment keeps them in the request instead.
        env = {**os.environ, "TASK_BACKEND": os.environ.get("TASK_BACKEND", "database")}
        run_worker = env["TASK_BACKEND"] == "database" and not options["no_worker"]

        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"Cluetrain is running at {url}"))
        self.stdout.write(f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
        self.stdout.write(
            "Background tasks: " + ("a worker beside the server" if run_worker else "in-request")
        )
        self.stdout.write("Press Ctrl+C to stop.")
        self.stdout.flush()
        server = [
            sys.executable, "-m", "gunicorn", "cluetrain.wsgi:application",
            "--bind", f"{options['host']}:{options['port']}",
            "--workers", str(options["workers"]),
            "--threads", str(options["threads"]),
            "--worker-class", "gthread",
            "--access-logfile", "-" if settings.DEBUG else "/dev/null",
            "--log-level", "warning",
        ]  # fmt: skip
        # SIGTERM (a service manager stopping us) unwinds like Ctrl+C, so the children stop too.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        children = [subprocess.Popen(server, env=env)]  # noqa: S603 - our own argv, no shell
        if run_worker:
            worker = [sys.executable, "-m", "cluetrain.cli", "worker"]
            children.append(subprocess.Popen(worker, env=env))  # noqa: S603 - our own argv
        try:
            children[0].wait()
        except KeyboardInterrupt:
            self.stdout.write("Stopping.")
        finally:
            for child in children:
                child.terminate()
            for child in children:
                child.wait(timeout=30)
