"""Charts as inline SVG geometry: no script, no CDN, readable on a phone, every bar a link.

A chart library would add a JavaScript bundle for what is a few rectangles; the template
`listening/_stacked_bars.html` draws what `stacked_bars` computes.

An SVG scales with its box, text included: the 640-unit chart in a phone's ~320 px would
draw its 11-unit labels at 5 px. So each chart comes twice, the stylesheet showing one by the
screen's width: the wide one, and a narrow one (NARROW_WIDTH units, drawn near 1:1 on a
phone) with fewer labels. Labels are spaced by their estimated width so they never overlap,
and anchored inwards at the edges so they are never cut.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.dateformat import format as date_format

from cluetrain.listening.labels import label_text
from cluetrain.listening.queries import Bucket

WIDTH = 640
NARROW_WIDTH = 320
HEIGHT = 220
FONT_SIZE = 11  # .chart .tick in app.css
CHAR_WIDTH = 0.62 * FONT_SIZE  # a generous average for the digits and month names drawn
LABEL_GAP = 10
LEFT = 36  # room for the axis labels
BOTTOM = 22
TOP = 8

COLORS = {
    "negative": "#d64545",
    "neutral": "#9aa5b1",
    "positive": "#3f9142",
    "anger": "#c0392b",
    "joy": "#f2b705",
    "optimism": "#2e86de",
    "sadness": "#6c5ce7",
}


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    color: str
    href: str
    title: str


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    label: str
    anchor: str = "middle"


@dataclass(frozen=True)
class StackedBars:
    width: int
    height: int
    bars: list[Bar]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    legend: list[tuple[str, str]]
    baseline: float
    # The same chart for narrow screens (None on the narrow one itself).
    narrow: "StackedBars | None" = None


def label_width(label: str) -> float:
    return len(label) * CHAR_WIDTH


def compact(number: int) -> str:
    """An axis label that fits the axis's room: 950, 1.2k, 12k, 1.5M."""
    if number < 1000:
        return str(number)
    for divisor, suffix in ((1_000_000, "M"), (1000, "k")):
        if number >= divisor:
            value = number / divisor
            return (
                f"{value:.1f}{suffix}".replace(".0", "") if value < 10 else f"{value:.0f}{suffix}"
            )
    return str(number)  # pragma: no cover - the loop returns


def tick_extent(tick: Tick) -> tuple[float, float]:
    """Where a label's text starts and ends along x (estimated from its length)."""
    width = label_width(tick.label)
    if tick.anchor == "start":
        return tick.x, tick.x + width
    if tick.anchor == "end":
        return tick.x - width, tick.x
    return tick.x - width / 2, tick.x + width / 2


def _without_overlaps(ticks: list[Tick]) -> list[Tick]:
    """Drop a label that would touch the one before it (one moved inwards at an edge can)."""
    kept: list[Tick] = []
    for tick in ticks:
        if kept and tick_extent(tick)[0] - tick_extent(kept[-1])[1] < LABEL_GAP / 2:
            continue
        kept.append(tick)
    return kept


def _x_tick(x: float, y: float, label: str, left: float, right: float) -> Tick:
    """A label centred on x, unless that would cut it at the plot's edges."""
    half = label_width(label) / 2
    if x - half < left:
        return Tick(x=round(max(x - 4, 0), 1), y=y, label=label, anchor="start")
    if x + half > right:
        return Tick(x=round(min(x + 4, right), 1), y=y, label=label, anchor="end")
    return Tick(x=x, y=y, label=label)


def stacked_bars(
    buckets: Sequence[Bucket],
    series: Sequence[str],
    *,
    href: Callable[[Bucket, str], str],
    weekly: bool = False,
    width: int = WIDTH,
) -> StackedBars:
    """One bar per period, one segment per series value, scaled to the largest period."""
    plot_width, plot_height = width - LEFT - 4, HEIGHT - TOP - BOTTOM
    peak = max((b.total for b in buckets), default=0) or 1
    slot = plot_width / max(1, len(buckets))
    bars: list[Bar] = []
    x_ticks: list[Tick] = []
    # Django's formats, not strftime: month abbreviations in the page's language.
    tick_format = "d M" if weekly else "M"
    widest = max((label_width(date_format(b.start, tick_format)) for b in buckets), default=0.0)
    # Every n-th period, n such that neighbouring labels keep LABEL_GAP between them.
    label_every = max(1, math.ceil((widest + LABEL_GAP) / slot), len(buckets) // 8)
    for index, bucket in enumerate(buckets):
        x = LEFT + index * slot + slot * 0.1
        y: float = TOP + plot_height
        period = date_format(bucket.start, "d M" if weekly else "M Y")
        for name in series:
            count = bucket.counts.get(name, 0)
            if not count:
                continue
            height = plot_height * count / peak
            y -= height
            share = round(100 * count / bucket.total) if bucket.total else 0
            bars.append(
                Bar(
                    x=round(x, 1),
                    y=round(y, 1),
                    width=round(slot * 0.8, 1),
                    height=round(height, 1),
                    color=COLORS.get(name, "#888"),
                    href=href(bucket, name),
                    title=f"{period}: {count} {label_text(name)} ({share}%)",
                )
            )
        if index % label_every == 0:
            centre = round(LEFT + index * slot + slot / 2, 1)
            label = date_format(bucket.start, tick_format)
            x_ticks.append(_x_tick(centre, HEIGHT - 6, label, 0, width))
    y_ticks = [
        Tick(
            x=LEFT - 4,
            y=round(TOP + plot_height * (1 - f), 1),
            label=compact(round(peak * f)),
            anchor="end",
        )
        for f in (0.0, 0.5, 1.0)
    ]
    narrow = None
    if width == WIDTH:
        narrow = stacked_bars(buckets, series, href=href, weekly=weekly, width=NARROW_WIDTH)
    return StackedBars(
        width=width,
        height=HEIGHT,
        bars=bars,
        x_ticks=_without_overlaps(x_ticks),
        y_ticks=y_ticks,
        legend=[(name, COLORS.get(name, "#888")) for name in series],
        baseline=TOP + plot_height,
        narrow=narrow,
    )


def sparkline(values: Sequence[int], *, width: int = 120, height: int = 28) -> str:
    """SVG polyline points for a small trend line."""
    if not values:
        return ""
    peak = max(values) or 1
    step = width / max(1, len(values) - 1)
    return " ".join(
        f"{round(i * step, 1)},{round(height - 2 - (height - 4) * v / peak, 1)}"
        for i, v in enumerate(values)
    )
