"""Fit the community's own models: product aliases and topics, learned from its messages.

A refit stores the fitted estimators as FittedModel rows (pickled behind a manifest of the
library versions that made them: cluetrain_analytics.artifacts), replaces the learned topics and
re-labels every enriched message's topic in place. A new context model changes the readers'
version, so messages are re-enriched in the background afterwards.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cluetrain.listening.corrections import corrected_products
from cluetrain.listening.enrichment import message_text
from cluetrain.listening.models import Enrichment, FittedModel, LearnedTopic
from cluetrain.listening.readers import CONTEXT, TOPICS, catalog, forget_readers
from cluetrain.threads.models import Post
from cluetrain_analytics.artifacts import dumps_artifact
from cluetrain_analytics.text.context import ContextReader
from cluetrain_analytics.text.topics import TopicModel

#: Topic models need a corpus; below this many customer messages topics are not fitted.
MIN_CORPUS = 200
RELABEL_BATCH = 2_000


@dataclass(frozen=True)
class RefreshResult:
    corpus: int
    topics: int
    learned_aliases: int


@dataclass(frozen=True)
class Corpus:
    """What customers and outsiders wrote (staff replies left out)."""

    ids: list[int]
    texts: list[str]
    #: The product each message is known to be about (its product forum), for alias learning.
    products: list[list[str]]


def corpus() -> Corpus:
    rows = (
        Post.objects.filter(is_deleted=False, is_hidden=False, is_staff_reply=False)
        .order_by("pk")
        .values_list("pk", "thread__title", "body_md", "parent_id", "thread__space__product__slug")
    )
    found = Corpus(ids=[], texts=[], products=[])
    # Staff's word on a message's product outranks the forum it was posted in.
    corrected = corrected_products()
    for pk, title, body, parent_id, product in rows.iterator(chunk_size=5_000):
        found.ids.append(pk)
        found.texts.append(message_text(title, body, parent_id is None))
        known = corrected.get(pk, product)
        found.products.append([known] if known else [])
    return found


def refresh_models(*, random_state: int = 0) -> RefreshResult:
    found = corpus()
    ids, texts = found.ids, found.texts
    context = ContextReader(catalog()).fit(texts, products=found.products)
    topics = TopicModel(random_state=random_state).fit(texts) if len(texts) >= MIN_CORPUS else None
    now = timezone.now()
    version = now.strftime("%Y%m%d%H%M%S")
    with transaction.atomic():
        FittedModel.objects.create(
            kind=CONTEXT,
            version=version,
            blob=dumps_artifact(context),
            corpus_size=len(texts),
            fitted_at=now,
        )
        if topics is not None:
            FittedModel.objects.create(
                kind=TOPICS,
                version=version,
                blob=dumps_artifact(topics),
                corpus_size=len(texts),
                fitted_at=now,
            )
            _replace_topics(topics, version, ids, texts)
    forget_readers()
    aliases = getattr(context, "learned_aliases_", {})
    return RefreshResult(
        corpus=len(texts),
        topics=len(topics.topics_) if topics is not None else 0,
        learned_aliases=sum(len(v) for v in aliases.values()),
    )


def _replace_topics(topics: TopicModel, version: str, ids: list[int], texts: list[str]) -> None:
    LearnedTopic.objects.all().delete()  # enrichments' topic goes NULL, re-set below
    created = LearnedTopic.objects.bulk_create(
        [
            LearnedTopic(
                label=info.label[:200],
                keywords=list(info.keywords),
                size=info.size,
                model_topic_id=info.id,
                model_version=version,
            )
            for info in topics.topics_
        ]
    )
    by_model_id = {topic.model_topic_id: topic.pk for topic in created}
    for start in range(0, len(ids), RELABEL_BATCH):
        chunk_ids = ids[start : start + RELABEL_BATCH]
        labels = topics.predict(texts[start : start + RELABEL_BATCH])
        by_topic: dict[int | None, list[int]] = {}
        for pk, label in zip(chunk_ids, labels, strict=True):
            by_topic.setdefault(by_model_id.get(label), []).append(pk)
        for topic_id, post_ids in by_topic.items():
            Enrichment.objects.filter(post_id__in=post_ids).update(topic_id=topic_id)
