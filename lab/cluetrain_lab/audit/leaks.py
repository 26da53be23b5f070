"""Whether any audit message is in TweetEval's training text: the audit set must be unseen by
every model it measures. A check on data that is not in the repository, so a command:

    python -m cluetrain_lab.audit.leaks --tweeteval ../shared/data/tweeteval

prints one JSON line: ``audit`` (messages), ``training_lines`` and ``found`` (audit messages
that a training file holds, compared as lower-cased words), and exits 1 when ``found`` > 0.
"""

import argparse
import gzip
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from cluetrain_lab.audit.evaluate import AUDIT_PATH, read_audit


def normal(text: str) -> str:
    """Lower-cased words only: a copy with other punctuation or spacing still matches."""
    return " ".join(re.sub(r"[^\w+]+", " ", text.lower()).split())


def training_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/train_text*.txt*"))


def found_in(audit: Iterable[str], files: Iterable[Path]) -> tuple[set[str], int]:
    """The audit texts (normalised) that the files hold as a line, and how many lines were read."""
    trained: set[str] = set()
    for path in files:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            trained.update(normal(line) for line in handle)
    return {normal(text) for text in audit} & trained, len(trained)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tweeteval", type=Path, required=True, help="TweetEval's folder")
    parser.add_argument("--audit", type=Path, default=AUDIT_PATH, help="the audit set (JSONL)")
    args = parser.parse_args(argv)
    files = training_files(args.tweeteval)
    if not files:
        parser.error(f"no */train_text*.txt files under {args.tweeteval}")
    audit = [message.text for message in read_audit(args.audit)]
    found, lines = found_in(audit, files)
    summary = {"audit": len(audit), "training_lines": lines, "found": len(found)}
    sys.stdout.write(json.dumps(summary) + "\n")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
