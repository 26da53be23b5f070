"""Charts as inline SVG geometry: no script, no CDN, readable on a phone, every bar a link.

A chart library would add a JavaScript bundle for what is a few rectangles; the template
`listening/_stacked_bars.html` draws what `stacked_bars` computes.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cluetrain.listening.queries import Bucket

WIDTH = 640
HEIGHT = 220
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


@dataclass(frozen=True)
class StackedBars:
    width: int
    height: int
    bars: list[Bar]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    legend: list[tuple[str, str]]
    baseline: float


def stacked_bars(
    buckets: Sequence[Bucket],
    series: Sequence[str],
    *,
    href: Callable[[Bucket, str], str],
    weekly: bool = False,
) -> StackedBars:
    """One bar per period, one segment per series value, scaled to the largest period."""
    plot_width, plot_height = WIDTH - LEFT - 4, HEIGHT - TOP - BOTTOM
    peak = max((b.total for b in buckets), default=0) or 1
    slot = plot_width / max(1, len(buckets))
    bars: list[Bar] = []
    x_ticks: list[Tick] = []
    label_every = max(1, len(buckets) // 8)
    for index, bucket in enumerate(buckets):
        x = LEFT + index * slot + slot * 0.1
        y: float = TOP + plot_height
        period = bucket.start.strftime("%d %b" if weekly else "%b %Y")
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
                    title=f"{period}: {count} {name} ({share}%)",
                )
            )
        if index % label_every == 0:
            x_ticks.append(
                Tick(
                    x=round(LEFT + index * slot + slot / 2, 1),
                    y=HEIGHT - 6,
                    label=bucket.start.strftime("%d %b" if weekly else "%b"),
                )
            )
    y_ticks = [
        Tick(x=LEFT - 4, y=round(TOP + plot_height * (1 - f), 1), label=str(round(peak * f)))
        for f in (0.0, 0.5, 1.0)
    ]
    return StackedBars(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        legend=[(name, COLORS.get(name, "#888")) for name in series],
        baseline=TOP + plot_height,
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
