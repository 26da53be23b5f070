from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cluetrain.exports.instance import ExportError, import_instance


class Command(BaseCommand):
    help = "Load an export made by `cluetrain export` into this empty, migrated instance."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="the directory `cluetrain export` wrote")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = import_instance(options["directory"])
        except ExportError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Imported {summary.rows} rows of {summary.models} models.")
