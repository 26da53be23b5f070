from typing import Any

from django.core.management.base import BaseCommand

from cluetrain.reputation.compute import refresh_reputation
from cluetrain.reputation.models import FlaggedAccount


class Command(BaseCommand):
    help = "Recompute every member's and organization's reputation, with the defences."

    def handle(self, *args: Any, **options: Any) -> None:
        rated = refresh_reputation()
        flagged = FlaggedAccount.objects.count()
        self.stdout.write(f"{rated} parties rated, {flagged} accounts flagged as coordinated")
