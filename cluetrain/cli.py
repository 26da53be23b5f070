"""`cluetrain`: the one command line. Every Django management command works through it.

Cluetrain's own commands: serve, demo, worker, ...; with the lab installed (lab/README.md) also
eval, bench and the other bench_* commands (see `cluetrain help`).
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluetrain.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "cluetrain"
    execute_from_command_line(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
