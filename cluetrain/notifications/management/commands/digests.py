"""`cluetrain digests`: e-mail the daily and weekly digests of the last complete period.

Run it from cron (docs/notifications.md), e.g. every hour: each member's digest for a period
is sent once however often it runs, so a missed or repeated run does no harm.
"""

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from tqdm import tqdm

from cluetrain.notifications import emails
from cluetrain.notifications.mailing import do_send_digest
from cluetrain.notifications.models import Frequency


class Command(BaseCommand):
    help = "E-mail the digests of the last complete day and week (each period sent once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--frequency",
            choices=[Frequency.DAILY, Frequency.WEEKLY],
            action="append",
            help="only this digest (daily or weekly; both by default)",
        )
        parser.add_argument(
            "--now", help="pretend it is this time (ISO 8601), e.g. to send a missed period"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["now"]:
            parsed = parse_datetime(options["now"])
            if parsed is None:
                raise CommandError(f"--now must be an ISO 8601 time, not {options['now']!r}.")
            now = parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
        for frequency in options["frequency"] or [Frequency.DAILY, Frequency.WEEKLY]:
            self._send(frequency, now)

    def _send(self, frequency: str, now: datetime) -> None:
        start, end = emails.period_bounds(frequency, now)
        recipients = emails.digest_recipients(frequency).order_by("pk")
        sent = 0
        total = recipients.count()
        for member in tqdm(
            recipients.iterator(), total=total, desc=f"{frequency} digests", disable=total < 50
        ):
            if do_send_digest(member, frequency, start, end):
                sent += 1
        self.stdout.write(
            f"{frequency} digest for {start:%Y-%m-%d} to {end:%Y-%m-%d}: "
            f"{sent} sent, {total} members checked."
        )
