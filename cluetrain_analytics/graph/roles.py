"""Types of influencers, each a written rule on measured quantities, and advocates/detractors.

:func:`role_evidence` measures, per person, what the rules read; :func:`influencer_roles`
applies the rules (thresholds are keywords, so a community can tune them):

* **expert**: heard for answers on few topics: at least ``min_answers`` replies plus accepted
  answers received, those making at least ``min_answer_share`` of all attention received,
  heard on at least one and at most ``max_expert_topics`` topics;
* **connector**: a bridge: normalised betweenness on the undirected interaction graph of at
  least ``min_betweenness``, or interactions on at least ``min_bridged_topics`` topics and on
  at least ``min_bridged_share`` of all the topics in the graph (where most people talk on a
  few of eight topics, three topics bridge nothing);
* **amplifier**: carries others' messages further and is heard for it: at least
  ``min_amplifications`` shares and mentions made, and at least ``min_echo_rate`` reactions
  received within ``echo_window`` seconds after them, per share or mention.
"""

import math
from bisect import bisect_left
from collections.abc import Hashable, Mapping
from typing import Any, TypeVar

import networkx as nx  # type: ignore[import-untyped]
import numpy as np
from numpy.typing import NDArray

from cluetrain_analytics.graph.build import (
    NO_TOPIC,
    InteractionGraph,
    InteractionKind,
    _kind_mask,
)
from cluetrain_analytics.graph.exceptions import GraphError

__all__ = [
    "ROLES",
    "ROLE_MEASURES",
    "advocates_and_detractors",
    "influencer_roles",
    "role_evidence",
    "role_facts",
]

ROLES = ("expert", "connector", "amplifier")
K = TypeVar("K", bound=Hashable)
_NOT_ATTENTION = (InteractionKind.FOLLOW, InteractionKind.CONNECT)
_ANSWERS = (InteractionKind.REPLY, InteractionKind.ACCEPTED_ANSWER)
_AMPLIFICATIONS = (InteractionKind.SHARE, InteractionKind.MENTION)


def _distinct_topics_per_node(
    nodes: NDArray[np.int64], topics: NDArray[np.int64], n: int
) -> NDArray[np.int64]:
    labelled = topics != NO_TOPIC
    pairs = np.unique(np.stack([nodes[labelled], topics[labelled]]), axis=1)
    return np.bincount(pairs[0], minlength=n)


def _echoes(
    graph: InteractionGraph, attention: NDArray[np.bool_], window: float
) -> NDArray[np.int64]:
    """Per node, reactions received within ``window`` seconds after one of its amplifications."""
    n = graph.number_of_nodes
    amplified = _kind_mask(graph, _AMPLIFICATIONS)
    reacted = attention & (graph.source != graph.target)
    if not amplified.any() or not reacted.any():
        return np.zeros(n, dtype=np.int64)
    # Exact integer keys (node, rank of time), so one sorted search finds, for each reaction,
    # the same node's latest amplification at or before it.
    _, time_rank = np.unique(graph.at, return_inverse=True)
    span = int(time_rank.max()) + 1
    amp_keys = graph.source[amplified] * span + time_rank[amplified]
    order = np.argsort(amp_keys, kind="stable")
    amp_keys, amp_nodes, amp_times = (
        amp_keys[order],
        graph.source[amplified][order],
        graph.at[amplified][order],
    )
    reaction_nodes = graph.target[reacted]
    reaction_times = graph.at[reacted]
    latest = np.searchsorted(amp_keys, reaction_nodes * span + time_rank[reacted], "right") - 1
    found = latest >= 0
    latest = np.where(found, latest, 0)
    echo = (
        found
        & (amp_nodes[latest] == reaction_nodes)
        & (reaction_times - amp_times[latest] <= window)
    )
    return np.bincount(reaction_nodes[echo], minlength=n)


