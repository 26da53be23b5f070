from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cluetrain.members.signin import do_unlock


class Command(BaseCommand):
    help = "Let USERNAME sign in again after too many failed attempts (and ADDRESS, if given)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--address", help="also forget the failures counted for this IP")

    def handle(self, *args: Any, **options: Any) -> None:
        removed = do_unlock(options["username"], address=options["address"])
        if removed:
            self.stdout.write(
                f"Unlocked {options['username']}: their failed attempts are forgotten."
            )
        else:
            self.stdout.write(f"{options['username']} was not locked: no failed attempts counted.")
