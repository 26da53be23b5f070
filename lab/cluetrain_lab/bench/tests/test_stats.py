import pytest

from cluetrain_lab.bench.stats import percentile, summarize


def test_percentile_interpolates_between_ranks() -> None:
    values = [40.0, 10.0, 30.0, 20.0]  # unsorted on purpose
    assert percentile(values, 0) == 10.0
    assert percentile(values, 50) == 25.0
    assert percentile(values, 100) == 40.0
    assert percentile(values, 95) == pytest.approx(38.5)


def test_percentile_of_one_sample_is_that_sample() -> None:
    assert percentile([7.0], 99) == 7.0


def test_percentile_matches_the_usual_p99_of_1_to_100() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 99) == pytest.approx(99.01)
    assert percentile(values, 50) == pytest.approx(50.5)


@pytest.mark.parametrize("pct", [-1, 101])
def test_percentile_refuses_out_of_range(pct: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 100"):
        percentile([1.0], pct)


def test_percentile_refuses_no_values() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)


def test_summarize_reports_rps_and_milliseconds() -> None:
    latencies_s = [0.010] * 90 + [0.100] * 10
    result = summarize("thread", "sqlite", 50, latencies_s, errors=3, duration_s=4.0)
    assert result.as_dict() == {
        "page": "thread",
        "db": "sqlite",
        "clients": 50,
        "requests": 100,
        "rps": 25.0,
        "p50_ms": 10.0,
        "p95_ms": 100.0,
        "p99_ms": 100.0,
        "errors": 3,
    }


def test_summarize_with_no_completed_request_has_no_percentiles() -> None:
    result = summarize("feed", "postgres", 50, [], errors=0, duration_s=1.0)
    assert (result.requests, result.rps, result.p50_ms, result.p99_ms) == (0, 0.0, None, None)