def role_evidence(
    graph: InteractionGraph,
    *,
    echo_window: float = 86_400.0,
    betweenness_sample: int = 1000,
    seed: int | None = 0,
) -> dict[Hashable, dict[str, float]]:
    """What the role rules read, per person (all values plain floats).

    Keys: ``attention_received`` (reactions of every kind but follow and connect),
    ``answers_received`` (replies and accepted answers), ``answer_share``, ``topics_heard``
    (topics on which the person received attention), ``topics_spanned`` (topics of any of
    their interactions), ``betweenness`` (normalised, undirected, unweighted; estimated from
    ``betweenness_sample`` sources with ``seed`` when the graph is larger), ``amplifications``
    (shares and mentions made), ``echoes`` (reactions received within ``echo_window`` seconds
    after an amplification) and ``echo_rate``.

    Examples
    --------
    >>> from cluetrain_analytics.graph.build import Interaction, interaction_graph
    >>> G = interaction_graph([Interaction("a", "b", "accepted_answer", 0.0, topic="wifi")])
    >>> role_evidence(G)["b"]["answer_share"], role_evidence(G)["b"]["topics_heard"]
    (1.0, 1.0)
    """
    n = graph.number_of_nodes
    weights = graph.weight
    attention = ~_kind_mask(graph, _NOT_ATTENTION)
    answers = _kind_mask(graph, _ANSWERS)
    amplified = _kind_mask(graph, _AMPLIFICATIONS)
    received = np.bincount(graph.target[attention], weights[attention], minlength=n)
    answered = np.bincount(graph.target[answers], weights[answers], minlength=n)
    answer_share = np.divide(answered, received, out=np.zeros(n), where=received > 0)
    topics_heard = _distinct_topics_per_node(graph.target[attention], graph.topic[attention], n)
    topics_spanned = _distinct_topics_per_node(
        np.concatenate([graph.source, graph.target]), np.tile(graph.topic, 2), n
    )
    amplifications = np.bincount(graph.source[amplified], minlength=n)
    echoes = _echoes(graph, attention, echo_window)
    echo_rate = np.divide(echoes, amplifications, out=np.zeros(n), where=amplifications > 0)

    undirected: nx.Graph[int] = nx.Graph()
    undirected.add_nodes_from(range(n))
    undirected.add_edges_from(
        (s, t) for s, t in zip(graph.source.tolist(), graph.target.tolist(), strict=True) if s != t
    )
    sample = betweenness_sample if n > betweenness_sample else None
    betweenness = nx.betweenness_centrality(undirected, k=sample, seed=seed)

    columns: dict[str, NDArray[Any]] = {
        "attention_received": received,
        "answers_received": answered,
        "answer_share": answer_share,
        "topics_heard": topics_heard,
        "topics_spanned": topics_spanned,
        "betweenness": np.array([betweenness[i] for i in range(n)]),
        "amplifications": amplifications,
        "echoes": echoes,
        "echo_rate": echo_rate,
    }
    lists = {name: column.astype(np.float64).tolist() for name, column in columns.items()}
    return {
        node: {name: values[i] for name, values in lists.items()}
        for i, node in enumerate(graph.nodes)
    }


#: What singles a person out for each role: the measure a minority must lead on.
ROLE_MEASURES = {"expert": "answers_received", "connector": "betweenness", "amplifier": "echoes"}


def _share_below(ordered: list[float], value: float) -> float:
    """The share of ``ordered`` (sorted) strictly below ``value`` (0 when empty)."""
    return bisect_left(ordered, value) / len(ordered) if ordered else 0.0


def role_facts(
    graph: InteractionGraph,
    *,
    min_answers: float = 3.0,
    min_answer_share: float = 0.5,
    max_expert_topics: int = 2,
    min_betweenness: float = 0.2,
    min_bridged_topics: int = 3,
    min_bridged_share: float = 0.75,
    min_amplifications: int = 5,
    min_echo_rate: float = 0.5,
    top_share: float | None = None,
    echo_window: float = 86_400.0,
    betweenness_sample: int = 1000,
    seed: int | None = 0,
) -> dict[Hashable, dict[str, dict[str, float]]]:
    """Person -> role -> the numbers that earned it, for every person with at least one role.

    The rules are in the module docstring. With ``top_share`` a role also needs its measure
    (``ROLE_MEASURES``) to be above that of ``1 - top_share`` of the people who interacted at
    all, so each role singles out a minority even where everyone is active on every topic.
    Each role's facts are the person's evidence plus ``ahead_of``: the share of the active
    people whose measure is lower.

    Examples
    --------
    >>> from cluetrain_analytics.graph.build import Interaction, interaction_graph
    >>> G = interaction_graph(
    ...     [Interaction(a, "guru", "accepted_answer", 0.0, topic="wifi") for a in "abcd"]
    ... )
    >>> facts = role_facts(G)["guru"]["expert"]
    >>> facts["answers_received"], facts["ahead_of"]
    (4.0, 0.8)
    """
    topics = np.unique(graph.topic[graph.topic != NO_TOPIC]).size
    bridged_topics = max(min_bridged_topics, math.ceil(min_bridged_share * topics))
    evidence = role_evidence(
        graph, echo_window=echo_window, betweenness_sample=betweenness_sample, seed=seed
    )
    active = set(graph.source.tolist()) | set(graph.target.tolist())
    population = {
        measure: sorted(evidence[graph.nodes[i]][measure] for i in active)
        for measure in ROLE_MEASURES.values()
    }
    found: dict[Hashable, dict[str, dict[str, float]]] = {}
    for node, facts in evidence.items():
        held = {
            "expert": facts["answers_received"] >= min_answers
            and facts["answer_share"] >= min_answer_share
            and 1 <= facts["topics_heard"] <= max_expert_topics,
            "connector": facts["betweenness"] >= min_betweenness
            or facts["topics_spanned"] >= bridged_topics,
            "amplifier": facts["amplifications"] >= min_amplifications
            and facts["echo_rate"] >= min_echo_rate,
        }
        roles: dict[str, dict[str, float]] = {}
        for role in ROLES:
            if not held[role]:
                continue
            measure = ROLE_MEASURES[role]
            ahead_of = _share_below(population[measure], facts[measure])
            if top_share is not None and ahead_of < 1.0 - top_share:
                continue
            roles[role] = {**facts, "ahead_of": ahead_of}
        if roles:
            found[node] = roles
    return found


