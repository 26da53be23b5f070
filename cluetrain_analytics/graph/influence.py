"""Influence: who is actually heard, globally and per topic.

Attention flows from the one who reacted to the one who was reacted to: a share, an accepted
answer, a reply, a vote or a mention says that its target was heard; a follow or a connection
says nothing about being heard, so it weighs nothing by default. :func:`influence_scores` runs
a PageRank-style propagation on that attention graph, with a weight per kind and an optional
half-life, and teleports only to people in proportion to the attention they received, so
someone nobody reacts to scores exactly zero however many followers they have. Plain
in-degree and plain PageRank are here as the baselines to beat.

The power iteration is ours on ``scipy.sparse`` because it measured fastest at equal precision
(docs/influence.md, benchmarks/graph-epinions.md). Its tolerance is the L1 change of the whole
vector, not ``N x tol`` as in networkx: with tol=1e-6 on an 82k-node graph that stops after 3
iterations, with a wrong top-10 order.
"""

from collections.abc import Hashable, Iterable, Mapping
from datetime import datetime

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]
from numpy.typing import NDArray

from cluetrain_analytics.graph.build import (
    KINDS,
    InteractionGraph,
    InteractionKind,
    _kind_codes,
    _kind_mask,
    _unix_time,
    topic_subgraph,
)
from cluetrain_analytics.graph.exceptions import ConvergenceError, GraphError

__all__ = [
    "DEFAULT_DAMPING",
    "DEFAULT_KIND_WEIGHTS",
    "attention_matrix",
    "in_degree_scores",
    "influence_by_topic",
    "influence_scores",
    "pagerank_scores",
    "pagerank_vector",
]

#: How much each kind of reaction says its target was heard. A share carries the message
#: further and an accepted answer settles a question; a mention may be a passing reference.
DEFAULT_KIND_WEIGHTS: Mapping[InteractionKind | str, float] = {
    InteractionKind.SHARE: 1.0,
    InteractionKind.ACCEPTED_ANSWER: 1.0,
    InteractionKind.REPLY: 0.5,
    InteractionKind.VOTE: 0.3,
    InteractionKind.MENTION: 0.25,
    InteractionKind.FOLLOW: 0.0,
    InteractionKind.CONNECT: 0.0,
}
#: Share of a person's score inherited from who heard them; the rest is the attention they
#: received themselves. Lower than PageRank's usual 0.85: on the Higgs evaluation, propagation
#: helped little to predict who is retweeted next (docs/influence.md).
DEFAULT_DAMPING = 0.5
DEFAULT_TOL = 1e-10
DEFAULT_MAX_ITER = 1000


def pagerank_vector(
    matrix: sp.sparray,
    *,
    damping: float = 0.85,
    personalization: NDArray[np.float64] | None = None,
    tol: float = DEFAULT_TOL,
    max_iter: int = DEFAULT_MAX_ITER,
) -> NDArray[np.float64]:
    """PageRank by power iteration on a weighted adjacency matrix (row links to column).

    Dangling rows (no out-links) hand their mass to the teleport distribution, as in networkx.
    Iteration stops when the L1 change of the whole vector is below ``tol``.

    Parameters
    ----------
    matrix : scipy sparse array, shape (n, n)
        Non-negative edge weights.
    damping : float
        Probability of following a link, in [0, 1).
    personalization : array of n floats, optional
        Teleport weights (normalised here); uniform when None.
    tol : float
        L1 tolerance of the stopping rule.
    max_iter : int
        Iteration budget.

    Returns
    -------
    numpy array of n floats summing to 1.

    Raises
    ------
    GraphError
        On a bad damping, a negative weight or an all-zero personalization.
    ConvergenceError
        If ``tol`` is not reached within ``max_iter`` iterations.

    Examples
    --------
    >>> star = sp.csr_array(([1.0, 1.0, 1.0], ([1, 2, 3], [0, 0, 0])), shape=(4, 4))
    >>> scores = pagerank_vector(star)
    >>> round(float(scores[0]), 4), round(float(scores[1]), 4)
    (0.542, 0.1527)
    """
    if not 0 <= damping < 1:
        raise GraphError(f"damping must be in [0, 1), not {damping}")
    adjacency = sp.csr_array(matrix, dtype=np.float64)
    n = adjacency.shape[0]
    if n == 0:
        return np.zeros(0)
    if adjacency.data.size and adjacency.data.min() < 0:
        raise GraphError("edge weights must not be negative")
    if personalization is None:
        teleport = np.full(n, 1.0 / n)
    else:
        teleport = np.asarray(personalization, dtype=np.float64)
        total = teleport.sum()
        if teleport.shape != (n,) or (teleport < 0).any() or not total > 0:
            raise GraphError("personalization needs n non-negative weights, not all zero")
        teleport = teleport / total
    out_weight = np.asarray(adjacency.sum(axis=1)).ravel()
    inverse = np.divide(1.0, out_weight, out=np.zeros(n), where=out_weight > 0)
    # Transposed once, so every iteration is one CSR matrix-vector product.
    transition = sp.csr_array((sp.diags_array(inverse) @ adjacency).T)
    scores = teleport.copy()
    for _ in range(max_iter):
        following = transition @ scores
        # Rows without out-links pass nothing on; their mass (what the product lost, as the
        # scores sum to 1) goes back through the teleport, together with the restart share.
        dangling_mass = scores.sum() - following.sum()
        following *= damping
        following += (damping * dangling_mass + 1 - damping) * teleport
        change = np.abs(following - scores).sum()
        scores = following
        if change < tol:
            return np.asarray(scores, dtype=np.float64)
    raise ConvergenceError(f"PageRank did not reach tol={tol} in {max_iter} iterations")


