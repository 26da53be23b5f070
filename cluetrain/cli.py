"""`cluetrain`: the one command line. Every Django management command works through it.

Cluetrain's own commands: serve, demo, worker, ...; with the lab installed (lab/README.md) also
eval, bench and the other bench_* commands (see `cluetrain help`).
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluetrain.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import OperationalError

    args = list(sys.argv if argv is None else argv)
    args[0] = "cluetrain"
    try:
        execute_from_command_line(args)
    except (ImproperlyConfigured, OperationalError) as error:
        # A setting that cannot be read, or a database that cannot be reached, is the
        # operator's to fix: say what is wrong in a line or two, not in a page of traceback.
        if "--traceback" in args:
            raise
        kind = "configuration" if isinstance(error, ImproperlyConfigured) else "database"
        print(
            f"cluetrain: {kind} error: {str(error).strip()}\n(add --traceback to see where)",
            file=sys.stderr,
        )
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
