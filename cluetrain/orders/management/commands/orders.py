"""`cluetrain orders resolve`: the daily resolution of open orders, by hand or from cron.

    # crontab: every day at 06:00
    0 6 * * * cd /srv/cluetrain && .venv/bin/cluetrain orders resolve

`--enqueue` queues it for the worker instead of running it here (docs/orders.md).
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cluetrain.orders.resolution import resolve_due
from cluetrain.orders.tasks import resolve_orders


class Command(BaseCommand):
    help = "Order routing. `resolve`: give every open order whose window closed to a retailer."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        resolve = actions.add_parser("resolve", help="resolve every due order now")
        resolve.add_argument(
            "--enqueue", action="store_true", help="queue it for the worker instead"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            resolve_orders.enqueue()
            self.stdout.write("Queued the resolution for the worker.")
            return
        run = resolve_due()
        seconds = (run.finished_at - run.started_at).total_seconds() if run.finished_at else 0.0
        self.stdout.write(
            json.dumps(
                {
                    "resolution": run.pk,
                    "orders": run.orders,
                    "to_retailers": run.to_retailers,
                    "to_manufacturer": run.to_manufacturer,
                    "seconds": round(seconds, 3),
                }
            )
        )
