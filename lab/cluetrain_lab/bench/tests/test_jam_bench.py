import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cluetrain_lab.bench.jam import p95


def test_p95_takes_the_95th_percentile() -> None:
    assert p95([]) == 0.0
    assert p95([float(n) for n in range(1, 101)]) == 95.0


def test_the_jam_bench_runs_at_a_tiny_scale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command(
        "bench",
        "jam",
        "--participants=30",
        "--posts=40",
        "--measured=6",
        "--rate=600",
        "--clients=2",
        "--page-rate=5",
        "--drain=90",
        f"--out={tmp_path}",
    )
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(line) == {
        "posts",
        "post_p95_ms",
        "page_p95_ms",
        "theme_delay_p95_s",
        "worker_peak_mib",
    }
    assert line["posts"] == 40
    assert line["post_p95_ms"] > 0
    assert line["page_p95_ms"] > 0
    assert 0 <= line["theme_delay_p95_s"] < 90  # every measured post found its theme
    assert line["worker_peak_mib"] > 0
    details = json.loads((tmp_path / "jam-sqlite.json").read_text())
    assert details["unthemed"] == 0
    assert details["error_count"] == 0
    assert "bench jam" in (tmp_path / "jam-sqlite.md").read_text()


def test_the_jam_bench_refuses_impossible_scales(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--measured"):
        call_command("bench", "jam", "--posts=5", "--measured=10", f"--out={tmp_path}")