def attention_matrix(
    graph: InteractionGraph,
    *,
    kind_weights: Mapping[InteractionKind | str, float] | None = None,
    half_life: float | None = None,
    now: float | datetime | None = None,
) -> sp.csr_array:
    """Who heard whom: summed, kind-weighted, optionally time-decayed reactions.

    Row ``i``, column ``j`` is the attention ``nodes[i]`` paid to ``nodes[j]``. With a
    ``half_life`` (seconds), a reaction ``half_life`` seconds before ``now`` counts half;
    reactions after ``now`` never count. ``now`` defaults to the latest interaction.

    Examples
    --------
    >>> from cluetrain_analytics.graph.build import Interaction, interaction_graph
    >>> G = interaction_graph([
    ...     Interaction("a", "b", "share", 0.0),
    ...     Interaction("a", "b", "follow", 0.0),
    ...     Interaction("c", "b", "reply", 100.0),
    ... ])
    >>> attention_matrix(G, half_life=100.0).toarray()[:, 1].tolist()
    [0.5, 0.0, 0.5]
    """
    weights_by_kind = DEFAULT_KIND_WEIGHTS if kind_weights is None else kind_weights
    per_code = np.zeros(len(KINDS))
    for kind, kind_weight in weights_by_kind.items():
        if kind_weight < 0:
            raise GraphError(f"the weight of {kind!r} must not be negative")
        per_code[_kind_codes([kind])[0]] = kind_weight
    weight = graph.weight * per_code[graph.kind]
    reference = graph.at.max(initial=0.0) if now is None else _unix_time(now)
    keep = graph.at <= reference
    if half_life is not None:
        if not half_life > 0:
            raise GraphError(f"half_life must be greater than zero, not {half_life}")
        weight = weight * np.exp2(-(reference - graph.at) / half_life)
    n = graph.number_of_nodes
    return sp.csr_array((weight[keep], (graph.source[keep], graph.target[keep])), shape=(n, n))


def _as_dict(graph: InteractionGraph, vector: NDArray[np.float64]) -> dict[Hashable, float]:
    return dict(zip(graph.nodes, vector.tolist(), strict=True))


