import time
from typing import Any

from django.core.management.base import BaseCommand

from cluetrain.relationships.backfill import rebuild


class Command(BaseCommand):
    help = (
        "Infer every relationship event the community's history holds (replies, answers, "
        "reviews, connections, likes, what listening read) and roll every tie up again. "
        "Safe to run again: nothing is written twice, members' corrections hold."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        added, ties = rebuild()
        seconds = time.perf_counter() - started
        self.stdout.write(f"{added} new relationship events, {ties} ties, in {seconds:.1f} s")
