import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser, OutputWrapper
from django.db import DatabaseError, connection

from cluetrain.ops.health import stuck_problems

POLL_EVERY = 1.0  # seconds between looks at the children
HEALTH_CHECK_EVERY = 30.0  # seconds between looks at the queue
# A worker that ran this long before exiting was not crash-looping: restart it at once.
STEADY_AFTER = 60.0
RESTART_DELAY_MAX = 60.0


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
        # The port served on, so that links (SITE_URL, when unset) point at it (settings.py).
        env["PORT"] = str(options["port"])
        run_worker = env["TASK_BACKEND"] == "database" and not options["no_worker"]

        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"Cluetrain is running at {url}"))
        self.stdout.write(f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
        self.stdout.write(
            "Background tasks: " + background_tasks_line(env["TASK_BACKEND"], run_worker)
        )
        key_line = generated_key_line(connection.vendor)
        if key_line is not None:
            self.stdout.write(self.style.WARNING(key_line))
        self.stdout.write("Press Ctrl+C to stop.")
        self.stdout.flush()
        server = gunicorn_command(
            options["host"], options["port"], workers=options["workers"], threads=options["threads"]
        )
        # SIGTERM (a service manager stopping us) unwinds like Ctrl+C, so the children stop too.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        server_process = subprocess.Popen(server, env=env)  # noqa: S603 - our own argv, no shell
        worker = Supervised([sys.executable, "-m", "cluetrain.cli", "worker"], env, self.stderr)
        try:
            self._supervise(
                server_process,
                worker if run_worker else None,
                watch_queue=env["TASK_BACKEND"] == "database",
            )
        except KeyboardInterrupt:
            self.stdout.write("Stopping.")
        finally:
            for child in (server_process, worker.process):
                if child is not None:
                    child.terminate()
            for child in (server_process, worker.process):
                if child is not None:
                    child.wait(timeout=30)

    def _supervise(
        self, server: subprocess.Popen[bytes], worker: "Supervised | None", *, watch_queue: bool
    ) -> None:
        """Keep the worker running beside the server, and say so when work is stuck."""
        last_problems: list[str] = []
        next_check = time.monotonic()
        while server.poll() is None:
            if worker is not None:
                worker.keep_running()
            if watch_queue and time.monotonic() >= next_check:
                next_check = time.monotonic() + HEALTH_CHECK_EVERY
                problems = self._queue_problems()
                if problems != last_problems:
                    for problem in problems:
                        self.stderr.write(
                            self.style.WARNING(f"Background work is stuck: {problem}")
                        )
                    if last_problems and not problems:
                        self.stdout.write("Background work is flowing again.")
                    last_problems = problems
            time.sleep(POLL_EVERY)

    def _queue_problems(self) -> list[str]:
        try:
            return [problem.render_in("en") for problem in stuck_problems()]
        except DatabaseError as error:
            return [f"the database cannot be read ({error})."]
        finally:
            # Hold no connection (nor a SQLite read snapshot) between checks.
            connection.close()


def gunicorn_command(host: str, port: int, *, workers: int, threads: int) -> list[str]:
    """The gunicorn that serves the site, its access log where ACCESS_LOG says (stdout)."""
    # An operator reads who asked for what; gunicorn_conf's logger leaves the secrets out.
    where = settings.ACCESS_LOG.strip()
    access_log = [] if where in {"", "off"} else ["--access-logfile", where]
    return [
        sys.executable, "-m", "gunicorn", "cluetrain.wsgi:application",
        "--config", "python:cluetrain.gunicorn_conf",
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        "--threads", str(threads),
        "--worker-class", "gthread",
        *access_log,
        "--log-level", "warning",
    ]  # fmt: skip


def background_tasks_line(task_backend: str, run_worker: bool) -> str:
    """Where tasks run, as the console says at start-up."""
    if task_backend != "database":
        return "in-request"
    if run_worker:
        return "a worker beside the server"
    # --no-worker: tasks are queued all the same, and wait until a worker runs somewhere.
    return "queued in the database for `cluetrain worker` (not started here: --no-worker)"


def generated_key_line(database_vendor: str) -> str | None:
    """Said at start-up when no SECRET_KEY was given (settings._secret_key, ops/checks.py).

    Nothing on SQLite (the zero-config demo): its database is a file on this machine, so no
    second server elsewhere can share it, and the demo's visitor has nothing to set.
    `check --deploy` still warns.
    """
    if not settings.SECRET_KEY_GENERATED or database_vendor == "sqlite":
        return None
    key_file = settings.DATA_DIR / "secret_key"
    return (
        f"Secret key: generated into {key_file}, this machine's alone. Set SECRET_KEY, "
        "the same on every server, before running more than one (docs/settings.md)."
    )


class Supervised:
    """A child process started again whenever it exits, waiting longer after each quick exit."""

    def __init__(self, argv: list[str], env: dict[str, str], log: OutputWrapper) -> None:
        self.argv = argv
        self.env = env
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.started = 0.0
        self.restart_at = 0.0
        self.quick_exits = 0

    def keep_running(self) -> None:
        now = time.monotonic()
        if self.process is not None:
            code = self.process.poll()
            if code is None:
                return
            ran_for = now - self.started
            self.quick_exits = self.quick_exits + 1 if ran_for < STEADY_AFTER else 0
            delay = min(RESTART_DELAY_MAX, 2.0**self.quick_exits) if self.quick_exits else 1.0
            self.log.write(
                f"The background worker stopped (exit code {code}); restarting it in {delay:.0f} s."
            )
            self.process = None
            self.restart_at = now + delay
        if now >= self.restart_at:
            self.process = subprocess.Popen(self.argv, env=self.env)  # noqa: S603 - our own argv
            self.started = now