def influencer_roles(
    graph: InteractionGraph,
    *,
    min_answers: float = 3.0,
    min_answer_share: float = 0.5,
    max_expert_topics: int = 2,
    min_betweenness: float = 0.2,
    min_bridged_topics: int = 3,
    min_bridged_share: float = 0.75,
    min_amplifications: int = 5,
    min_echo_rate: float = 0.5,
    top_share: float | None = None,
    echo_window: float = 86_400.0,
    betweenness_sample: int = 1000,
    seed: int | None = 0,
) -> dict[Hashable, list[str]]:
    """The roles (from ``ROLES``, in that order) of every person who has at least one.

    The rules are in the module docstring; :func:`role_facts` gives the numbers behind them
    (and explains ``top_share``).

    Examples
    --------
    >>> import networkx as nx  # type: ignore[import-untyped]
    >>> from cluetrain_analytics.graph.build import Interaction, interaction_graph
    >>> kite = nx.krackhardt_kite_graph()
    >>> G = interaction_graph(Interaction(u, v, "connect", 0.0) for u, v in kite.edges)
    >>> sorted(influencer_roles(G))  # the brokers of the kite: Fernando, Garth, Heather, Ike
    [5, 6, 7, 8]
    >>> sorted(influencer_roles(G, top_share=0.1))  # Heather alone bridges the two parts
    [7]
    """
    facts = role_facts(
        graph,
        min_answers=min_answers,
        min_answer_share=min_answer_share,
        max_expert_topics=max_expert_topics,
        min_betweenness=min_betweenness,
        min_bridged_topics=min_bridged_topics,
        min_bridged_share=min_bridged_share,
        min_amplifications=min_amplifications,
        min_echo_rate=min_echo_rate,
        top_share=top_share,
        echo_window=echo_window,
        betweenness_sample=betweenness_sample,
        seed=seed,
    )
    return {node: list(roles) for node, roles in facts.items()}


def advocates_and_detractors(
    influence: Mapping[K, float],
    stance: Mapping[K, float],
    *,
    min_stance: float = 0.2,
    top: int | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Influence x stance: who speaks for the company and who against it, loudest first.

    Parameters
    ----------
    influence : mapping
        Person -> influence score (not negative), e.g. from ``influence_scores``.
    stance : mapping
        Person -> stance toward the company in [-1, 1] (from the listening engine's
        sentiment on what they say). People missing from either mapping are left out.
    min_stance : float
        Advocates have ``stance >= min_stance``, detractors ``stance <= -min_stance``.
    top : int, optional
        Keep only the first ``top`` of each list.

    Returns
    -------
    dict
        ``{"advocates": [...], "detractors": [...]}``, each entry ``{"node", "influence",
        "stance", "score"}`` with ``score = influence * stance``; advocates by descending
        score, detractors by ascending score (the most harmful first).

    Raises
    ------
    GraphError
        On a stance outside [-1, 1] or a negative influence.

    Examples
    --------
    >>> result = advocates_and_detractors(
    ...     {"ann": 0.5, "bob": 0.3, "cy": 0.2}, {"ann": 0.8, "bob": -0.9, "cy": 0.1}
    ... )
    >>> [e["node"] for e in result["advocates"]], [e["node"] for e in result["detractors"]]
    (['ann'], ['bob'])
    >>> round(result["detractors"][0]["score"], 2)
    -0.27
    """
    entries: list[dict[str, Any]] = []
    for node in influence.keys() & stance.keys():
        heard, leaning = float(influence[node]), float(stance[node])
        if not -1.0 <= leaning <= 1.0:
            raise GraphError(f"stance of {node!r} must be in [-1, 1], not {leaning}")
        if heard < 0:
            raise GraphError(f"influence of {node!r} must not be negative, not {heard}")
        entries.append(
            {"node": node, "influence": heard, "stance": leaning, "score": heard * leaning}
        )
    advocates = sorted(
        (e for e in entries if e["stance"] >= min_stance),
        key=lambda e: (-e["score"], str(e["node"])),
    )
    detractors = sorted(
        (e for e in entries if e["stance"] <= -min_stance),
        key=lambda e: (e["score"], str(e["node"])),
    )
    return {"advocates": advocates[:top], "detractors": detractors[:top]}
