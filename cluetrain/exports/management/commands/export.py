from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cluetrain.exports.instance import ExportError, export_instance


class Command(BaseCommand):
    help = "Export the whole instance to DIR: one JSONL file per model and a manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="a new or empty directory")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = export_instance(options["directory"])
        except ExportError as error:
            raise CommandError(str(error)) from None
        rows = sum(entry["rows"] for entry in manifest["files"])
        self.stdout.write(
            f"Exported {rows} rows of {len(manifest['files'])} models to {options['directory']}."
        )
