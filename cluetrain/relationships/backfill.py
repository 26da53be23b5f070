"""Infer every relationship event the platform's history holds, in bulk.

For communities that existed before relationships (an upgrade), for bulk imports and for the
demo, whose rows are written without domain events. The facts are gathered in a few streaming
queries instead of one happening at a time, and handed to the same rules (`rules.py`) as live
inference, so running it again, or after live inference, adds nothing twice; members'
corrections are respected.
"""

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import cast

from django.db.models import F, OuterRef, Subquery

from cluetrain.listening.models import Enrichment
from cluetrain.members.models import COMPANY_STAFF_ROLES, Connection
from cluetrain.relationships import rules, ties
from cluetrain.relationships.actions import POLARITY_OF
from cluetrain.relationships.models import RelationshipCorrection, RelationshipEvent
from cluetrain.relationships.rules import Inferred
from cluetrain.relationships.ties import company
from cluetrain.reviews.models import Review
from cluetrain.sources.lookup import community_source
from cluetrain.threads.models import Post, Reaction, Thread

BATCH = 2000


def _replies() -> Iterator[Inferred]:
    rows = (
        Post.objects.filter(
            parent__isnull=False,
            author__isnull=False,
            parent__author__isnull=False,
            is_deleted=False,
            is_hidden=False,
        )
        .exclude(author=F("parent__author"))
        .order_by("created_at", "pk")
        .values_list(
            "pk",
            "author_id",
            "author__role",
            "parent__author_id",
            "parent__author__role",
            "created_at",
        )
    )
    replied: set[tuple[int, int]] = set()
    for pk, author, role, other, other_role, at in rows.iterator(chunk_size=BATCH):
        yield from rules.reply(
            pk,
            at,
            author_id=author,
            author_role=role,
            other_id=other,
            other_role=other_role,
            replied_before=(other, author) in replied,
        )
        replied.add((author, other))


def _accepted() -> Iterator[Inferred]:
    rows = Thread.objects.filter(
        accepted_answer__isnull=False,
        author__isnull=False,
        accepted_answer__author__isnull=False,
    ).values_list(
        "author_id",
        "accepted_answer_id",
        "accepted_answer__author_id",
        "accepted_answer__created_at",
    )
    for asker, post, answerer, at in rows.iterator(chunk_size=BATCH):
        yield from rules.accepted_answer(post, at, asker_id=asker, answerer_id=answerer)


def _reviews() -> Iterator[Inferred]:
    opening = Post.objects.filter(thread=OuterRef("thread")).order_by("created_at", "pk")
    rows = (
        Review.objects.filter(author__isnull=False)
        .annotate(opening=Subquery(opening.values("pk")[:1]))
        .order_by("created_at", "pk")
        .values_list(
            "pk",
            "author_id",
            "product_id",
            "product__organization_id",
            "organization_id",
            "reviewed_member_id",
            "stars",
            "created_at",
            "thread__is_hidden",
            "opening",
        )
    )
    seen: dict[tuple[int, int], int] = {}
    # The ids of what was reviewed may be NULL (the stubs type them as never NULL).
    typed = cast(
        Iterable[
            tuple[
                int, int, int | None, int | None, int | None, int | None, int, datetime, bool, int
            ]
        ],
        rows.iterator(chunk_size=BATCH),
    )
    for pk, author, product, maker, organization, member, stars, at, hidden, first in typed:
        vendor = maker if product else organization
        earlier = 0
        if vendor is not None:
            # Hidden reviews count as patronage, as live inference counts them.
            earlier = seen.get((author, vendor), 0)
            seen[(author, vendor)] = earlier + 1
        if hidden:
            continue  # held for moderation: read again when a moderator approves it
        yield from rules.review(
            pk,
            at,
            author_id=author,
            stars=stars,
            product_id=product,
            organization_id=organization,
            member_id=member,
            vendor_id=vendor,
            opening_post_id=first,
            earlier_of_vendor=earlier,
        )


def _connections() -> Iterator[Inferred]:
    rows = Connection.objects.values_list(
        "from_member_id", "to_member_id", "kind", "status", "created_at", "responded_at"
    )
    for a, b, kind, status, created, responded in rows.iterator(chunk_size=BATCH):
        yield from rules.connection(a, b, kind, status, responded or created)


def _reactions() -> Iterator[Inferred]:
    rows = Reaction.objects.filter(post__author__isnull=False).values_list(
        "post_id", "member_id", "kind", "post__author_id", "post__created_at"
    )
    for post, member, kind, author, at in rows.iterator(chunk_size=BATCH):
        yield from rules.reaction(post, member, kind, author_id=author, at=at)


def _listening() -> Iterator[Inferred]:
    home = company()
    products: dict[int, list[int]] = {}
    for post_id, product_id in Enrichment.products.through.objects.values_list(
        "enrichment_id", "product_id"
    ):
        products.setdefault(post_id, []).append(product_id)
    rows = (
        Enrichment.objects.exclude(intents=[])
        .filter(post__is_deleted=False, post__is_hidden=False)
        .exclude(post__author__role__in=COMPANY_STAFF_ROLES)
        .values_list(
            "post_id",
            "intents",
            "sentiment",
            "post__author_id",
            "post__external_author_id",
            "post__created_at",
        )
    )
    for post, intents, sentiment, author, external, at in rows.iterator(chunk_size=BATCH):
        yield from rules.message(
            post,
            at,
            author_id=author,
            external_id=external,
            intents=intents,
            sentiment=sentiment,
            product_ids=products.get(post, []),
            company_id=None if home is None else home.pk,
        )


def backfill() -> int:
    """Write every inferable event not yet written; returns how many were new."""
    corrections = {
        (origin, kind): action
        for origin, kind, action in RelationshipCorrection.objects.values_list(
            "origin", "kind", "action"
        )
    }
    source = community_source()
    before = RelationshipEvent.objects.filter(inferred=True).count()
    batch: list[RelationshipEvent] = []
    for stream in (_replies, _accepted, _reviews, _connections, _reactions, _listening):
        for inferred in stream():
            action = corrections.get((inferred.origin, inferred.kind))
            if action == RelationshipCorrection.Action.REMOVED:
                continue
            event = inferred.event(polarity=None if action is None else POLARITY_OF[action])
            event.source = source
            batch.append(event)
            if len(batch) >= BATCH:
                RelationshipEvent.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
    RelationshipEvent.objects.bulk_create(batch, ignore_conflicts=True)
    return RelationshipEvent.objects.filter(inferred=True).count() - before


def rebuild() -> tuple[int, int]:
    """Backfill, then roll every tie up again: (new events, ties)."""
    added = backfill()
    return added, ties.refresh_all()
