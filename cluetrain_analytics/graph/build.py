"""Typed, weighted, time-stamped interaction graphs.

An :class:`InteractionGraph` holds every interaction between people as columns (numpy arrays:
source, target, kind, time, weight, topic) over a fixed, ordered tuple of node ids. Matrices
(``scipy.sparse``) are built from the columns on demand, one per interaction kind or summed
over several. Projections by topic and slices by time keep the same nodes, so a person's
index, and therefore every score vector, lines up across projections.

The direction of an edge is the direction of the act: ``source`` replied to, mentioned,
shared, voted for, followed or accepted the answer of ``target``.
"""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]
from numpy.typing import ArrayLike, NDArray

from cluetrain_analytics.graph.exceptions import GraphError

__all__ = [
    "KINDS",
    "NO_TOPIC",
    "Interaction",
    "InteractionGraph",
    "InteractionKind",
    "interaction_graph",
    "interaction_graph_from_arrays",
    "time_slice",
    "topic_subgraph",
]


class InteractionKind(StrEnum):
    """What one person did to another (or to their message)."""

    FOLLOW = "follow"
    CONNECT = "connect"
    REPLY = "reply"
    MENTION = "mention"
    SHARE = "share"  # a share, retweet or quote of the target's message
    VOTE = "vote"  # an up-vote, like or applause on the target's message
    ACCEPTED_ANSWER = "accepted_answer"  # the source accepted the target's answer


#: The kinds in their fixed order; an edge's ``kind`` code indexes this tuple.
KINDS: tuple[InteractionKind, ...] = tuple(InteractionKind)
#: The topic code of an edge that belongs to no topic.
NO_TOPIC = -1


@dataclass(frozen=True, slots=True)
class Interaction:
    """One act of ``source`` toward ``target``.

    ``at`` is a unix time in seconds or a timezone-aware datetime; ``topic`` is any hashable
    label (from the listening engine) or None; ``weight`` scales the act (1.0 by default).
    """

    source: Hashable
    target: Hashable
    kind: InteractionKind | str
    at: float | datetime
    topic: Hashable | None = None
    weight: float = 1.0


@dataclass(frozen=True, eq=False)
class InteractionGraph:
    """Interactions as columns over a fixed tuple of nodes.

    Build one with :func:`interaction_graph` or :func:`interaction_graph_from_arrays` rather
    than by hand. Edge ``i`` goes from ``nodes[source[i]]`` to ``nodes[target[i]]``, is of kind
    ``KINDS[kind[i]]``, happened at unix time ``at[i]``, weighs ``weight[i]`` and belongs to
    ``topics[topic[i]]`` (or to no topic when ``topic[i] == NO_TOPIC``).
    """

    nodes: tuple[Hashable, ...]
    source: NDArray[np.int64]
    target: NDArray[np.int64]
    kind: NDArray[np.int8]
    at: NDArray[np.float64]
    weight: NDArray[np.float64]
    topic: NDArray[np.int64]
    topics: tuple[Hashable, ...] = field(default=())

    @property
    def number_of_nodes(self) -> int:
        return len(self.nodes)

    @property
    def number_of_edges(self) -> int:
        return len(self.source)

    @cached_property
    def index(self) -> dict[Hashable, int]:
        """Node id -> row and column of the node in every matrix."""
        return {node: position for position, node in enumerate(self.nodes)}

    def matrix(self, kinds: Iterable[InteractionKind | str] | None = None) -> sp.csr_array:
        """The n x n matrix of summed edge weights (source row, target column).

        ``kinds`` restricts it to some interaction kinds; None takes them all.
        """
        mask = _kind_mask(self, kinds)
        n = self.number_of_nodes
        return sp.csr_array(
            (self.weight[mask], (self.source[mask], self.target[mask])), shape=(n, n)
        )

    def matrices(self) -> dict[InteractionKind, sp.csr_array]:
        """One summed-weight matrix per interaction kind present in the graph."""
        present = np.unique(self.kind)
        return {KINDS[code]: self.matrix([KINDS[code]]) for code in present.tolist()}


