from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cluetrain.ops.backups import BackupError, backup_database


class Command(BaseCommand):
    help = (
        "Back up the whole database into DIR while the site runs (SQLite's backup API or "
        "pg_dump); see docs/backups.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="a new or empty directory")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            info = backup_database(options["directory"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backed up the {info['database_vendor']} database to "
            f"{options['directory'] / info['file']} ({info['bytes']:,} bytes)."
        )
