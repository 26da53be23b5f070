"""Summary statistics for load-test samples: throughput and latency percentiles."""

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass


def percentile(values: Sequence[float], pct: float) -> float:
    """The `pct`-th percentile (0-100) of `values`, interpolating linearly between ranks.

    Same definition as numpy's default ("linear"); one sample is its own every percentile.
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= pct <= 100:
        raise ValueError(f"percentile must be between 0 and 100, not {pct}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class PageResult:
    page: str
    db: str
    clients: int
    requests: int
    rps: float
    p50_ms: float | None  # None when no request completed
    p95_ms: float | None
    p99_ms: float | None
    errors: int

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def summarize(
    page: str, db: str, clients: int, latencies_s: Sequence[float], errors: int, duration_s: float
) -> PageResult:
    """Requests/s over the measured window and latency percentiles in milliseconds.

    Every completed request counts towards throughput and latency, failed ones too (they are
    also counted in `errors`), so a page that fails fast cannot look fast.
    """
    if duration_s <= 0:
        raise ValueError("duration must be positive")
    ms = [s * 1000 for s in latencies_s]

    def pct(p: float) -> float | None:
        return round(percentile(ms, p), 2) if ms else None

    return PageResult(
        page=page,
        db=db,
        clients=clients,
        requests=len(ms),
        rps=round(len(ms) / duration_s, 1),
        p50_ms=pct(50),
        p95_ms=pct(95),
        p99_ms=pct(99),
        errors=errors,
    )
