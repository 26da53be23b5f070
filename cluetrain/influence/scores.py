"""Compute who is heard, globally and per learned topic, and store it in one swap.

`compute_influence()` reads the interaction graph (`graph.py`), scores it with the analytics
core, for the whole community and for each topic: influence (`influence_scores`), or the
attention received where that ranked the topic's later days better (`better_signal`, stored as
a `RankingSignal` with the comparison); the roles that single out a minority, with the numbers
behind them (`role_facts`); each member's stance toward the company (the tone and the stance
of what they wrote, from listening). Every row is replaced in one transaction, so readers see
the old tables or the new ones.
"""

from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone

from cluetrain.influence.graph import community_graph
from cluetrain.influence.models import InfluenceScore, RankingSignal
from cluetrain.listening.models import Enrichment
from cluetrain.members.models import COMPANY_STAFF_ROLES, Member
from cluetrain_analytics.graph import (
    DEFAULT_KIND_WEIGHTS,
    InteractionGraph,
    in_degree_scores,
    influence_scores,
    topic_subgraph,
)
from cluetrain_analytics.graph.backtest import IN_DEGREE, SignalChoice, better_signal
from cluetrain_analytics.graph.roles import advocates_and_detractors, role_facts
from cluetrain_analytics.text.stance import toward_company

Progress = Callable[[int], None]
#: The company's own voice: listed apart from customers, never as their advocates.
COMPANY_ROLES = COMPANY_STAFF_ROLES | {Member.Role.PARTNER}
#: Each influencer role goes to people ahead of 90 % of the active members on its measure.
ROLE_SHARE = 0.1


@dataclass(frozen=True)
class InfluenceSummary:
    members: int
    interactions: int
    topics: int
    rows: int


def stances() -> tuple[dict[int, float], dict[tuple[int, int], float]]:
    """Mean stance toward the company per member, overall and per (member, topic).

    Each message counts by its tone and, for a reply, by whether it agrees with what it answers
    (`cluetrain_analytics.text.stance.toward_company`): agreeing with a staff answer is for the
    company, agreeing with a complaint against it; questions count for neither side.
    """
    overall: dict[int, list[float]] = defaultdict(list)
    by_topic: dict[tuple[int, int], list[float]] = defaultdict(list)
    rows = Enrichment.objects.filter(
        post__author__isnull=False, post__is_deleted=False
    ).values_list(
        "post__author_id",
        "topic_id",
        "sentiment_score",
        "stance",
        "post__parent_id",
        "post__parent__author__role",
        "post__parent__enrichment__sentiment_score",
    )
    for author, topic, score, stance, parent, parent_role, parent_score in rows:
        answered = None
        if parent is not None:
            answered = 1.0 if parent_role in COMPANY_STAFF_ROLES else parent_score
        value = toward_company(score, stance, answered)
        if value is None:
            continue
        overall[author].append(value)
        if topic is not None:
            by_topic[(author, topic)].append(value)
    return (
        {member: sum(v) / len(v) for member, v in overall.items()},
        {key: sum(v) / len(v) for key, v in by_topic.items()},
    )


def _topic_stance(
    stance: Mapping[tuple[int, int], float], topic_id: int, member: int
) -> float | None:
    return stance.get((member, topic_id))


def _ranked(
    scores: Mapping[Hashable, float],
    *,
    topic_id: int | None,
    stance: Callable[[int], float | None],
    facts: Mapping[Hashable, dict[str, dict[str, float]]],
    now: datetime,
) -> list[InfluenceScore]:
    heard = sorted(
        ((node, score) for node, score in scores.items() if score > 0),
        key=lambda item: (-item[1], str(item[0])),
    )
    return [
        InfluenceScore(
            member_id=int(node),  # type: ignore[call-overload]
            topic_id=topic_id,
            score=score,
            rank=rank,
            roles=",".join(facts.get(node, {})),
            role_facts=facts.get(node, {}),
            stance=stance(int(node)),  # type: ignore[call-overload]
            computed_at=now,
        )
        for rank, (node, score) in enumerate(heard, start=1)
    ]


def _scores(graph: InteractionGraph, choice: SignalChoice) -> dict[Hashable, float]:
    """The chosen signal, summing to 1 like influence does."""
    if choice.signal != IN_DEGREE:
        return influence_scores(graph)
    heard = [kind for kind, weight in DEFAULT_KIND_WEIGHTS.items() if weight > 0]
    received = in_degree_scores(graph, kinds=heard)
    total = sum(received.values())
    return {node: value / total for node, value in received.items()} if total else received


def _signal_row(topic_id: int | None, choice: SignalChoice, now: datetime) -> RankingSignal:
    return RankingSignal(
        topic_id=topic_id,
        signal=choice.signal,
        influence_ndcg=choice.influence_ndcg,
        in_degree_ndcg=choice.in_degree_ndcg,
        judged_on=choice.judged_on,
        computed_at=now,
    )


def compute_influence(progress: Progress | None = None) -> InfluenceSummary:
    """Recompute and store every member's influence; safe to run twice.

    ``progress`` is called with 1 after the global scores and after each topic.
    """
    graph = community_graph()
    tick = progress or (lambda _n: None)
    now = timezone.now()
    overall_stance, topic_stance = stances()
    choice = better_signal(graph)
    signals = [_signal_row(None, choice, now)]
    rows = _ranked(
        _scores(graph, choice),
        topic_id=None,
        stance=overall_stance.get,
        facts=role_facts(graph, top_share=ROLE_SHARE),
        now=now,
    )
    tick(1)
    for topic in graph.topics:
        topic_id = int(topic)  # type: ignore[call-overload]
        subgraph = topic_subgraph(graph, topic)
        choice = better_signal(subgraph)
        signals.append(_signal_row(topic_id, choice, now))
        rows += _ranked(
            _scores(subgraph, choice),
            topic_id=topic_id,
            stance=partial(_topic_stance, topic_stance, topic_id),
            facts=role_facts(subgraph, top_share=ROLE_SHARE),
            now=now,
        )
        tick(1)
    with transaction.atomic():
        InfluenceScore.objects.all().delete()
        RankingSignal.objects.all().delete()
        InfluenceScore.objects.bulk_create(rows, batch_size=1000)
        RankingSignal.objects.bulk_create(signals)
    return InfluenceSummary(
        members=graph.number_of_nodes,
        interactions=graph.number_of_edges,
        topics=len(graph.topics),
        rows=len(rows),
    )


def count_topics() -> int:
    """How many topics `compute_influence` will score (for a progress bar's total)."""
    return Enrichment.objects.filter(topic__isnull=False).values("topic_id").distinct().count()


def advocates_detractors(
    topic_id: int | None = None, *, top: int = 10
) -> dict[str, list[dict[str, object]]]:
    """Stored influence x stance: advocates loudest first, detractors most harmful first.

    Customers only: staff and partners are the company's own voice, never its advocates.
    """
    rows = InfluenceScore.objects.filter(
        topic_id=topic_id, stance__isnull=False, member__role=Member.Role.CUSTOMER
    )
    influence = {row.member_id: row.score for row in rows}
    stance = {row.member_id: max(-1.0, min(1.0, float(row.stance or 0.0))) for row in rows}
    return advocates_and_detractors(influence, stance, top=top)
