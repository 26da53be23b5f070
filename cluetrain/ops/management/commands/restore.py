from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cluetrain.ops.backups import BackupError, restore_database


class Command(BaseCommand):
    help = "Restore the database from a backup made by `cluetrain backup DIR`; see docs/backups.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="a directory written by `backup`")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace a database that has content (stop the server and workers first)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            info = restore_database(options["directory"], replace=options["replace"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored the {info['database_vendor']} database from the backup made "
            f"{info['created_at']}. Run `cluetrain migrate` if this Cluetrain is newer."
        )