def _kind_codes(kinds: Iterable[InteractionKind | str]) -> list[int]:
    try:
        return [KINDS.index(InteractionKind(kind)) for kind in kinds]
    except ValueError:
        known = ", ".join(KINDS)
        raise GraphError(f"unknown interaction kind in {list(kinds)!r}; known: {known}") from None


def _kind_mask(
    graph: InteractionGraph, kinds: Iterable[InteractionKind | str] | None
) -> NDArray[np.bool_]:
    if kinds is None:
        return np.ones(graph.number_of_edges, dtype=bool)
    return np.isin(graph.kind, _kind_codes(kinds))


def _unix_time(moment: float | datetime) -> float:
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            raise GraphError(f"naive datetime {moment!r}: give a timezone-aware one")
        return moment.timestamp()
    return float(moment)


def _codes(
    values: Sequence[Hashable], known: Sequence[Hashable] | None
) -> tuple[tuple[Hashable, ...], NDArray[np.int64]]:
    """Distinct values (``known`` first, in its order) and each value's position among them."""
    order: dict[Hashable, int] = {value: i for i, value in enumerate(known or ())}
    codes = np.empty(len(values), dtype=np.int64)
    for i, value in enumerate(values):
        codes[i] = order.setdefault(value, len(order))
    return tuple(order), codes


def interaction_graph(
    interactions: Iterable[Interaction], *, nodes: Iterable[Hashable] | None = None
) -> InteractionGraph:
    """Build an :class:`InteractionGraph` from :class:`Interaction` records.

    Parameters
    ----------
    interactions : iterable of Interaction
        The acts, in any order.
    nodes : iterable of hashable, optional
        People to include even without any interaction (followers-only lurkers, new members),
        and the order to give them; people seen only in ``interactions`` follow, in order of
        first appearance.

    Returns
    -------
    InteractionGraph

    Raises
    ------
    GraphError
        On an unknown kind, a naive datetime, or a negative or non-finite weight.

    Examples
    --------
    >>> G = interaction_graph([
    ...     Interaction("ann", "bob", "reply", 10.0, topic="billing"),
    ...     Interaction("cat", "bob", InteractionKind.SHARE, 20.0),
    ... ])
    >>> G.nodes, G.number_of_edges, G.topics
    (('ann', 'bob', 'cat'), 2, ('billing',))
    >>> G.matrix(["share"]).toarray().tolist()
    [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    """
    records = list(interactions)
    endpoints: list[Hashable] = []
    for record in records:
        endpoints += (record.source, record.target)
    node_ids, endpoint_codes = _codes(endpoints, list(nodes) if nodes is not None else None)
    topic_values = [record.topic for record in records if record.topic is not None]
    topic_ids, _ = _codes(topic_values, None)
    topic_index = {topic: i for i, topic in enumerate(topic_ids)}
    return _validated(
        InteractionGraph(
            nodes=node_ids,
            source=endpoint_codes[0::2],
            target=endpoint_codes[1::2],
            kind=np.array(_kind_codes(record.kind for record in records), dtype=np.int8),
            at=np.array([_unix_time(record.at) for record in records], dtype=np.float64),
            weight=np.array([record.weight for record in records], dtype=np.float64),
            topic=np.array(
                [NO_TOPIC if r.topic is None else topic_index[r.topic] for r in records],
                dtype=np.int64,
            ),
            topics=topic_ids,
        )
    )


