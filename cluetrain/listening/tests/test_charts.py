"""Chart labels never overlap and are never cut, on the wide chart and on the phone one."""

import itertools
from datetime import date, timedelta

import pytest

from cluetrain.listening.charts import (
    NARROW_WIDTH,
    WIDTH,
    StackedBars,
    compact,
    stacked_bars,
    tick_extent,
)
from cluetrain.listening.queries import Bucket


def _buckets(count: int, *, weekly: bool, peak: int) -> list[Bucket]:
    step = timedelta(days=7 if weekly else 31)
    start = date(2026, 1, 5)
    return [
        Bucket(
            start=start + i * step,
            end=start + (i + 1) * step,
            counts={"negative": peak // 2, "positive": peak - peak // 2 - i % 3},
            total=peak - i % 3,
        )
        for i in range(count)
    ]


def _check(chart: StackedBars) -> None:
    extents = sorted(tick_extent(tick) for tick in chart.x_ticks)
    assert extents, "the chart has labels"
    assert extents[0][0] >= 0
    assert extents[-1][1] <= chart.width
    for (_, right), (left, _) in itertools.pairwise(extents):
        assert left - right >= 4, f"labels overlap: {extents}"
    for tick in chart.y_ticks:
        assert tick_extent(tick)[0] >= 0, f"the axis label {tick.label!r} is cut"


@pytest.mark.parametrize(
    ("count", "weekly", "peak"),
    [(12, False, 40), (24, False, 12_345), (13, True, 7), (52, True, 980), (104, True, 2_500_000)],
)
def test_labels_fit_on_the_wide_and_the_narrow_chart(count: int, weekly: bool, peak: int) -> None:
    chart = stacked_bars(
        _buckets(count, weekly=weekly, peak=peak),
        ["negative", "positive"],
        href=lambda bucket, name: f"/?s={name}",
        weekly=weekly,
    )
    assert chart.width == WIDTH
    assert chart.narrow is not None
    assert chart.narrow.width == NARROW_WIDTH
    assert chart.narrow.narrow is None
    _check(chart)
    _check(chart.narrow)
    # The narrow chart has the same bars, thinner.
    assert len(chart.narrow.bars) == len(chart.bars)


def test_axis_numbers_are_compact() -> None:
    assert [compact(n) for n in (0, 950, 1000, 1234, 12_345, 999_999, 2_500_000)] == [
        "0",
        "950",
        "1k",
        "1.2k",
        "12k",
        "1000k",
        "2.5M",
    ]
