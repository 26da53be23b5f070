"""A thread's reply tree as a spread cascade, and its forecast final size.

The cascade's root is the opening post; each reply by someone other than staff is one share
(parent post -> reply, minutes after the opening post, by its author). Staff answers are left
out: answering a complaint is not it spreading.

The forecast (`forecast_final_size`) comes from the rate rule: the replies seen so far go on at
their average rate for an attention time ``H`` that shrinks as the thread ages::

    forecast = n + n / max(age, 5) * H * exp(-age / H)      (H = 60 minutes)

so 8 replies in the first 5 minutes forecast about 96, 3 replies in 30 minutes about 7, and
a day-old thread no more than it has. Once a cascade has been watched for an hour and the
community has a forecaster fitted on its own finished threads (forecaster.py), the larger of
the two forecasts is kept: an alarm should not be missed because one method is slow to see
it. A cascade older than a day is finished: its forecast is its size, and it raises no alert.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from cluetrain.influence.forecaster import community_forecaster
from cluetrain.influence.models import Cascade
from cluetrain.listening.models import Enrichment
from cluetrain.threads.models import Post, Thread
from cluetrain_analytics.spread import Cascade as SpreadCascade
from cluetrain_analytics.spread import CascadeForecaster, observe

#: The rate rule's attention time, in minutes.
ATTENTION_MINUTES = 60.0
#: Below this age the rate is not trusted more than a 5-minute average.
MIN_RATE_MINUTES = 5.0
#: A cascade older than this (since its opening post) is over: no forecast, no alert.
LIVE_MINUTES = 24 * 60.0


@dataclass(frozen=True)
class ReplyTree:
    """What a cascade is built from: the opening post and the replies that spread it."""

    root: Post
    replies: list[Post]

    def as_cascade(self) -> SpreadCascade:
        start = self.root.created_at
        return SpreadCascade.from_shares(
            str(self.root.pk),
            [
                (
                    str(reply.parent_id or self.root.pk),
                    str(reply.pk),
                    (reply.created_at - start).total_seconds() / 60.0,
                    author_key(reply),
                )
                for reply in self.replies
            ],
        )


def author_key(post: Post) -> str:
    """Member ``m<id>``, imported identity ``x<id>``, or the post itself when anonymous."""
    if post.author_id is not None:
        return f"m{post.author_id}"
    if post.external_author_id is not None:
        return f"x{post.external_author_id}"
    return f"p{post.pk}"


def rate_rule(size: int, age_minutes: float) -> float:
    """The fallback forecast (see the module docstring).

    Examples
    --------
    >>> round(rate_rule(8, 5.0)), round(rate_rule(3, 30.0)), round(rate_rule(10, 1440.0))
    (96, 7, 10)
    """
    if size <= 0:
        return 0.0
    rate = size / max(age_minutes, MIN_RATE_MINUTES)
    return size + rate * ATTENTION_MINUTES * math.exp(-max(age_minutes, 0.0) / ATTENTION_MINUTES)


def forecast_final_size(
    cascade: SpreadCascade, age_minutes: float, *, forecaster: CascadeForecaster | None = None
) -> tuple[float, str]:
    """Forecast final size and the method used ("rate rule", "forecaster" or "finished")."""
    if age_minutes > LIVE_MINUTES:
        return float(cascade.size), "finished"
    by_rate = rate_rule(cascade.size, age_minutes)
    model = forecaster if forecaster is not None else community_forecaster()
    if model is None or age_minutes < model.observe_minutes:
        return by_rate, "rate rule"
    # The model was taught on cascades watched for exactly its observe_minutes.
    watched = observe(cascade, model.observe_minutes)
    learned = max(float(model.predict_final_size([watched])[0]), float(cascade.size))
    return (learned, "forecaster") if learned >= by_rate else (by_rate, "rate rule")


def reply_tree(thread: Thread) -> ReplyTree | None:
    """The thread's opening post and its visible replies by anyone but staff."""
    posts = list(
        Post.objects.filter(thread=thread, is_deleted=False, is_hidden=False)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    root = next((post for post in posts if post.parent_id is None), None)
    if root is None:
        return None
    replies = [post for post in posts if post.pk != root.pk and not post.is_staff_reply]
    return ReplyTree(root=root, replies=replies)


def update_cascade(thread: Thread, *, now: datetime | None = None) -> Cascade | None:
    """Rebuild one thread's cascade and forecast; None for a thread with no opening post."""
    tree = reply_tree(thread)
    if tree is None:
        return None
    now = now or timezone.now()
    spread = tree.as_cascade()
    age = max((now - tree.root.created_at).total_seconds() / 60.0, 0.0)
    forecast, method = forecast_final_size(spread, age)
    opening = Enrichment.objects.filter(post=tree.root).values_list("sentiment", "sentiment_score")
    sentiment, score = opening.first() or (None, None)
    people = {share.user for share in spread.shares}
    cascade, _ = Cascade.objects.update_or_create(
        thread=thread,
        defaults={
            "root_post": tree.root,
            "started_at": tree.root.created_at,
            "size": spread.size,
            "distinct_people": len(people),
            "age_minutes": age,
            "forecast": forecast,
            "forecast_method": method,
            "opening_sentiment": score,
            "is_negative": sentiment == Enrichment.Sentiment.NEGATIVE,
            "updated_at": now,
        },
    )
    return cascade


def threads_enriched_since(moment: datetime) -> list[int]:
    """Threads with a message that listening read at or after ``moment``."""
    return sorted(
        set(
            Enrichment.objects.filter(enriched_at__gte=moment).values_list(
                "post__thread_id", flat=True
            )
        )
    )


def track_cascades(thread_ids: Iterable[int], *, now: datetime | None = None) -> list[Cascade]:
    """Update the cascades of these threads (called after each `listen`)."""
    updated = []
    with transaction.atomic():
        for thread in Thread.objects.filter(pk__in=list(thread_ids)).order_by("pk"):
            cascade = update_cascade(thread, now=now)
            if cascade is not None:
                updated.append(cascade)
    return updated


def cascade_timeline(cascade: Cascade) -> list[dict[str, object]]:
    """Each spreading reply with its minute, parent and author, for the cascade page."""
    tree = reply_tree(cascade.thread)
    if tree is None:
        return []
    start = tree.root.created_at
    by_id = {tree.root.pk: tree.root} | {reply.pk: reply for reply in tree.replies}
    rows: list[dict[str, object]] = []
    for reply in tree.replies:
        parent = by_id.get(reply.parent_id or tree.root.pk)
        rows.append(
            {
                "post": reply,
                "minute": (reply.created_at - start).total_seconds() / 60.0,
                "parent": parent,
                "depth": _depth(reply, by_id),
            }
        )
    return rows


def _depth(post: Post, by_id: dict[int, Post]) -> int:
    depth, seen = 1, {post.pk}
    current = by_id.get(post.parent_id or 0)
    while current is not None and current.parent_id is not None and current.pk not in seen:
        seen.add(current.pk)
        depth += 1
        current = by_id.get(current.parent_id)
    return depth
