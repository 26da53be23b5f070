"""`cluetrain listening retrain`: refit the community's sentiment and emotion heads from the
labels staff checked (a new model in the database; the shipped model is never overwritten)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cluetrain.core.errors import ActionError
from cluetrain.listening.retrain import do_retrain
from cluetrain.listening.tasks import read_pending


class Command(BaseCommand):
    help = (
        "retrain: fit the community's own sentiment and emotion heads over the fast tier from "
        "every label staff corrected or confirmed, report their accuracy on held-out checked "
        "labels beside the shipped model's, then read the messages again with them. "
        "Last line: one JSON object."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        retrain = sub.add_parser("retrain", help="refit the heads from staff's labels")
        retrain.add_argument("--folds", type=int, default=5, help="held-out folds (default 5)")
        retrain.add_argument(
            "--no-read", action="store_true", help="leave the re-reading to the background task"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["folds"] < 2:
            raise CommandError("--folds must be at least 2.")
        try:
            row = do_retrain(folds=options["folds"])
        except ActionError as error:
            raise CommandError(error.message) from None
        read = 0 if options["no_read"] else read_pending(progress_label="Reading again")
        summary = {"model": row.pk, "version": row.version, "read": read, **row.report}
        self.stdout.write(json.dumps(summary))
