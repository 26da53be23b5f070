"""The load test's report: the summary line's keys, refusals kept apart from failures."""

import json
from pathlib import Path

from cluetrain_lab.load import report


def test_summary_has_exactly_the_keys_and_rounds() -> None:
    line = report.summary(1200, 3, 2.004, {0.50: 110.04, 0.95: 950.0, 0.99: 2100.26})
    assert line == {
        "requests": 1200,
        "failures": 3,
        "rps": 2.0,
        "p50_ms": 110.0,
        "p95_ms": 950.0,
        "p99_ms": 2100.3,
    }
    assert tuple(line) == report.SUMMARY_KEYS


def test_the_file_holds_each_kind_with_its_refusals_and_a_markdown_twin(tmp_path: Path) -> None:
    kinds = [
        report.KindStats("reply: post", 10, 0, 200.0, 400.0, 500.0, 600.0, 0.1, refused=2),
        report.KindStats(
            "page: home", 90, 1, 80.0, 300.0, 900.0, 1200.0, 1.5, errors={"HTTP 500": 1}
        ),
    ]
    line = report.summary(100, 1, 1.6, {0.50: 90.0, 0.95: 350.0, 0.99: 900.0})
    run = {"database": "sqlite", "users": 5, "seconds": 60, "load_before": [1.0, 1.0, 1.0]}
    content = report.detail(line, kinds, run=run)
    report.write(tmp_path / "load.json", content)
    written = json.loads((tmp_path / "load.json").read_text(encoding="utf-8"))
    assert list(written["kinds"]) == ["page: home", "reply: post"]
    assert written["kinds"]["reply: post"]["refused"] == 2
    assert written["kinds"]["reply: post"]["failures"] == 0
    assert written["kinds"]["page: home"]["errors"] == {"HTTP 500": 1}
    markdown = (tmp_path / "load.md").read_text(encoding="utf-8")
    assert "| reply: post | 10 | 0 | 2 | 200.0 | 400.0 | 500.0 |" in markdown
    assert "**100 requests, 1 failures" in markdown