def interaction_graph_from_arrays(
    source: ArrayLike,
    target: ArrayLike,
    kind: ArrayLike,
    at: ArrayLike,
    *,
    weight: ArrayLike | None = None,
    topic: ArrayLike | None = None,
) -> InteractionGraph:
    """Build an :class:`InteractionGraph` from parallel arrays, without a loop per edge.

    For bulk data (an imported activity log of hundreds of thousands of rows). Node ids and
    topics are sorted (``numpy.unique``), so they must be mutually comparable; ``kind`` holds
    kind names; ``topic`` may use None for "no topic" only if it is an object array.

    Examples
    --------
    >>> G = interaction_graph_from_arrays([3, 1], [1, 2], ["share", "mention"], [5.0, 6.0])
    >>> G.nodes, G.source.tolist(), G.target.tolist()
    ((1, 2, 3), [2, 0], [0, 1])
    """
    sources, targets = np.asarray(source), np.asarray(target)
    if sources.shape != targets.shape or sources.ndim != 1:
        raise GraphError("source and target must be one-dimensional and of equal length")
    size = len(sources)
    node_ids, codes = np.unique(np.concatenate([sources, targets]), return_inverse=True)
    kind_names, kind_codes = np.unique(np.asarray(kind, dtype=str), return_inverse=True)
    kind_table = np.array(_kind_codes(kind_names.tolist()), dtype=np.int8)
    topic_ids: tuple[Hashable, ...] = ()
    topic_codes = np.full(size, NO_TOPIC, dtype=np.int64)
    if topic is not None:
        topics = np.asarray(topic, dtype=object)
        labelled = np.array([value is not None for value in topics], dtype=bool)
        if labelled.any():
            distinct, inverse = np.unique(topics[labelled], return_inverse=True)
            topic_ids = tuple(distinct.tolist())
            topic_codes[labelled] = inverse
    return _validated(
        InteractionGraph(
            nodes=tuple(node_ids.tolist()),
            source=codes[:size].astype(np.int64),
            target=codes[size:].astype(np.int64),
            kind=kind_table[kind_codes],
            at=np.asarray(at, dtype=np.float64),
            weight=np.ones(size) if weight is None else np.asarray(weight, dtype=np.float64),
            topic=topic_codes,
            topics=topic_ids,
        )
    )


def _validated(graph: InteractionGraph) -> InteractionGraph:
    columns: dict[str, NDArray[Any]] = {
        "kind": graph.kind,
        "at": graph.at,
        "weight": graph.weight,
        "topic": graph.topic,
    }
    for name, column in columns.items():
        if column.shape != graph.source.shape:
            raise GraphError(f"{name} has {column.size} values for {graph.number_of_edges} edges")
    if not np.isfinite(graph.at).all():
        raise GraphError("every interaction needs a finite time")
    if not (np.isfinite(graph.weight).all() and (graph.weight >= 0).all()):
        raise GraphError("weights must be finite and not negative")
    return graph


def _filtered(graph: InteractionGraph, mask: NDArray[np.bool_]) -> InteractionGraph:
    return InteractionGraph(
        nodes=graph.nodes,
        source=graph.source[mask],
        target=graph.target[mask],
        kind=graph.kind[mask],
        at=graph.at[mask],
        weight=graph.weight[mask],
        topic=graph.topic[mask],
        topics=graph.topics,
    )


def topic_subgraph(graph: InteractionGraph, topic: Hashable) -> InteractionGraph:
    """The same people, only the interactions on ``topic``.

    Raises
    ------
    GraphError
        If no interaction of the graph carries ``topic``.

    Examples
    --------
    >>> G = interaction_graph([
    ...     Interaction("a", "b", "reply", 1.0, topic="t1"),
    ...     Interaction("a", "c", "reply", 2.0, topic="t2"),
    ... ])
    >>> H = topic_subgraph(G, "t2")
    >>> H.number_of_nodes, H.number_of_edges, H.nodes[H.target[0]]
    (3, 1, 'c')
    """
    if topic not in graph.topics:
        raise GraphError(f"no interaction carries topic {topic!r}")
    return _filtered(graph, graph.topic == graph.topics.index(topic))


def time_slice(
    graph: InteractionGraph,
    *,
    start: float | datetime | None = None,
    end: float | datetime | None = None,
) -> InteractionGraph:
    """The same people, only the interactions with ``start <= at < end``.

    Examples
    --------
    >>> G = interaction_graph([Interaction("a", "b", "vote", t) for t in (1.0, 5.0, 9.0)])
    >>> time_slice(G, start=5.0).at.tolist(), time_slice(G, end=5.0).at.tolist()
    ([5.0, 9.0], [1.0])
    """
    mask = np.ones(graph.number_of_edges, dtype=bool)
    if start is not None:
        mask &= graph.at >= _unix_time(start)
    if end is not None:
        mask &= graph.at < _unix_time(end)
    return _filtered(graph, mask)
