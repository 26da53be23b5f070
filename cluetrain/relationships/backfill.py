"""Infer every relationship event the platform's history holds, in bulk.

For communities that existed before relationships (an upgrade), for bulk imports and for the
demo, whose rows are written without domain events. Writes the same events, with the same
origins, as the live inference in `inference.py`, so running it again, or after live
inference, adds nothing twice; members' corrections are respected.
"""

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import cast

from django.db.models import F

from cluetrain.listening.models import Enrichment
from cluetrain.members.models import Connection
from cluetrain.relationships import ties
from cluetrain.relationships.actions import POLARITY_OF
from cluetrain.relationships.inference import (
    CONNECTION_KINDS,
    INTENT_KINDS,
    REACTION_WEIGHT,
    _connection_origin,
    _stars_sign,
)
from cluetrain.relationships.models import RelationshipCorrection, RelationshipEvent
from cluetrain.relationships.models import RelationshipKind as K
from cluetrain.relationships.ties import STAFF_ROLES, company
from cluetrain.reviews.models import Review
from cluetrain.sources.lookup import community_source
from cluetrain.threads.models import Post, Reaction, Thread
from cluetrain_analytics.relationships import KINDS

BATCH = 2000


def _event(
    kind: str,
    origin: str,
    occurred_at: datetime,
    evidence: str,
    *,
    actor_id: int | None,
    external_id: int | None = None,
    member_id: int | None = None,
    organization_id: int | None = None,
    product_id: int | None = None,
    post_id: int | None = None,
    polarity: int | None = None,
    weight: float | None = None,
) -> RelationshipEvent:
    spec = KINDS[kind]
    return RelationshipEvent(
        kind=kind,
        origin=origin,
        inferred=True,
        actor_member_id=actor_id,
        actor_external_id=external_id,
        target_member_id=member_id,
        target_organization_id=organization_id,
        target_product_id=product_id,
        post_id=post_id,
        polarity=spec.polarity if polarity is None else polarity,
        weight=spec.weight if weight is None else weight,
        occurred_at=occurred_at,
        evidence=evidence,
    )


def _replies() -> Iterator[RelationshipEvent]:
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
        origin = f"post:{pk}"
        yield _event(K.RESPOND, origin, at, "replied", actor_id=author, member_id=other, post_id=pk)
        if (other, author) in replied:
            yield _event(
                K.CONVERSATION,
                origin,
                at,
                "replied to someone who had replied to them",
                actor_id=author,
                member_id=other,
                post_id=pk,
            )
        replied.add((author, other))
        if role in STAFF_ROLES and other_role not in STAFF_ROLES:
            yield _event(
                K.SUPPORT,
                origin,
                at,
                "answered for the company",
                actor_id=author,
                member_id=other,
                post_id=pk,
            )


def _accepted() -> Iterator[RelationshipEvent]:
    rows = (
        Thread.objects.filter(
            accepted_answer__isnull=False,
            author__isnull=False,
            accepted_answer__author__isnull=False,
        )
        .exclude(author=F("accepted_answer__author"))
        .values_list(
            "author_id",
            "accepted_answer_id",
            "accepted_answer__author_id",
            "accepted_answer__created_at",
        )
    )
    for asker, post, answerer, at in rows.iterator(chunk_size=BATCH):
        yield _event(
            K.ASK_ADVICE,
            f"accepted:{post}",
            at,
            "accepted the answer",
            actor_id=asker,
            member_id=answerer,
            post_id=post,
        )


def _reviews() -> Iterator[RelationshipEvent]:
    rows = (
        Review.objects.filter(author__isnull=False)
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
        )
    )
    seen: dict[tuple[int, int], int] = {}
    # The ids of what was reviewed may be NULL (the stubs type them as never NULL).
    typed = cast(
        Iterable[tuple[int, int, int | None, int | None, int | None, int | None, int, datetime]],
        rows.iterator(chunk_size=BATCH),
    )
    for pk, author, product, maker, organization, member, stars, at in typed:
        if member == author:
            continue
        yield _event(
            K.EVALUATE,
            f"review:{pk}",
            at,
            f"reviewed with {stars} of 5 stars",
            actor_id=author,
            product_id=product,
            organization_id=None if product else organization,
            member_id=None if product or organization else member,
            polarity=_stars_sign(stars),
        )
        vendor = maker if product else organization
        if vendor is None:
            continue
        earlier = seen.get((author, vendor), 0)
        seen[(author, vendor)] = earlier + 1
        if earlier:
            yield _event(
                K.REPEAT_PATRONAGE,
                f"review:{pk}:repeat",
                at,
                f"came back: {earlier + 1} reviews of its products",
                actor_id=author,
                organization_id=vendor,
            )


def _connections() -> Iterator[RelationshipEvent]:
    rows = Connection.objects.values_list(
        "from_member_id", "to_member_id", "kind", "status", "created_at", "responded_at"
    )
    for a, b, kind, status, created, responded in rows.iterator(chunk_size=BATCH):
        origin = _connection_origin(a, b, kind)
        when = responded or created
        if status == Connection.Status.DECLINED:
            yield _event(
                K.REBUFF, origin, when, "declined a request to connect", actor_id=b, member_id=a
            )
        elif status == Connection.Status.ACCEPTED:
            relation, verb = CONNECTION_KINDS[Connection.Kind(kind)]
            yield _event(relation, origin, when, verb, actor_id=a, member_id=b)


def _reactions() -> Iterator[RelationshipEvent]:
    rows = (
        Reaction.objects.filter(post__author__isnull=False)
        .exclude(member=F("post__author"))
        .values_list("post_id", "member_id", "kind", "post__author_id", "post__created_at")
    )
    for post, member, kind, author, at in rows.iterator(chunk_size=BATCH):
        yield _event(
            K.RECOGNITION,
            f"reaction:{post}:{member}:{kind}",
            at,
            f"marked a post as {kind}",
            actor_id=member,
            member_id=author,
            post_id=post,
            weight=REACTION_WEIGHT,
        )


def _listening() -> Iterator[RelationshipEvent]:
    home = company()
    products: dict[int, list[int]] = {}
    for post_id, product_id in Enrichment.products.through.objects.values_list(
        "enrichment_id", "product_id"
    ):
        products.setdefault(post_id, []).append(product_id)
    rows = (
        Enrichment.objects.exclude(intents=[])
        .filter(post__is_deleted=False, post__is_hidden=False)
        .exclude(post__author__role__in=STAFF_ROLES)
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
        expressions = [INTENT_KINDS[i] for i in intents if i in INTENT_KINDS]
        if "complain" in intents and sentiment == "negative":
            expressions.append((K.BADMOUTH, None, "complained"))
        targets = [("product", pk) for pk in products.get(post, [])] or (
            [("organization", home.pk)] if home is not None else []
        )
        for side, pk in targets:
            for kind, polarity, verb in expressions:
                yield _event(
                    kind,
                    f"post:{post}:{side}:{pk}",
                    at,
                    f"{verb} in a message",
                    actor_id=author,
                    external_id=external,
                    post_id=post,
                    polarity=polarity,
                    product_id=pk if side == "product" else None,
                    organization_id=pk if side == "organization" else None,
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
        for event in stream():
            action = corrections.get((event.origin, event.kind))
            if action == RelationshipCorrection.Action.REMOVED:
                continue
            if action is not None:
                event.polarity = POLARITY_OF[action]
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
