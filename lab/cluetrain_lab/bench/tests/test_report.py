from argparse import ArgumentTypeError

import pytest
from django.core.management import CommandError, call_command

from cluetrain_lab.bench.stats import summarize
from cluetrain_lab.management.commands.bench import _client_counts, _markdown

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
    "clients": [10, 50],
    "load_generator": "aiohttp 3.14.5",
    "load_processes": 1,
    "warmup_s": 3.0,
    "duration_s": 20.0,
    "load_average_before": 0.5,
    "load_average_after": 2.0,
}


def test_markdown_table_and_goals() -> None:
    thread = summarize("thread", "sqlite", 10, [0.040] * 96 + [0.060] * 4, 0, duration_s=0.1)
    bare = summarize("bare", "sqlite", 10, [0.010] * 150, 0, duration_s=0.1)
    text = _markdown(
        "sqlite",
        MACHINE,
        [(thread, "/t/7/", 38_000, 20, []), (bare, "/bench/bare/", 2, 97, [])],
        "after",
    )
    assert text.startswith("# `cluetrain bench web --db sqlite --clients 10,50` (after)\n")
    assert "10, 50 closed-loop clients (aiohttp 3.14.5," in text
    assert "| thread | `/t/7/` | 10 | 37 | 1000.0 | 67% | 40.0 | 40.0 | 60.0 | 0 | 20% |" in text
    assert (
        "| bare | `/bench/bare/` | 10 | 0 | 1500.0 | 100% | 10.0 | 10.0 | 10.0 | 0 | 97% |" in text
    )
    assert "- Thread page p95 at 10 clients 40.0 ms, goal ≤ 50 ms: met." in text
    assert "- Thread throughput at 10 clients 67% of the bare view's, goal ≥ 50%: met." in text
    assert "layout alone" not in text  # not measured in this run


def test_markdown_compares_each_page_with_the_bare_view_at_the_same_clients() -> None:
    rows = [
        (summarize("layout", "sqlite", 10, [0.020] * 120, 0, duration_s=0.1), "/l/", 9_000, 20),
        (summarize("bare", "sqlite", 10, [0.010] * 150, 0, duration_s=0.1), "/b/", 2, 97),
        (summarize("layout", "sqlite", 50, [0.020] * 60, 0, duration_s=0.1), "/l/", 9_000, 20),
        (summarize("bare", "sqlite", 50, [0.010] * 150, 0, duration_s=0.1), "/b/", 2, 97),
    ]
    text = _markdown("sqlite", MACHINE, [(*row, []) for row in rows])
    assert "- Layout throughput at 10 clients 80% of the bare view's, goal ≥ 70%: met." in text
    assert "- Layout throughput at 50 clients 40% of the bare view's, goal ≥ 70%: NOT met." in text
    assert "layout alone" in text
    assert "Thread page p95" not in text  # the thread was not measured


def test_markdown_says_when_goals_are_missed() -> None:
    thread = summarize("thread", "postgres", 10, [0.900] * 10, 2, duration_s=1.0)
    bare = summarize("bare", "postgres", 10, [0.010] * 100, 0, duration_s=1.0)
    text = _markdown("postgres", MACHINE, [(thread, "/t/7/", 1, 10, []), (bare, "/b/", 1, 90, [])])
    assert "goal ≤ 50 ms: NOT met." in text
    assert "Thread throughput at 10 clients 10% of the bare view's, goal ≥ 50%: NOT met." in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pages", "feed,nope"], "unknown page(s) ['nope']"),
        (["--duration", "0"], "--duration must be > 0"),
        (["--tag", "../x"], "--tag may hold only"),
    ],
)
def test_bench_web_refuses_bad_options_before_starting_anything(
    args: list[str], message: str
) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("bench", "web", *args)
    assert message in str(refused.value)


@pytest.mark.parametrize(("raw", "counts"), [("50", [50]), ("10,50", [10, 50]), ("1, 2", [1, 2])])
def test_clients_take_one_or_more_counts(raw: str, counts: list[int]) -> None:
    assert _client_counts(raw) == counts


@pytest.mark.parametrize("raw", ["0", "10,-1", "ten", ""])
def test_clients_refuse_what_is_not_a_positive_count(raw: str) -> None:
    with pytest.raises(ArgumentTypeError):
        _client_counts(raw)
