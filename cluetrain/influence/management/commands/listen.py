"""`cluetrain listen`: read every pending message now, with a progress bar, then roll up.

In the influence app because its last step is: the cascades of the threads that got new
messages are updated and alerts raised, as the background task does through MessagesRead.
"""

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from tqdm import tqdm

from cluetrain.influence.alerts import do_raise_alerts
from cluetrain.influence.cascades import threads_enriched_since, track_cascades
from cluetrain.listening.enrichment import count_pending, enrich_pending
from cluetrain.listening.refresh import refresh_models
from cluetrain.listening.rollup import roll_up


class Command(BaseCommand):
    help = (
        "Enrich pending messages (new, or read by an older model) and roll complaints up into "
        "root issues. --refit first relearns product aliases and topics from the community."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--refit", action="store_true", help="relearn aliases and topics from the corpus first"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        summary: dict[str, Any] = {}
        started = timezone.now()
        if options["refit"]:
            fitted = refresh_models()
            summary |= {"corpus": fitted.corpus, "topics": fitted.topics}
        with tqdm(
            total=count_pending(),
            unit="msg",
            desc="Listening",
            disable=options["no_progress"],
            file=sys.stderr,
        ) as bar:
            summary["enriched"] = enrich_pending(progress=bar.update)
        rolled = roll_up()
        # As the background task does: threads that got new messages update their cascades.
        raised = do_raise_alerts(track_cascades(threads_enriched_since(started)))
        summary |= {
            "complaints_considered": rolled.considered,
            "issues_created": rolled.created,
            "issues_reopened": rolled.reopened,
            "alerts_raised": len(raised),
        }
        self.stdout.write(json.dumps(summary))
