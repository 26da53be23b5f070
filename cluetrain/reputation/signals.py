"""What counts as a rating of a member or an organization, read from the platform's record.

Each row is (rater, target, value in [-1, 1], time in seconds) for
cluetrain_analytics.reputation.defences.compute_reputation. Raters are always members;
targets are members ("m:ID") or organizations ("o:ID").

| what happened | value |
|---|---|
| an answer accepted (asker -> answerer) | +1 |
| a post liked, a review marked helpful (member -> author) | +0.5 |
| a review of a vendor, a partner or a member | (stars - 3) / 2 |
| a review of a product (-> the product's organization) | (stars - 3) / 2 |
| vouch, recommend (stated) | +1 |
| blacklist (stated) | -1 |

Apps above this one (partners, requests, orders) add their own ratings with
`register_source(fn)` in their AppConfig.ready(), and ask for a recomputation by subscribing
`cluetrain.reputation.tasks.on_rating_changed` to their own events: reputation never imports
them.
"""

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import cast

from django.db.models import F

from cluetrain.relationships.models import RelationshipEvent, RelationshipKind
from cluetrain.reviews.models import Review
from cluetrain.threads.models import Reaction, Thread

Row = tuple[str, str, float, float]
Source = Callable[[], Iterable[Row]]

_sources: list[Source] = []


def register_source(source: Source) -> None:
    """Add `source()`'s rows to every recomputation; registering one twice is a no-op."""
    if source not in _sources:
        _sources.append(source)


REACTION_VALUE = 0.5
STATED: dict[str, float] = {
    RelationshipKind.VOUCH: 1.0,
    RelationshipKind.RECOMMEND: 1.0,
    RelationshipKind.BLACKLIST: -1.0,
}


def member_key(member_id: int) -> str:
    return f"m:{member_id}"


def organization_key(organization_id: int) -> str:
    return f"o:{organization_id}"


def _accepted() -> Iterator[Row]:
    rows = (
        Thread.objects.filter(
            accepted_answer__isnull=False,
            author__isnull=False,
            accepted_answer__author__isnull=False,
        )
        .exclude(accepted_answer__author=F("author"))
        .values_list("author_id", "accepted_answer__author_id", "accepted_answer__created_at")
    )
    for asker, answerer, at in rows:
        yield member_key(asker), member_key(answerer), 1.0, at.timestamp()


def _reactions() -> Iterator[Row]:
    rows = Reaction.objects.filter(post__author__isnull=False).values_list(
        "member_id", "post__author_id", "created_at"
    )
    for member, author, at in rows:
        if member != author:
            yield member_key(member), member_key(author), REACTION_VALUE, at.timestamp()


def _reviews() -> Iterator[Row]:
    # A review held for moderation (or hidden by a moderator) rates no one.
    rows = Review.objects.filter(author__isnull=False, thread__is_hidden=False).values_list(
        "author_id",
        "reviewed_member_id",
        "organization_id",
        "product__organization_id",
        "stars",
        "created_at",
    )
    # Every id but the author's may be NULL (the stubs type them as never NULL).
    typed = cast(Iterable[tuple[int, int | None, int | None, int | None, int, datetime]], rows)
    for author, member, organization, maker, stars, at in typed:
        value = (stars - 3) / 2
        if member is not None and member != author:
            yield member_key(author), member_key(member), value, at.timestamp()
        elif (target := organization if organization is not None else maker) is not None:
            yield member_key(author), organization_key(target), value, at.timestamp()


def _stated() -> Iterator[Row]:
    rows = RelationshipEvent.objects.filter(
        inferred=False, kind__in=list(STATED), actor_member__isnull=False
    ).values_list(
        "actor_member_id", "target_member_id", "target_organization_id", "kind", "occurred_at"
    )
    typed = cast(Iterable[tuple[int, int | None, int | None, str, datetime]], rows)
    for actor, member, organization, kind, at in typed:
        if member is not None:
            yield member_key(actor), member_key(member), STATED[kind], at.timestamp()
        elif organization is not None:
            yield member_key(actor), organization_key(organization), STATED[kind], at.timestamp()


def ratings() -> list[Row]:
    """Every rating the platform holds, oldest first."""
    rows = [*_accepted(), *_reactions(), *_reviews(), *_stated()]
    for source in _sources:
        rows.extend(source())
    rows.sort(key=lambda row: row[3])
    return rows
