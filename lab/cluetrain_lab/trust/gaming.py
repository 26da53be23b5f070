"""`cluetrain eval gaming`: vote rings injected into a real trust graph against the defences.

The JSON line: ``k``; ``genuine_accounts``; for ``bash`` (a ring rates a well-rated target
-10), ``pump`` (a ring rates a poorly rated target +10) and ``patient_bash`` (a ring built to
escape group detection: created over two months, blending in, attacking months later): ``targets``,
``movement_without_defences`` and ``movement_with_defences`` (mean absolute change of the
target's score, on the -1..1 scale), ``movement_cut`` (1 - defended / undefended movement)
``movement_cut_without_group_detection`` (the same with the ring detection off: what the
caps, prior, judging window and rater reliability achieve alone) and ``ring_members_flagged``
(share); ``genuine_flagged`` and ``genuine_flagged_share``
(accounts of the real graph flagged in any run, over all of them).
"""

import argparse
import json
import sys
from pathlib import Path

from cluetrain_analytics.reputation.gaming import gaming_test
from cluetrain_lab.trust.readers import read_bitcoin_rows


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cluetrain eval gaming",
        description="Inject rings of --k fake accounts into the trust graph of --data (SNAP "
        "Bitcoin layout) and report how far targets' reputations move with and without the "
        "defences, and who gets flagged; print one JSON line.",
    )
    parser.add_argument("--data", required=True, type=Path, metavar="PATH")
    parser.add_argument("--k", type=int, default=20, help="fake accounts per ring (default 20)")
    parser.add_argument("--targets", type=int, default=10, help="targets per attack (default 10)")
    parser.add_argument("--seed", type=int, default=0)
    return parser


def run(argv: list[str]) -> int:
    """Parse ``argv``, run the test, print the JSON line; return the exit code."""
    options = _parser().parse_args(argv)
    try:
        rows = read_bitcoin_rows(options.data)
        if not rows:
            raise ValueError(f"{options.data}: no edges")
        result = gaming_test(rows, k=options.k, targets_per_mode=options.targets, seed=options.seed)
    except (OSError, ValueError) as error:
        sys.stderr.write(f"cluetrain eval gaming: {error}\n")
        return 2
    sys.stdout.write(json.dumps(result) + "\n")
    return 0
