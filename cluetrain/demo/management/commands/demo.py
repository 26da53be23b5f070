"""`cluetrain demo`: fill the database with the Lumen Home demo community."""

import os
import time
from collections.abc import Callable
from contextlib import ExitStack
from io import StringIO
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.test.utils import override_settings
from tqdm import tqdm

from cluetrain.blogs.demo import plant_blogs
from cluetrain.demo.generate import (
    DEFAULT_MEMBERS,
    DEFAULT_PASSWORD,
    DEFAULT_POSTS,
    DEFAULT_SEED,
    DEMO_EMAIL_DOMAIN,
    delete_demo,
    demo_exists,
    demo_logins,
    generate,
)
from cluetrain.ideas.demo import plant_duplicates_and_decisions
from cluetrain.influence.demo import plant_complaint_cascade
from cluetrain.intents.demo import plant_requests
from cluetrain.jams.demo import plant_jams
from cluetrain.listening.queries import listening_summary
from cluetrain.listening.rollup import prune_empty_issues
from cluetrain.moderation.demo import plant_held_reviews
from cluetrain.orders.demo import plant_orders
from cluetrain.partners.demo import plant_partner_network
from cluetrain.reputation.demo import plant_vote_ring

CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"
FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"

P = ParamSpec("P")
T = TypeVar("T")