def influence_scores(
    graph: InteractionGraph,
    *,
    topic: Hashable | None = None,
    kind_weights: Mapping[InteractionKind | str, float] | None = None,
    half_life: float | None = None,
    now: float | datetime | None = None,
    damping: float = DEFAULT_DAMPING,
    tol: float = DEFAULT_TOL,
) -> dict[Hashable, float]:
    """How much each person is heard: attention received, propagated from who gave it.

    A PageRank on :func:`attention_matrix` whose teleport goes to each person in proportion
    to the attention they received. Scores sum to 1 over everyone (all zero if nobody heard
    anybody); a person nobody reacted to scores 0.

    Parameters
    ----------
    graph : InteractionGraph
    topic : hashable, optional
        Count only the interactions on this topic.
    kind_weights : mapping, optional
        Weight per interaction kind; kinds left out weigh 0. Default ``DEFAULT_KIND_WEIGHTS``.
    half_life : float, optional
        Seconds after which a reaction counts half; no decay when None.
    now : float or aware datetime, optional
        Reference time for the decay; later interactions are ignored.
    damping : float
        Share of the score inherited from the people who reacted (``DEFAULT_DAMPING``).
    tol : float
        L1 tolerance of the power iteration.

    Returns
    -------
    dict
        Node -> score.

    Examples
    --------
    >>> from cluetrain_analytics.graph.build import Interaction, interaction_graph
    >>> G = interaction_graph(
    ...     [Interaction(f, "celebrity", "follow", 0.0) for f in "abcdef"]
    ...     + [Interaction("a", "helper", "accepted_answer", 1.0),
    ...        Interaction("b", "helper", "share", 2.0)]
    ... )
    >>> scores = influence_scores(G)
    >>> scores["helper"] > scores["celebrity"], scores["celebrity"]
    (True, 0.0)
    """
    subject = graph if topic is None else topic_subgraph(graph, topic)
    attention = attention_matrix(subject, kind_weights=kind_weights, half_life=half_life, now=now)
    received = np.asarray(attention.sum(axis=0)).ravel()
    if not received.sum() > 0:
        return _as_dict(graph, np.zeros(graph.number_of_nodes))
    vector = pagerank_vector(attention, damping=damping, personalization=received, tol=tol)
    return _as_dict(graph, vector)


def influence_by_topic(
    graph: InteractionGraph, **options: float | Mapping[InteractionKind | str, float] | None
) -> dict[Hashable, dict[Hashable, float]]:
    """:func:`influence_scores` for every topic of the graph; ``options`` are passed on.

    Examples
    --------
    >>> from cluetrain_analytics.graph.build import Interaction, interaction_graph
    >>> G = interaction_graph([
    ...     Interaction("a", "b", "reply", 1.0, topic="billing"),
    ...     Interaction("a", "c", "reply", 2.0, topic="shipping"),
    ... ])
    >>> {topic: max(s, key=s.__getitem__) for topic, s in influence_by_topic(G).items()}
    {'billing': 'b', 'shipping': 'c'}
    """
    return {
        topic: influence_scores(graph, topic=topic, **options)  # type: ignore[arg-type]
        for topic in graph.topics
    }


def in_degree_scores(
    graph: InteractionGraph, *, kinds: Iterable[InteractionKind | str] | None = None
) -> dict[Hashable, float]:
    """Baseline: summed weight of the interactions each person received.

    Examples
    --------
    >>> from cluetrain_analytics.graph.build import Interaction, interaction_graph
    >>> G = interaction_graph([Interaction("a", "b", "follow", 0.0),
    ...                        Interaction("c", "b", "reply", 0.0)])
    >>> in_degree_scores(G), in_degree_scores(G, kinds=["reply"])["b"]
    ({'a': 0.0, 'b': 2.0, 'c': 0.0}, 1.0)
    """
    mask = _kind_mask(graph, kinds)
    received = np.bincount(
        graph.target[mask], weights=graph.weight[mask], minlength=graph.number_of_nodes
    )
    return _as_dict(graph, received.astype(np.float64))


def pagerank_scores(
    graph: InteractionGraph,
    *,
    kinds: Iterable[InteractionKind | str] | None = None,
    damping: float = 0.85,
    tol: float = DEFAULT_TOL,
) -> dict[Hashable, float]:
    """Baseline: plain PageRank (uniform teleport) on the summed interaction weights.

    Examples
    --------
    >>> from cluetrain_analytics.graph.build import Interaction, interaction_graph
    >>> G = interaction_graph([Interaction(s, "hub", "follow", 0.0) for s in "abc"])
    >>> round(pagerank_scores(G)["hub"], 4)
    0.542
    """
    return _as_dict(graph, pagerank_vector(graph.matrix(kinds), damping=damping, tol=tol))
