"""`cluetrain influence`: recompute every member's influence now, with a progress bar."""

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from cluetrain.influence.forecaster import refit_forecaster
from cluetrain.influence.scores import compute_influence, count_topics


def _tick(bar: "tqdm[Any]", n: int) -> None:
    bar.update(n)


class Command(BaseCommand):
    help = (
        "Recompute who is heard, globally and per learned topic, with roles and stance, and "
        "replace the stored scores in one transaction; refit the spread forecaster on the "
        "community's finished threads. Prints a JSON summary."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        with tqdm(
            total=1 + count_topics(),
            unit="scope",
            desc="Influence",
            disable=options["no_progress"],
            file=sys.stderr,
        ) as bar:
            summary = compute_influence(progress=lambda n: _tick(bar, n))
        taught = refit_forecaster()
        self.stdout.write(
            json.dumps(
                {
                    "members": summary.members,
                    "interactions": summary.interactions,
                    "topics": summary.topics,
                    "rows": summary.rows,
                    "forecaster_threads": taught,
                }
            )
        )
