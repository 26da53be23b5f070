"""`cluetrain train_text`: train the fast text tier and write it with its training report."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cluetrain_analytics.text.fast import MODEL_PATH
from cluetrain_analytics.text.training import train_from_folder


class Command(BaseCommand):
    help = "Train the fast sentiment/emotion/irony/offensive classifiers on TweetEval train splits."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data", required=True, help="the tweeteval folder (one per task)")
        parser.add_argument("--out", default=str(MODEL_PATH.parent), help="where to write")
        parser.add_argument("--seed", type=int, default=42)

    def handle(self, *args: Any, **options: Any) -> None:
        data = Path(options["data"])
        if not data.is_dir():
            raise CommandError(f"{data} is not a folder")
        report = train_from_folder(
            data, options["out"], random_state=options["seed"], log=self.stdout.write
        )
        self.stdout.write(f"wrote {report['model']} ({report['size_bytes'] / 1e6:.1f} MB)")