class Command(BaseCommand):
    _logins: list[str]
    help = "Create a demo community (Lumen Home): members, spaces, a year of posts, reviews, ideas."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (42)")
        parser.add_argument(
            "--members", type=int, default=DEFAULT_MEMBERS, help="how many members (1000)"
        )
        parser.add_argument(
            "--posts", type=int, default=DEFAULT_POSTS, help="at least this many posts (10000)"
        )
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"password of every demo member ({DEFAULT_PASSWORD!r})",
        )
        parser.add_argument(
            "--reset", action="store_true", help="delete the demo's rows first, then recreate"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_exists():
            if not options["reset"]:
                self.stdout.write(
                    "The demo community is already there; nothing to do. "
                    "Use `cluetrain demo --reset` to recreate it."
                )
                # A second run of scripts/demo said nothing of how to log in.
                self._say_where_to_log_in(demo_logins(), options["password"])
                return
            self.stdout.write("Deleting the existing demo community…")
            delete_demo()
            prune_empty_issues()
        started = time.monotonic()
        wall_start = time.time() - 1  # file times have a coarse clock on some file systems
        with ExitStack() as stack:
            # The development default prints every e-mail on the console: the demo's alert
            # e-mails go to files in the data folder instead, and one line says so.
            mail_dir = None
            if settings.EMAIL_BACKEND == CONSOLE_BACKEND:
                mail_dir = Path(settings.DATA_DIR) / "demo-mail"
                stack.enter_context(
                    override_settings(EMAIL_BACKEND=FILE_BACKEND, EMAIL_FILE_PATH=str(mail_dir))
                )
            self._build(options, started)
            if mail_dir is not None:
                sent = _messages_written(mail_dir, since=wall_start)
                self.stdout.write(f"{sent} e-mails (alerts to staff) written to {mail_dir}/.")
        self._say_where_to_log_in(self._logins, options["password"])

    def _say_where_to_log_in(self, logins: list[str], password: str) -> None:
        host = os.environ.get("CLUETRAIN_HOST", "127.0.0.1")
        port = os.environ.get("PORT", "8000")
        self.stdout.write(
            "\nTo see it, serve it with `cluetrain serve` (scripts/demo does next): "
            f"http://{host}:{port}/ (with --host or --port, the address the server prints)."
        )
        if logins:
            self.stdout.write(f"Log in as any of: {', '.join(logins)}")
            self.stdout.write(f"Password: {password}")
        else:
            self.stdout.write(
                "The usual demo usernames were taken; every demo member's password is "
                f"{password!r}."
            )

    def _build(self, options: dict[str, Any], started: float) -> None:
        summary = generate(
            seed=options["seed"],
            members=options["members"],
            posts=options["posts"],
            password=options["password"],
            progress=options["verbosity"] > 0,
        )
        # Listening reads the whole community now, so its dashboards are full on first start.
        call_command("listen", "--refit", no_progress=options["verbosity"] == 0, stdout=StringIO())
        # Then who is heard, and a fresh complaint that spreads: the alert inbox has one to act on.
        call_command("influence", no_progress=options["verbosity"] == 0, stdout=StringIO())
        # The planted stories take about as long as everything above: a bar says which runs.
        stories = tqdm(
            total=10,
            desc="Stories".ljust(14),
            unit="step",
            disable=options["verbosity"] == 0,
            bar_format="{desc}: {n_fmt}/{total_fmt}{postfix}",
        )
        with stories:
            _thread, alert = _story(stories, "a spreading complaint", plant_complaint_cascade)
            # Relationships from everything above (replies, answers, reviews, connections,
            # what listening read), then reputation through its defences.
            relationships = StringIO()
            ring_target = _story(stories, "a vote ring", plant_vote_ring, DEMO_EMAIL_DOMAIN)
            requests_line = _story(stories, "personal requests", plant_requests, DEMO_EMAIL_DOMAIN)
            # Jams first: a reset leaves the last run's jam spaces until plant_jams clears them.
            jams_line = _story(stories, "idea jams", plant_jams, DEMO_EMAIL_DOMAIN)
            ideas_line = _story(
                stories, "duplicate ideas", plant_duplicates_and_decisions, DEMO_EMAIL_DOMAIN
            )
            partners_line = _story(
                stories, "the partner network", plant_partner_network, DEMO_EMAIL_DOMAIN
            )
            orders_line = _story(
                stories, "orders", plant_orders, DEMO_EMAIL_DOMAIN, options["password"]
            )
            blogs_line = _story(stories, "blogs", plant_blogs, DEMO_EMAIL_DOMAIN)
            _story(stories, "relationships", call_command, "relationships", stdout=relationships)
            _story(stories, "reputation", call_command, "reputation", stdout=relationships)
            stories.set_postfix_str("done")
        listened = listening_summary()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo community ready in {elapsed:.0f} s: {summary.members:,} members, "
                f"{summary.threads:,} threads, {summary.posts:,} posts, "
                f"{summary.reviews:,} reviews, {summary.ideas:,} ideas "
                f"({summary.votes:,} votes), {summary.follows:,} follows, "
                f"{summary.reactions:,} reactions."
            )
        )
        self.stdout.write(
            f"Listening read {listened['messages']:,} messages: {listened['topics']} topics, "
            f"{listened['issues']} root issues (staff: /listening/)."
        )
        if alert is not None:
            self.stdout.write(
                f"A spreading complaint raised an alert (staff: /alerts/{alert.pk}/)."
            )
        for line in relationships.getvalue().splitlines():
            self.stdout.write(f"{line[:1].upper()}{line[1:]}.")
        if ring_target is not None:
            self.stdout.write(
                f"A planted vote ring tried to sink {ring_target.name}: see who the defences "
                "flagged (staff: /reputation/flagged/) and the relationship map "
                "(/relationships/map/)."
            )
        if ideas_line is not None:
            self.stdout.write(f"{ideas_line[:1].upper()}{ideas_line[1:]}.")
        self.stdout.write(f"{plant_held_reviews(DEMO_EMAIL_DOMAIN)}.")
        self.stdout.write(f"{requests_line[:1].upper()}{requests_line[1:]}.")
        self.stdout.write(jams_line)
        self.stdout.write(partners_line)
        self.stdout.write(blogs_line)
        self.stdout.write(f"{orders_line[:1].upper()}{orders_line[1:]}.")
        self._logins = list(summary.logins)


def _story(
    stories: "tqdm[Any]",
    what: str,
    plant: Callable[P, T],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """Plant one story, the progress bar saying which."""
    stories.set_postfix_str(what)
    result = plant(*args, **kwargs)
    stories.update()
    return result


def _messages_written(folder: Path, *, since: float) -> int:
    """How many e-mails the file backend wrote in `folder` since `since` (a timestamp)."""
    if not folder.is_dir():
        return 0
    return sum(
        path.read_text(encoding="utf-8", errors="replace").count("\nMessage-ID: ")
        for path in folder.iterdir()
        if path.is_file() and path.stat().st_mtime >= since
    )
