from typing import Any

from django.core.management.base import BaseCommand

from cluetrain.webhooks.tasks import deliver_due


class Command(BaseCommand):
    help = "Send every webhook delivery that is due (retries, when tasks run without a worker)."

    def handle(self, *args: Any, **options: Any) -> None:
        tried = deliver_due()
        self.stdout.write(f"Tried {tried} due webhook deliveries.")
