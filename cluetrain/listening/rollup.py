"""Roll negative experiences up into root issues that keep their identity.

Each run matches unassigned complaints against every issue's centroids (a merged issue keeps
the centroids of what was merged into it), reopens a closed issue when a new complaint matches
it, and clusters what is left into new issues. Staff edits (rename, merge, split, close) live
in actions.py and are never undone here.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from django.db import transaction
from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from cluetrain.listening.enrichment import message_text
from cluetrain.listening.models import Enrichment, RootIssue, RootIssueEvent
from cluetrain.organizations.models import Product
from cluetrain.threads.models import Post
from cluetrain_analytics.text.abstain import UNSURE
from cluetrain_analytics.text.rootissues import (
    VAGUE_EVENT_ENDING,
    VAGUE_EVENTS,
    IssueCluster,
    IssueItem,
    assign_issues,
    cluster_issues,
    is_descriptive,
)

#: A root issue needs this many similar complaints before it exists.
MIN_ISSUE_SIZE = 3
#: Emotions of a good experience: with no problem named, such a message is no complaint.
POSITIVE_EMOTIONS = ("joy", "optimism")
#: Unassigned complaints reconsidered per run, newest first: bounds the clustering cost.
RECLUSTER_LIMIT = 5_000


@dataclass(frozen=True)
class RollupResult:
    considered: int
    assigned: int
    created: int
    reopened: int


def complaints() -> QuerySet[Enrichment]:
    """Negative messages from customers or outsiders that report something that happened;
    a message whose root issue staff set (or cleared) is theirs to place, not the roll-up's."""
    return (
        Enrichment.objects.filter(
            Q(intent="complain") | ~Q(event__in=("", UNSURE)),
            sentiment=Enrichment.Sentiment.NEGATIVE,
            post__is_staff_reply=False,
            post__is_deleted=False,
            elsewhere="",
        )
        .exclude(post__label_corrections__label="root_issue")
        # A happy message with no problem named ("Caught a parcel thief on the doorbell cam,
        # video was crystal clear": negative words, joy) is a good experience, not an issue.
        .exclude(
            Q(emotion__in=POSITIVE_EMOTIONS),
            Q(event__in=("", UNSURE, *VAGUE_EVENTS)) | Q(event__endswith=VAGUE_EVENT_ENDING),
        )
    )


def issue_items(enrichments: Iterable[Enrichment]) -> list[IssueItem]:
    """What the clustering sees of each complaint (needs post, thread, products, aspects).

    Root issues are per product (cluetrain_analytics.text.rootissues), so a complaint that
    names no product ("same here, dead since the update") is about the product its
    conversation is about: the first one the message it answers names, else the opening's
    (a message about the hub that also names the app is about the hub).
    """
    enrichments = list(enrichments)
    named = {e.post_id: tuple(p.slug for p in e.products.all()) for e in enrichments}
    context = _from_conversation(
        [e.post for e in enrichments if not named[e.post_id]], _first_products
    )
    # Likewise a me-too reply ("Happens to me too, really annoying", "issue persists") is about
    # what its conversation reported: it takes that event, so it joins that issue and a vague
    # reply never names one.
    told = {e.post_id: e.event for e in enrichments if _says_what(e.event)}
    reported = _from_conversation(
        [e.post for e in enrichments if e.post_id not in told], _descriptive_events
    )
    return [
        IssueItem(
            text=message_text(e.post.thread.title, e.post.body_md, e.post.parent_id is None),
            # An event the reader was unsure of says nothing: never a name or a grouping.
            event=told.get(e.post_id)
            or reported.get(e.post_id)
            or (e.event if e.event not in ("", UNSURE) else None),
            products=named[e.post_id] or context.get(e.post_id, ()),
            aspects=tuple(a.aspect for a in e.aspects.all()),
        )
        for e in enrichments
    ]


T = TypeVar("T")


def _from_conversation(posts: list[Post], said: Callable[[set[int]], dict[int, T]]) -> dict[int, T]:
    """For each reply: what `said` finds in the message it answers, else in its thread's
    opening (`said` maps the ids of those messages to what they say)."""
    replies = [post for post in posts if post.parent_id is not None]
    if not replies:
        return {}
    openings = dict(
        Post.objects.filter(
            thread_id__in={post.thread_id for post in replies}, parent__isnull=True
        ).values_list("thread_id", "pk")
    )
    told = said({post.parent_id or 0 for post in replies} | set(openings.values()))
    found: dict[int, T] = {}
    for post in replies:
        value = told.get(post.parent_id or 0) or told.get(openings.get(post.thread_id, 0))
        if value:
            found[post.pk] = value
    return found


