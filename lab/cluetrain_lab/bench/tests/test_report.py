import pytest
from django.core.management import CommandError, call_command

from cluetrain_lab.bench.stats import summarize
from cluetrain_lab.management.commands.bench import _markdown

MACHINE: dict[str, object] = {
    "date": "2026-11-23 18:00 UTC",
    "cores": 2,
    "cpu": "Test CPU",
    "os": "Linux",
    "python": "3.11.7",
    "django": "5.2",
    "database": "sqlite 3.40.1",
    "gunicorn": "23.0.0",
    "gunicorn_workers": 2,
    "gunicorn_threads": 4,
    "clients": 50,
    "load_processes": 1,
    "warmup_s": 3.0,
    "duration_s": 20.0,
    "load_average_before": 0.5,
    "load_average_after": 2.0,
}


def test_markdown_table_and_goals() -> None:
    thread = summarize("thread", "sqlite", 50, [0.040] * 96 + [0.060] * 4, 0, duration_s=0.1)
    bare = summarize("bare", "sqlite", 50, [0.010] * 150, 0, duration_s=0.1)
    text = _markdown(
        "sqlite",
        MACHINE,
        [(thread, "/t/7/", 38_000, 20, []), (bare, "/bench/bare/", 2, 97, [])],
    )
    assert "| thread | `/t/7/` | 37 | 1000.0 | 40.0 | 40.0 | 60.0 | 0 | 20% |" in text
    assert "| bare | `/bench/bare/` | 0 | 1500.0 | 10.0 | 10.0 | 10.0 | 0 | 97% |" in text
    assert "- Thread page p95 40.0 ms, goal ≤ 50 ms: met." in text
    assert "- Thread page throughput 67% of the bare view's, goal ≥ 50%: met." in text
    assert "layout alone" not in text  # not measured in this run


def test_markdown_puts_the_layout_beside_the_bare_view() -> None:
    layout = summarize("layout", "sqlite", 50, [0.020] * 60, 0, duration_s=0.1)
    bare = summarize("bare", "sqlite", 50, [0.010] * 150, 0, duration_s=0.1)
    text = _markdown(
        "sqlite", MACHINE, [(layout, "/bench/layout/", 9_000, 20, []), (bare, "/b/", 2, 97, [])]
    )
    assert "reaches 40% of the bare view's throughput" in text


def test_markdown_says_when_goals_are_missed() -> None:
    thread = summarize("thread", "postgres", 50, [0.900] * 10, 2, duration_s=1.0)
    bare = summarize("bare", "postgres", 50, [0.010] * 100, 0, duration_s=1.0)
    text = _markdown("postgres", MACHINE, [(thread, "/t/7/", 1, 10, []), (bare, "/b/", 1, 90, [])])
    assert "goal ≤ 50 ms: NOT met." in text
    assert "Thread page throughput 10% of the bare view's, goal ≥ 50%: NOT met." in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pages", "feed,nope"], "unknown page(s) ['nope']"),
        (["--clients", "0"], "--clients must be ≥ 1"),
    ],
)
def test_bench_web_refuses_bad_options_before_starting_anything(
    args: list[str], message: str
) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("bench", "web", *args)
    assert message in str(refused.value)
