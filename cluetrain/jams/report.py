"""What the jam page shows: the live view while it runs, and the report once it has ended."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.db.models.functions import TruncDay, TruncHour

from cluetrain.ideas.models import Idea
from cluetrain.jams.models import Highlight, Jam, Theme
from cluetrain.members.models import Member
from cluetrain.threads.models import Post, Thread

TAKEN_FORWARD = (Idea.Status.PLANNED, Idea.Status.IN_PROGRESS, Idea.Status.DONE)
RECENT_THREADS = 200
REPORT_CACHE_SECONDS = 300
# The jam page's slow-moving parts (themes, most active threads, highlights, hosts) are kept
# this long per process: at a thousand posts a minute and a reader every half second they
# would otherwise be read again on every load. The live conversation is always read fresh.
LIVE_CACHE_SECONDS = 10
CHART_WIDTH = 640
CHART_HEIGHT = 160
LEFT = 36


def jam_posts(jam: Jam) -> QuerySet[Post]:
    return Post.objects.filter(thread__space_id=jam.space_id, is_deleted=False, is_hidden=False)


@dataclass
class ThemeView:
    theme: Theme
    representatives: list[Post]


def themes_with_examples(jam: Jam, limit: int | None = None) -> list[ThemeView]:
    themes = list(
        Theme.objects.filter(jam=jam, merged_into__isnull=True, size__gt=0).defer("centroid")[
            :limit
        ]
    )
    wanted = {pk for t in themes for pk in t.representative_ids}
    posts = jam_posts(jam).filter(pk__in=wanted).select_related("author", "thread")
    by_id = {p.pk: p for p in posts}
    return [ThemeView(t, [by_id[pk] for pk in t.representative_ids if pk in by_id]) for t in themes]


def active_threads(jam: Jam, limit: int = 8) -> list[Thread]:
    """The most replied-to among the threads active most recently (an index walk, not a scan
    of every thread of a jam of a million posts)."""
    recent = Thread.objects.filter(space_id=jam.space_id, is_hidden=False).order_by(
        "-last_activity_at"
    )
    ids = list(recent.values_list("pk", flat=True)[:RECENT_THREADS])
    return list(
        Thread.objects.filter(pk__in=ids)
        .select_related("author")
        .order_by("-reply_count", "-last_activity_at")[:limit]
    )


def latest_posts(jam: Jam, limit: int = 15) -> list[Post]:
    return list(jam_posts(jam).select_related("author", "thread").order_by("-created_at")[:limit])


_generations: dict[int, int] = {}  # jam id -> bumped when a page's cached part must go


def forget_live(jam_id: int) -> None:
    """Drop this process's cached page parts of a jam (a highlight, a moderated theme)."""
    _generations[jam_id] = _generations.get(jam_id, 0) + 1


def live_key(jam: Jam) -> str:
    """The cache key of a jam's page parts in this process; it changes with `forget_live`."""
    # created_at tells apart jams that reuse an id (a test database flushed between tests).
    made = jam.created_at.timestamp() if jam.created_at else 0
    return f"jam-live:{jam.pk}:{made}:{_generations.get(jam.pk, 0)}"


def slow_parts(jam: Jam) -> dict[str, Any]:
    """The page's slow-moving parts: themes, most active threads, highlights and hosts. The
    page keeps them, rendered, `LIVE_CACHE_SECONDS` (the worker's re-themings show within
    that; a moderator's or a host's change at once, through `forget_live`)."""
    return {
        "themes": themes_with_examples(jam, 12),
        "active_threads": active_threads(jam),
        "highlights": list(
            Highlight.objects.filter(jam=jam).select_related(
                "post__thread", "post__author", "host"
            )[:10]
        ),
        "hosts": list(jam.hosts.all()),
    }


def participation(jam: Jam) -> dict[str, Any]:
    """Posts per hour (per day for jams longer than three days), as an SVG bar chart."""
    daily = jam.ends_at - jam.starts_at > timedelta(days=3)
    step = timedelta(days=1) if daily else timedelta(hours=1)
    bucket = TruncDay("created_at") if daily else TruncHour("created_at")
    counts: dict[datetime, int] = dict(
        jam_posts(jam)
        .annotate(b=bucket)
        .values_list("b")
        .annotate(n=Count("pk"))
        .values_list("b", "n")
    )
    start = jam.starts_at.replace(minute=0, second=0, microsecond=0)
    if daily:
        start = start.replace(hour=0)
    slots: list[tuple[datetime, int]] = []
    when = start
    while when < jam.ends_at and len(slots) < 24 * 31:
        slots.append((when, sum(n for b, n in counts.items() if when <= b < when + step)))
        when += step
    peak = max((n for _, n in slots), default=0) or 1
    width = (CHART_WIDTH - LEFT) / max(len(slots), 1)
    baseline = CHART_HEIGHT - 20
    bars = [
        {
            "x": round(LEFT + i * width, 1),
            "y": round(baseline - n / peak * (baseline - 10), 1),
            "width": round(max(width - 1, 0.5), 1),
            "height": round(n / peak * (baseline - 10), 1),
            "title": f"{when:%d %b %H:%M}: {n} posts",
        }
        for i, (when, n) in enumerate(slots)
    ]
    label_every = max(1, len(slots) // 6)
    x_ticks = [
        {
            "x": round(LEFT + (i + 0.5) * width, 1),
            "y": CHART_HEIGHT - 4,
            "label": f"{when:%d %b}" if daily else f"{when:%d %b %H:00}",
        }
        for i, (when, _) in enumerate(slots)
        if i % label_every == 0
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "baseline": baseline,
        "bars": bars,
        "x_ticks": x_ticks,
        "y_ticks": [
            {"x": LEFT - 4, "y": 10, "label": peak},
            {"x": LEFT - 4, "y": baseline, "label": 0},
        ],
        "unit": "day" if daily else "hour",
        "slots": slots,
        "total": sum(n for _, n in slots),
    }


def report(jam: Jam) -> dict[str, Any]:
    """The report, cached a few minutes per process under a key that changes with the
    themes (a jam of a million posts takes seconds to count)."""
    changed = Theme.objects.filter(jam=jam).aggregate(last=Max("updated_at"), n=Count("pk"))
    last = changed["last"].timestamp() if changed["last"] else 0
    key = f"jam-report:{jam.pk}:{last}:{changed['n']}:{jam.ends_at.timestamp()}"
    found: dict[str, Any] | None = cache.get(key)
    if found is None:
        found = _report(jam)
        cache.set(key, found, REPORT_CACHE_SECONDS)
    return found


def _report(jam: Jam) -> dict[str, Any]:
    posts = jam_posts(jam)
    top = list(
        posts.filter(author__isnull=False)
        .values_list("author")
        .annotate(n=Count("pk"))
        .order_by("-n", "author")
        .values_list("author", "n")[:10]
    )
    members = Member.objects.in_bulk([pk for pk, _ in top])
    return {
        "themes": themes_with_examples(jam),
        "chart": participation(jam),
        "posts": posts.count(),
        "ideas": posts.filter(parent__isnull=True).count(),
        "participants": posts.values("author").distinct().count(),
        "top_contributors": [(members[pk], n) for pk, n in top if pk in members],
        "taken_forward": list(
            Idea.objects.filter(thread__space_id=jam.space_id, status__in=TAKEN_FORWARD)
            .select_related("thread")
            .order_by("-vote_count")
        ),
    }