def _first_products(post_ids: set[int]) -> dict[int, tuple[str, ...]]:
    """The first product each message names."""
    first: dict[int, tuple[str, ...]] = {}
    rows = Enrichment.products.through.objects.filter(enrichment__post_id__in=post_ids)
    # The links are written in the order the reader found the products (enrichment._write).
    for post_id, slug in rows.order_by("pk").values_list("enrichment__post_id", "product__slug"):
        first.setdefault(post_id, (slug,))
    return first


def _says_what(event: str) -> bool:
    return event != UNSURE and is_descriptive(event)


def _descriptive_events(post_ids: set[int]) -> dict[int, str]:
    """The descriptive event each customer's message reports."""
    rows = Enrichment.objects.filter(post_id__in=post_ids, post__is_staff_reply=False)
    return {
        post_id: event
        for post_id, event in rows.values_list("post_id", "event")
        if _says_what(event)
    }


def _load(queryset: QuerySet[Enrichment]) -> list[Enrichment]:
    return list(queryset.select_related("post__thread").prefetch_related("products", "aspects"))


def _clusters_of(issues: Iterable[RootIssue]) -> tuple[list[IssueCluster], list[RootIssue]]:
    clusters: list[IssueCluster] = []
    owners: list[RootIssue] = []
    for issue in issues:
        for centroid in issue.centroids:
            clusters.append(
                IssueCluster(
                    name=issue.name,
                    keywords=tuple(issue.keywords),
                    members=(),
                    centroid=centroid,
                )
            )
            owners.append(issue)
    return clusters, owners


@transaction.atomic
def roll_up(*, now: datetime | None = None) -> RollupResult:
    now = now or timezone.now()
    pending = _load(
        complaints().filter(root_issue__isnull=True).order_by("-created_at")[:RECLUSTER_LIMIT]
    )
    if not pending:
        return RollupResult(considered=0, assigned=0, created=0, reopened=0)
    items = issue_items(pending)
    live = RootIssue.objects.exclude(status=RootIssue.Status.MERGED).select_for_update()
    clusters, owners = _clusters_of(live.order_by("pk"))
    matches = assign_issues(items, clusters) if clusters else [None] * len(items)
    touched: dict[int, RootIssue] = {}
    reopened = 0
    assigned = 0
    leftover: list[int] = []
    for index, match in enumerate(matches):
        enrichment = pending[index]
        if match is None:
            leftover.append(index)
            continue
        issue = owners[match]
        enrichment.root_issue = issue
        assigned += 1
        touched[issue.pk] = issue
        came_back = issue.closed_at is not None and enrichment.created_at > issue.closed_at
        if issue.status == RootIssue.Status.CLOSED and came_back:
            issue.status = RootIssue.Status.OPEN
            issue.save(update_fields=["status"])
            RootIssueEvent.objects.create(
                issue=issue,
                kind=RootIssueEvent.Kind.REOPENED,
                note=f"A new complaint matched it on {enrichment.created_at:%Y-%m-%d}.",
                at=now,
            )
            reopened += 1
    created = 0
    if leftover:
        new_clusters = cluster_issues(
            [items[i] for i in leftover],
            min_size=MIN_ISSUE_SIZE,
            product_names=dict(Product.objects.values_list("slug", "name")),
        )
        for cluster in new_clusters:
            members = [pending[leftover[m]] for m in cluster.members]
            issue = RootIssue.objects.create(
                name=cluster.name[:200],
                keywords=list(cluster.keywords),
                centroids=[cluster.centroid],
                first_seen=min(e.created_at for e in members),
                last_seen=max(e.created_at for e in members),
            )
            RootIssueEvent.objects.create(
                issue=issue,
                kind=RootIssueEvent.Kind.CREATED,
                note=f"{len(members)} similar complaints.",
                at=now,
            )
            for enrichment in members:
                enrichment.root_issue = issue
            assigned += len(members)
            touched[issue.pk] = issue
            created += 1
    Enrichment.objects.bulk_update(
        [e for e in pending if e.root_issue_id is not None], ["root_issue"], batch_size=1_000
    )
    refresh_counts(touched.values())
    return RollupResult(
        considered=len(pending), assigned=assigned, created=created, reopened=reopened
    )


def refresh_counts(issues: Iterable[RootIssue]) -> None:
    """Message count and first/last seen from the messages an issue holds now."""
    for issue in issues:
        stats = Enrichment.objects.filter(root_issue=issue).aggregate(
            n=Count("pk"), first=Min("created_at"), last=Max("created_at")
        )
        issue.message_count = stats["n"]
        if stats["first"] is not None:
            issue.first_seen, issue.last_seen = stats["first"], stats["last"]
        issue.save(update_fields=["message_count", "first_seen", "last_seen"])


def prune_empty_issues() -> int:
    """Delete issues whose every message is gone (their posts were deleted)."""
    deleted, _ = (
        RootIssue.objects.exclude(status=RootIssue.Status.MERGED)
        .annotate(held=Count("messages"))
        .filter(held=0)
        .delete()
    )
    return deleted
