"""`python -m cluetrain_lab.load`: run the locust scenario headless, then print its summary.

The last line on stdout is one JSON object with exactly the keys requests, failures, rps,
p50_ms, p95_ms, p99_ms; the file named by --report holds them with the detail per kind.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

from cluetrain_lab.load import report

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cluetrain_lab.load", description=__doc__)
    parser.add_argument(
        "--host", required=True, help="the running site, e.g. http://127.0.0.1:8765"
    )
    parser.add_argument("--users", type=int, default=20, help="simulated members (default 20)")
    parser.add_argument("--spawn-rate", type=float, default=2.0, help="members started per second")
    parser.add_argument("--seconds", type=int, default=600, help="how long (default 600)")
    parser.add_argument("--report", type=Path, required=True, help="JSON file to write")
    parser.add_argument("--database", default="", help="sqlite or postgresql, for the report")
    args = parser.parse_args(argv)
    command = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary",
        "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.seconds}s",
        "--stop-timeout", "10", "--host", args.host,
        "--report", str(args.report), "--database", args.database,
    ]  # fmt: skip
    finished = subprocess.run(command, check=False)  # noqa: S603 - our own argv, no shell
    if not args.report.exists():
        sys.stderr.write(f"locust wrote no report (exit {finished.returncode})\n")
        return finished.returncode or 1
    content = json.loads(args.report.read_text(encoding="utf-8"))
    sys.stdout.write(json.dumps({key: content[key] for key in report.SUMMARY_KEYS}) + "\n")
    sys.stdout.flush()
    return 0 if content["failures"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
