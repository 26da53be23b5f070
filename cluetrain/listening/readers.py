"""The readers that enrich a message: a text tier, experience, context and learned topics.

One `Readers` per process, rebuilt when a refit of the community's own models lands. Its
`version` is stored with every enrichment, so a change of any reader re-enriches in the
background (see tasks.enrich_pending).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from django.conf import settings

from cluetrain.listening.models import FittedModel
from cluetrain.organizations.models import Product
from cluetrain_analytics.artifacts import loads_artifact
from cluetrain_analytics.text.community import CommunityHeads, CommunityTier
from cluetrain_analytics.text.context import CatalogEntry, Context, ContextReader, OtherBrands
from cluetrain_analytics.text.experience import Experience, read_experience
from cluetrain_analytics.text.fast import Analysis, FastTier, load_fast_tier
from cluetrain_analytics.text.stance import Reply, StanceReader, load_stance_reader
from cluetrain_analytics.text.topics import TopicModel

T = TypeVar("T")

#: Bump when the way this module combines the readers changes.
PIPELINE_VERSION = "3"  # 3: intents and events abstain (issue 17)
CONTEXT = "context"
TOPICS = "topics"
#: The sentiment and emotion heads retrained from staff's labels (retrain.py).
LABELS = "labels"


class TextTier(Protocol):
    version: str

    def analyze(self, texts: Sequence[str]) -> list[Analysis]: ...


@dataclass(frozen=True)
class Reading:
    """Everything listening says about one message."""

    analysis: Analysis
    experience: Experience
    context: Context
    #: The fitted topic model's topic id, -1 when none fits or no model is fitted yet.
    topic: int
    #: Toward the message it answers: support, deny, query or comment ("" when not read).
    stance: str = ""
    stance_confidence: float = 0.0


@dataclass
class Readers:
    tier: TextTier
    context: ContextReader
    topics: TopicModel | None
    stance: StanceReader
    #: Ids of the FittedModel rows in use (0 when none): a new fit changes them.
    fitted_ids: tuple[int, int, int]
    version: str

    def read(
        self,
        texts: Sequence[str],
        replies: Sequence[Reply] = (),
        others: OtherBrands | None = None,
    ) -> list[Reading]:
        """Read each text; ``replies`` (the same messages with what they answer) adds stance,
        ``others`` (other companies' accounts) tells messages about them from ours."""
        if not texts:
            return []
        analyses = self.tier.analyze(texts)
        experiences = read_experience(texts, sentiment=[a.sentiment_score for a in analyses])
        contexts = self.context.read(texts, others)
        topics = self.topics.predict(texts) if self.topics is not None else [-1] * len(texts)
        stances: list[tuple[str, float]] = [("", 0.0)] * len(texts)
        if replies:
            if len(replies) != len(texts):
                raise ValueError("texts and replies differ in length")
            proba = self.stance.probabilities(replies)
            stances = [(self.stance.classes_[int(row.argmax())], float(row.max())) for row in proba]
        return [
            Reading(analysis=a, experience=e, context=c, topic=t, stance=s, stance_confidence=p)
            for a, e, c, t, (s, p) in zip(
                analyses, experiences, contexts, topics, stances, strict=True
            )
        ]


def load_tier(name: str) -> TextTier:
    if name == "accurate":
        from cluetrain_analytics.text.accurate import load_accurate_tier

        tier: TextTier = load_accurate_tier()
        return tier
    return load_fast_tier()


def catalog() -> list[CatalogEntry]:
    return [
        CatalogEntry(key=slug, name=name)
        for slug, name in Product.objects.order_by("pk").values_list("slug", "name")
    ]


def latest_fitted(kind: str) -> FittedModel | None:
    return FittedModel.objects.filter(kind=kind).order_by("-fitted_at", "-pk").first()


def _latest_ids() -> tuple[int, int, int]:
    ids = []
    for kind in (CONTEXT, TOPICS, LABELS):
        row = FittedModel.objects.filter(kind=kind).order_by("-fitted_at", "-pk").values("pk")
        first = row.first()
        ids.append(first["pk"] if first else 0)
    return ids[0], ids[1], ids[2]


#: What makes new community models when the stored ones cannot be read any more.
REFIT = "cluetrain listen --refit"
RETRAIN = "cluetrain listening retrain"


def _unpickle(row: FittedModel | None, expected: type[T]) -> T | None:
    """The row's model; ArtifactVersionError when this environment's versions cannot read it."""
    if row is None:
        return None
    name = f"the community's {row.kind} model {row.version} (FittedModel {row.pk})"
    retrain = RETRAIN if row.kind == LABELS else REFIT
    return loads_artifact(bytes(row.blob), expected, name=name, retrain=retrain)


def with_community_heads(tier: TextTier, row: FittedModel | None) -> TextTier:
    """The fast tier with the heads retrained from staff's labels, when there are heads fitted
    on this very tier (a new shipped tier needs a retrain: until then the shipped heads read)."""
    if row is None or not isinstance(tier, FastTier):
        return tier
    heads = _unpickle(row, CommunityHeads)
    if heads is None or heads.base_version != tier.version:
        return tier
    return CommunityTier(tier, heads, version=f"{tier.version}+{row.kind}{row.pk}")


_cached: Readers | None = None


def current_readers() -> Readers:
    """The readers for this process, rebuilt when a newer fitted model is in the database."""
    global _cached
    ids = _latest_ids()
    if _cached is not None and _cached.fitted_ids == ids:
        return _cached
    tier = load_tier(settings.LISTENING_TIER)
    context_row, topics_row = latest_fitted(CONTEXT), latest_fitted(TOPICS)
    context = _unpickle(context_row, ContextReader)
    if context is not None and context_row is not None:
        context_version = context_row.version
    else:
        entries = catalog()
        context = ContextReader(entries).fit([])
        context_version = f"catalog{len(entries)}"
    topics = _unpickle(topics_row, TopicModel)
    tier = with_community_heads(tier, latest_fitted(LABELS))
    stance = load_stance_reader()
    _cached = Readers(
        tier=tier,
        context=context,
        topics=topics,
        stance=stance,
        fitted_ids=ids,
        # Topics are not in the version: a refit re-labels topics in place (refresh.py).
        version=f"p{PIPELINE_VERSION}|{tier.version}|ctx-{context_version}|st-{stance.version}",
    )
    return _cached


def forget_readers() -> None:
    """Drop the cached readers (tests change the catalog under them)."""
    global _cached
    _cached = None
