"""The load test's summary: one JSON line of totals and a file with the detail per kind.

Kept apart from the locustfile (no locust import) so that it can be tested on its own. A
request that the site refused on purpose (429 from a rate limit, 409 from a vote the budget
does not allow) is counted under `refused`, never under `failures`: the scenario checks that
the limits hold, and a limit that answers is the site working.
"""

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

SUMMARY_KEYS = ("requests", "failures", "rps", "p50_ms", "p95_ms", "p99_ms")


@dataclass
class KindStats:
    """What one kind of request (a page, a form, an API operation) did during the run."""

    name: str
    requests: int
    failures: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    rps: float
    refused: int = 0
    errors: dict[str, int] = field(default_factory=dict)


def summary(
    total_requests: int,
    total_failures: int,
    rps: float,
    percentiles_ms: Mapping[float, float],
) -> dict[str, float | int]:
    """The one JSON line the run prints last: exactly SUMMARY_KEYS."""
    return {
        "requests": total_requests,
        "failures": total_failures,
        "rps": round(rps, 2),
        "p50_ms": round(percentiles_ms[0.50], 1),
        "p95_ms": round(percentiles_ms[0.95], 1),
        "p99_ms": round(percentiles_ms[0.99], 1),
    }


def detail(
    line: Mapping[str, float | int],
    kinds: Iterable[KindStats],
    *,
    run: Mapping[str, object],
) -> dict[str, object]:
    """The file's content: the summary, the run's settings and load, and each kind."""
    return {
        **line,
        "run": dict(run),
        "kinds": {
            kind.name: {
                "requests": kind.requests,
                "failures": kind.failures,
                "refused": kind.refused,
                "rps": round(kind.rps, 2),
                "p50_ms": round(kind.p50_ms, 1),
                "p95_ms": round(kind.p95_ms, 1),
                "p99_ms": round(kind.p99_ms, 1),
                "max_ms": round(kind.max_ms, 1),
                "errors": kind.errors,
            }
            for kind in sorted(kinds, key=lambda k: k.name)
        },
    }


def load_average() -> list[float]:
    """The machine's 1, 5 and 15 minute load averages, rounded."""
    return [round(value, 2) for value in os.getloadavg()]


def markdown(content: Mapping[str, object]) -> str:
    """A short Markdown table of the file's content, for benchmarks/load-*.md."""
    run = content["run"]
    assert isinstance(run, Mapping)
    kinds = content["kinds"]
    assert isinstance(kinds, Mapping)
    lines = [
        f"# Load test: {run.get('database', '?')}",
        "",
        f"{run.get('users')} simulated members for {run.get('seconds')} s against "
        f"`cluetrain serve` (gunicorn and its worker) on the demo. Load average before "
        f"{run.get('load_before')}, after {run.get('load_after')} (2 cores shared with other "
        "sessions).",
        "",
        f"**{content['requests']} requests, {content['failures']} failures, "
        f"{content['rps']} requests/s; p50 {content['p50_ms']} ms, p95 {content['p95_ms']} ms, "
        f"p99 {content['p99_ms']} ms.**",
        "",
        "| kind | requests | failures | refused on purpose | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, kind in kinds.items():
        assert isinstance(kind, Mapping)
        lines.append(
            f"| {name} | {kind['requests']} | {kind['failures']} | {kind['refused']} | "
            f"{kind['p50_ms']} | {kind['p95_ms']} | {kind['p99_ms']} |"
        )
    return "\n".join(lines) + "\n"


def write(path: Path, content: Mapping[str, object]) -> None:
    """The JSON file and its Markdown twin (same name, .md)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
    path.with_suffix(".md").write_text(markdown(content), encoding="utf-8")
