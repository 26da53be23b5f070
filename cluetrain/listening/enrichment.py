"""Enrich messages in batches: one transaction a batch, so a killed worker loses nothing.

A message is pending when it has no enrichment or one written by another reader version;
`enrich_pending` works through them in primary-key order, and running it twice writes the
same rows (upserts keyed on the post).
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cluetrain.listening.corrections import apply_corrections
from cluetrain.listening.models import Enrichment, EnrichmentAspect, LearnedTopic
from cluetrain.listening.readers import Readers, Reading, current_readers
from cluetrain.organizations.models import Product
from cluetrain.sources.models import ExternalIdentity
from cluetrain.threads.models import Post
from cluetrain_analytics.text.abstain import label_or_unsure
from cluetrain_analytics.text.context import OtherBrands
from cluetrain_analytics.text.experience import Experience
from cluetrain_analytics.text.stance import Reply

BATCH_SIZE = 500
#: What the company's own messages (staff replies, the brand's imported posts) are read as.
NO_EXPERIENCE = Experience(intents=(), intent=None, intent_scores={}, event=None)
UPDATED_FIELDS = [
    "model_version",
    "created_at",
    "sentiment",
    "sentiment_score",
    "emotion",
    "emotion_scores",
    "irony_score",
    "offensive_score",
    "place",
    "topic",
    "event",
    "intent",
    "intents",
    "stance",
    "stance_confidence",
    "elsewhere",
    "enriched_at",
]


def message_text(title: str, body: str, is_opening: bool) -> str:
    """What the readers see: the thread title belongs to its opening message."""
    return f"{title}. {body}" if is_opening and title else body


def pending_posts(version: str) -> QuerySet[Post]:
    return (
        Post.objects.filter(is_deleted=False)
        .exclude(enrichment__model_version=version)
        .order_by("pk")
    )


def count_pending() -> int:
    return pending_posts(current_readers().version).count()


def enrich_pending(
    *, batch_size: int = BATCH_SIZE, progress: Callable[[int], Any] | None = None
) -> int:
    """Enrich every pending message, a batch per transaction; return how many were written."""
    done = 0
    while True:
        readers = current_readers()
        ids = list(pending_posts(readers.version).values_list("pk", flat=True)[:batch_size])
        if not ids:
            return done
        done += enrich_posts(ids, readers=readers)
        if progress is not None:
            progress(len(ids))


def enrich_posts(post_ids: Sequence[int], *, readers: Readers | None = None) -> int:
    readers = readers or current_readers()
    posts = list(
        Post.objects.filter(pk__in=post_ids, is_deleted=False)
        .select_related("thread", "parent")
        .only(
            "pk",
            "body_md",
            "created_at",
            "is_staff_reply",
            "parent_id",
            "thread__title",
            "parent__body_md",
            "parent__parent_id",
        )
        .order_by("pk")
    )
    texts = [message_text(p.thread.title, p.body_md, p.parent_id is None) for p in posts]
    readings = readers.read(texts, [_reply(post) for post in posts], other_brands())
    _write(posts, readings, readers.version)
    return len(posts)


def other_brands() -> OtherBrands:
    """Brand accounts seen in imports that are not the company's own (settings)."""
    handles = ExternalIdentity.objects.filter(is_brand_account=True).values_list(
        "handle", flat=True
    )
    return OtherBrands.of(handles, own=settings.LISTENING_OWN_ACCOUNTS)


def _reply(post: Post) -> Reply:
    """The message with what it answers, for the stance reader (depth 2 means "deeper")."""
    if post.parent is None:
        return Reply(post.body_md, parent=None, depth=0)
    depth = 1 if post.parent.parent_id is None else 2
    return Reply(post.body_md, parent=post.parent.body_md, depth=depth)


def _topic_ids(readings: Iterable[Reading]) -> dict[int, int]:
    wanted = {r.topic for r in readings if r.topic >= 0}
    if not wanted:
        return {}
    rows = LearnedTopic.objects.filter(model_topic_id__in=wanted).order_by("-pk")
    found: dict[int, int] = {}
    for model_topic_id, pk in rows.values_list("model_topic_id", "pk"):
        found.setdefault(model_topic_id, pk)
    return found


@transaction.atomic
def _write(posts: Sequence[Post], readings: Sequence[Reading], version: str) -> None:
    now = timezone.now()
    topics = _topic_ids(readings)
    products = dict(Product.objects.values_list("slug", "pk"))
    rows = []
    for post, reading in zip(posts, readings, strict=True):
        analysis, experience = reading.analysis, reading.experience
        if post.is_staff_reply:
            # The company's own voice is never inbound (docs/experience.md): a staff apology
            # is no customer's complaint, so it gets no intent and no event.
            experience = NO_EXPERIENCE
        rows.append(
            Enrichment(
                post_id=post.pk,
                model_version=version,
                created_at=post.created_at,
                sentiment=label_or_unsure(
                    analysis.sentiment, analysis.sentiment_confidence, "sentiment"
                ),
                sentiment_score=analysis.sentiment_score,
                emotion=label_or_unsure(analysis.emotion, analysis.emotion_confidence, "emotion"),
                emotion_scores=analysis.emotion_scores,
                irony_score=analysis.irony_score,
                offensive_score=analysis.offensive_score,
                place=(reading.context.place or "")[:120],
                topic_id=topics.get(reading.topic),
                # Below its threshold an event or a main intent is stored as "unsure" (left out
                # of the counts); the intent set is kept as read (docs/abstention.md).
                event=label_or_unsure(experience.event, experience.event_confidence, "event")[:120]
                if experience.event
                else "",
                intent=label_or_unsure(experience.intent, experience.confidence, "intent")
                if experience.intent
                else "",
                intents=list(experience.intents),
                stance=reading.stance,
                stance_confidence=reading.stance_confidence,
                elsewhere=reading.context.elsewhere[:200],
                enriched_at=now,
            )
        )
    Enrichment.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["post"], update_fields=UPDATED_FIELDS
    )
    ids = [post.pk for post in posts]
    through = Enrichment.products.through
    through.objects.filter(enrichment_id__in=ids).delete()
    through.objects.bulk_create(
        [
            through(enrichment_id=post.pk, product_id=products[key])
            for post, reading in zip(posts, readings, strict=True)
            for key in dict.fromkeys(reading.context.products)
            if key in products
        ]
    )
    EnrichmentAspect.objects.filter(enrichment_id__in=ids).delete()
    EnrichmentAspect.objects.bulk_create(
        [
            EnrichmentAspect(enrichment_id=post.pk, aspect=aspect[:40])
            for post, reading in zip(posts, readings, strict=True)
            for aspect in dict.fromkeys(reading.context.aspects)
        ]
    )
    # Staff's labels outrank the readers' (corrections.py).
    apply_corrections(ids)
