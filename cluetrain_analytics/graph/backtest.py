"""Which signal ranks a topic's people better: influence or plain attention received.

Influence (PageRank on attention, `influence_scores`) is meant to find who will be heard; on a
given community or topic, counting the reactions people received (in-degree) may simply do
better. :func:`better_signal` checks it the only honest way, on that topic's own later days:
both signals are computed from the interactions before a cut, and each is scored by NDCG@k
against the attention people received after it.
"""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import ndcg_score  # type: ignore[import-untyped]

from cluetrain_analytics.graph.build import InteractionGraph, InteractionKind, time_slice
from cluetrain_analytics.graph.influence import (
    DEFAULT_KIND_WEIGHTS,
    in_degree_scores,
    influence_scores,
)

__all__ = ["INFLUENCE", "IN_DEGREE", "SignalChoice", "better_signal"]

INFLUENCE = "influence"
IN_DEGREE = "in_degree"


@dataclass(frozen=True)
class SignalChoice:
    """The signal to rank by, and the comparison behind it (``None`` scores: not compared)."""

    signal: str
    influence_ndcg: float | None
    in_degree_ndcg: float | None
    #: Interactions after the cut that judged both signals.
    judged_on: int


def _ndcg(truth: Mapping[Hashable, float], scores: Mapping[Hashable, float], k: int) -> float:
    people = sorted(truth.keys() | scores.keys(), key=str)
    y_true = np.array([[truth.get(p, 0.0) for p in people]])
    y_score = np.array([[scores.get(p, 0.0) for p in people]])
    return float(ndcg_score(y_true, y_score, k=k))


def better_signal(
    graph: InteractionGraph,
    *,
    later_share: float = 0.25,
    k: int = 20,
    min_judged: int = 30,
    kind_weights: Mapping[InteractionKind | str, float] | None = None,
) -> SignalChoice:
    """Influence unless in-degree ranked the last ``later_share`` of the time span better.

    The cut falls where ``later_share`` of the graph's interactions remain after it; with fewer
    than ``min_judged`` interactions after it (or nobody heard then) there is nothing to judge
    on, and influence is kept. A tie keeps influence.

    Examples
    --------
    >>> from cluetrain_analytics.graph.build import Interaction, interaction_graph
    >>> early = [Interaction(f"f{i}", "loud", "reply", float(i)) for i in range(30)]
    >>> late = [Interaction(f"f{i}", "loud", "reply", 100.0 + i) for i in range(40)]
    >>> better_signal(interaction_graph(early + late)).signal
    'influence'
    >>> better_signal(interaction_graph(early)).judged_on < 30
    True
    """
    weights = DEFAULT_KIND_WEIGHTS if kind_weights is None else kind_weights
    heard = [kind for kind, weight in weights.items() if weight > 0]
    if graph.number_of_edges == 0:
        return SignalChoice(INFLUENCE, None, None, 0)
    cut = float(np.quantile(graph.at, 1.0 - later_share))
    before, after = time_slice(graph, end=cut), time_slice(graph, start=cut)
    truth = {p: v for p, v in in_degree_scores(after, kinds=heard).items() if v > 0}
    judged = after.number_of_edges
    if judged < min_judged or not truth or before.number_of_edges == 0:
        return SignalChoice(INFLUENCE, None, None, judged)
    ours = _ndcg(truth, influence_scores(before, kind_weights=weights), k)
    counted = _ndcg(truth, in_degree_scores(before, kinds=heard), k)
    return SignalChoice(IN_DEGREE if counted > ours else INFLUENCE, ours, counted, judged)
