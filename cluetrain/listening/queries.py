"""The numbers behind the listening dashboards, each with the filter that reproduces it.

Every count here comes with a `MessageFilter`, so the page can link each number to the
messages behind it (views.messages renders exactly `filter.queryset()`).
"""

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from cluetrain.listening.models import Enrichment, EnrichmentAspect, LearnedTopic, RootIssue
from cluetrain.members.models import Member
from cluetrain.spaces.access import readable_visibilities
from cluetrain_analytics.text.abstain import UNSURE
from cluetrain_analytics.text.tweeteval import LABELS

SENTIMENTS = ("negative", "neutral", "positive")
EMOTIONS = tuple(LABELS["emotion"])
FILTER_KEYS = (
    "space",
    "product",
    "source",
    "sentiment",
    "emotion",
    "topic",
    "issue",
    "aspect",
    "event",
    "intent",
    "since",
    "until",
)


@dataclass(frozen=True)
class MessageFilter:
    """A slice of enriched messages, as it travels in a query string."""

    space: str = ""
    product: str = ""
    source: str = ""
    sentiment: str = ""
    emotion: str = ""
    topic: str = ""
    issue: str = ""
    aspect: str = ""
    event: str = ""
    intent: str = ""
    since: str = ""  # ISO dates, both days included (the form's From and Until)
    until: str = ""

    @classmethod
    def from_query(cls, query: Any) -> "MessageFilter":
        return cls(**{key: str(query.get(key, ""))[:120].strip() for key in FILTER_KEYS})

    def with_(self, **changes: str) -> "MessageFilter":
        return replace(self, **changes)

    def query_string(self) -> str:
        return urlencode({k: getattr(self, k) for k in FILTER_KEYS if getattr(self, k)})

    def base(self) -> "MessageFilter":
        """Only the dashboard-wide filters (space, product, source, period)."""
        return MessageFilter(
            space=self.space,
            product=self.product,
            source=self.source,
            since=self.since,
            until=self.until,
        )

    def queryset(self, viewer: Member) -> QuerySet[Enrichment]:
        """Messages the viewer may read, from customers and outsiders, matching every field."""
        rows = Enrichment.objects.filter(
            post__is_deleted=False,
            post__is_staff_reply=False,
            elsewhere="",
            post__thread__space__visibility__in=readable_visibilities(viewer),
        )
        exact = {
            "post__thread__space__slug": self.space,
            "products__slug": self.product,
            "post__source__slug": self.source,
            "sentiment": self.sentiment,
            "emotion": self.emotion,
            "topic_id": self.topic if self.topic.isdigit() else "",
            "root_issue_id": self.issue if self.issue.isdigit() else "",
            "aspects__aspect": self.aspect,
            "event": self.event,
            "intent": self.intent,
        }
        rows = rows.filter(**{key: value for key, value in exact.items() if value})
        if since := _date(self.since):
            rows = rows.filter(created_at__date__gte=since)
        if until := _date(self.until):
            rows = rows.filter(created_at__date__lte=until)
        if self.product or self.aspect:
            rows = rows.distinct()
        return rows


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Bucket:
    start: date
    end: date
    counts: dict[str, int]
    total: int


def time_series(
    rows: QuerySet[Enrichment], key: str, values: tuple[str, ...], *, weekly: bool
) -> list[Bucket]:
    """Counts of ``key`` per month (or week), oldest first, with empty periods kept."""
    trunc = TruncWeek("created_at") if weekly else TruncMonth("created_at")
    found: dict[date, Counter[str]] = {}
    for period, value, n in (
        rows.annotate(period=trunc).values_list("period", key).annotate(n=Count("pk")).order_by()
    ):
        start = period.date() if isinstance(period, datetime) else period
        found.setdefault(start, Counter())[value] += n
    if not found:
        return []
    starts = sorted(found)
    buckets = []
    current = starts[0]
    while current <= starts[-1]:
        following = _next_period(current, weekly)
        counts = found.get(current, Counter())
        buckets.append(
            Bucket(
                start=current,
                end=following,
                counts={v: counts.get(v, 0) for v in values},
                total=sum(counts.get(v, 0) for v in values),
            )
        )
        current = following
    return buckets


def _next_period(start: date, weekly: bool) -> date:
    if weekly:
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


@dataclass(frozen=True)
class IssueRow:
    issue: RootIssue
    recent: int  # messages in the last 30 days
    previous: int  # the 30 days before
    weekly: list[int]  # the last 12 weeks, oldest first
    products: list[str] = field(default_factory=list)

    @property
    def trend(self) -> str:
        if self.recent > max(2, self.previous * 1.25):
            return "rising"
        if self.previous > max(2, self.recent * 1.25):
            return "falling"
        return "steady"


