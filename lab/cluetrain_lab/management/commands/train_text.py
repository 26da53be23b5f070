"""`cluetrain train_text`: train a text tier and write it with its training report."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cluetrain_analytics.text.fast import MODEL_PATH
from cluetrain_lab.analytics.text.training import TIERS, train_from_folder


class Command(BaseCommand):
    help = (
        "Train the sentiment/emotion/irony/offensive classifiers on TweetEval train splits: "
        "the fast tier (default) or the accurate MiniLM tier (needs the 'accurate' extra)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data", required=True, help="the tweeteval folder (one per task)")
        parser.add_argument("--out", default=str(MODEL_PATH.parent), help="where to write")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--tier", choices=TIERS, default="fast")
        parser.add_argument(
            "--epochs", type=int, default=None, help="accurate tier only: training epochs"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data = Path(options["data"])
        if not data.is_dir():
            raise CommandError(f"{data} is not a folder")
        params = None
        if options["epochs"] is not None:
            if options["tier"] != "accurate" or options["epochs"] < 1:
                raise CommandError("--epochs takes a positive number, with --tier accurate only")
            params = {"epochs": options["epochs"]}
        try:
            report = train_from_folder(
                data,
                options["out"],
                random_state=options["seed"],
                tier=options["tier"],
                params=params,
                log=self.stdout.write,
            )
        except ImportError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"wrote {report['model']} ({report['size_bytes'] / 1e6:.1f} MB)")