def top_issues(
    rows: QuerySet[Enrichment], *, limit: int = 8, now: datetime | None = None
) -> list[IssueRow]:
    """Live issues by volume in the last 30 days, with a 12-week sparkline and trend."""
    now = now or timezone.now()
    start = now - timedelta(weeks=12)
    recent = Counter(
        dict(
            rows.filter(root_issue__isnull=False, created_at__gte=now - timedelta(days=30))
            .values_list("root_issue")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    previous = Counter(
        dict(
            rows.filter(
                root_issue__isnull=False,
                created_at__gte=now - timedelta(days=60),
                created_at__lt=now - timedelta(days=30),
            )
            .values_list("root_issue")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    live = RootIssue.objects.exclude(status=RootIssue.Status.MERGED)
    ranked = sorted(
        live.filter(pk__in=set(recent) | set(previous)),
        key=lambda issue: (-recent[issue.pk], -previous[issue.pk], issue.pk),
    )[:limit]
    if len(ranked) < limit:  # quiet periods: fall back to the biggest issues overall
        seen = {issue.pk for issue in ranked}
        ranked += [i for i in live.order_by("-message_count")[: limit * 2] if i.pk not in seen][
            : limit - len(ranked)
        ]
    weekly: dict[int, list[int]] = {issue.pk: [0] * 12 for issue in ranked}
    for issue_id, at in rows.filter(
        root_issue__in=[i.pk for i in ranked], created_at__gte=start
    ).values_list("root_issue", "created_at"):
        week = min(11, int((at - start).total_seconds() // (7 * 86400)))
        weekly[issue_id][week] += 1
    products: dict[int, Counter[str]] = {issue.pk: Counter() for issue in ranked}
    for issue_id, name in rows.filter(root_issue__in=list(products)).values_list(
        "root_issue", "products__name"
    ):
        if name:
            products[issue_id][name] += 1
    return [
        IssueRow(
            issue=issue,
            recent=recent[issue.pk],
            previous=previous[issue.pk],
            weekly=weekly[issue.pk],
            products=[name for name, _ in products[issue.pk].most_common(3)],
        )
        for issue in ranked
    ]


@dataclass(frozen=True)
class TrifectaRow:
    """One topic: how people feel, what it is about, what happened and what they will do."""

    topic: LearnedTopic
    total: int
    sentiments: dict[str, int]
    emotions: list[tuple[str, int]]
    products: list[tuple[str, str, int]]  # slug, name, count
    aspects: list[tuple[str, int]]
    events: list[tuple[str, int]]
    intents: list[tuple[str, int]]
    #: Messages whose event / main intent the reader was unsure of: in no count above.
    unsure_events: int = 0
    unsure_intents: int = 0


def trifecta(rows: QuerySet[Enrichment], *, limit: int = 12) -> list[TrifectaRow]:
    by_topic = dict(
        rows.filter(topic__isnull=False).values_list("topic").annotate(n=Count("pk")).order_by()
    )
    topics = sorted(
        LearnedTopic.objects.filter(pk__in=by_topic), key=lambda t: (-by_topic[t.pk], t.pk)
    )[:limit]
    result = []
    for topic in topics:
        in_topic = rows.filter(topic=topic)

        def top(field_name: str, n: int, rows: QuerySet[Enrichment] = in_topic) -> Counter[Any]:
            return Counter(
                dict(
                    rows.exclude(**{f"{field_name}__in": ("", UNSURE)})
                    .values_list(field_name)
                    .annotate(c=Count("pk"))
                    .order_by("-c")[:n]
                )
            )

        products = (
            in_topic.filter(products__isnull=False)
            .values_list("products__slug", "products__name")
            .annotate(c=Count("pk"))
            .order_by("-c")[:3]
        )
        aspects = (
            EnrichmentAspect.objects.filter(enrichment__in=in_topic)
            .values_list("aspect")
            .annotate(c=Count("pk"))
            .order_by("-c")[:3]
        )
        result.append(
            TrifectaRow(
                topic=topic,
                total=by_topic[topic.pk],
                sentiments=dict.fromkeys(SENTIMENTS, 0) | dict(top("sentiment", 3)),
                emotions=top("emotion", 2).most_common(),
                products=[(slug, name, c) for slug, name, c in products],
                aspects=[(a, c) for a, c in aspects],
                events=top("event", 3).most_common(),
                intents=top("intent", 2).most_common(),
                unsure_events=in_topic.filter(event=UNSURE).count(),
                unsure_intents=in_topic.filter(intent=UNSURE).count(),
            )
        )
    return result


def totals(rows: QuerySet[Enrichment]) -> dict[str, int]:
    counts = dict(rows.values_list("sentiment").annotate(n=Count("pk")).order_by())
    # Unsure messages are in "all" but in no sentiment's count (nor in the charts).
    return (
        {s: counts.get(s, 0) for s in SENTIMENTS}
        | {"unsure": counts.get(Enrichment.Sentiment.UNSURE, 0)}
        | {"all": sum(counts.values())}
    )


def listening_summary() -> dict[str, int]:
    return {
        "messages": Enrichment.objects.count(),
        "topics": LearnedTopic.objects.count(),
        "issues": RootIssue.objects.exclude(status=RootIssue.Status.MERGED).count(),
    }
