import doctest

import networkx as nx  # type: ignore[import-untyped]
import numpy as np
import pytest

from cluetrain_analytics.graph import build, influence
from cluetrain_analytics.graph.build import (
    Interaction,
    InteractionKind,
    interaction_graph,
    interaction_graph_from_arrays,
    time_slice,
    topic_subgraph,
)
from cluetrain_analytics.graph.exceptions import ConvergenceError, GraphError
from cluetrain_analytics.graph.influence import (
    attention_matrix,
    in_degree_scores,
    influence_by_topic,
    influence_scores,
    pagerank_scores,
    pagerank_vector,
)


@pytest.mark.parametrize("module", [build, influence])
def test_docstring_examples_run(module: object) -> None:
    failures, tried = doctest.testmod(module)  # type: ignore[arg-type]
    assert tried > 0
    assert failures == 0


def test_follower_rich_but_unheard_ranks_below_the_heard() -> None:
    followers = [Interaction(f"fan{i}", "celebrity", "follow", 0.0) for i in range(50)]
    heard = [
        Interaction("fan1", "helper", "reply", 1.0),
        Interaction("fan2", "helper", "share", 2.0),
    ]
    G = interaction_graph(followers + heard)
    scores = influence_scores(G)
    assert scores["helper"] > scores["celebrity"]
    assert scores["celebrity"] == 0.0
    assert sum(scores.values()) == pytest.approx(1.0)
    # The baselines see it the other way round: that is the point of the attention graph.
    assert in_degree_scores(G)["celebrity"] == 50.0
    assert pagerank_scores(G)["celebrity"] > pagerank_scores(G)["helper"]


def test_attention_propagates_from_who_heard_you() -> None:
    # b and c each get one share, but b's comes from a, who is heard widely; c's from nobody.
    shares = [Interaction(f"x{i}", "a", "share", 0.0) for i in range(5)]
    G = interaction_graph(
        [*shares, Interaction("a", "b", "share", 0.0), Interaction("z", "c", "share", 0.0)]
    )
    scores = influence_scores(G, damping=0.5)
    assert scores["b"] > scores["c"]
    flat = influence_scores(G, damping=0.0)
    assert flat["b"] == pytest.approx(flat["c"])


def test_recency_weighs_recent_reactions_more() -> None:
    G = interaction_graph(
        [Interaction("a", "old", "share", 0.0), Interaction("b", "new", "share", 7200.0)]
    )
    decayed = influence_scores(G, half_life=3600.0, damping=0.0)
    assert decayed["new"] == pytest.approx(4 * decayed["old"])
    assert influence_scores(G, damping=0.0)["new"] == pytest.approx(0.5)


def test_attention_matrix_ignores_the_future_and_weighs_kinds() -> None:
    G = interaction_graph(
        [Interaction("a", "b", "mention", 0.0), Interaction("a", "b", "share", 100.0)]
    )
    assert attention_matrix(G, now=50.0).toarray()[0, 1] == pytest.approx(0.25)
    assert attention_matrix(G).toarray()[0, 1] == pytest.approx(1.25)
    assert attention_matrix(G, kind_weights={"share": 2.0}).toarray()[0, 1] == 2.0


def test_topic_projection_filters_interactions_and_keeps_nodes() -> None:
    G = interaction_graph(
        [
            Interaction("a", "b", "reply", 1.0, topic="billing"),
            Interaction("c", "b", "reply", 2.0, topic="billing"),
            Interaction("a", "d", "share", 3.0, topic="wifi"),
            Interaction("a", "e", "share", 4.0),
        ]
    )
    billing = topic_subgraph(G, "billing")
    assert billing.nodes == G.nodes
    assert billing.number_of_edges == 2
    assert {G.nodes[t] for t in billing.target.tolist()} == {"b"}
    by_topic = influence_by_topic(G)
    assert set(by_topic) == {"billing", "wifi"}
    assert by_topic["wifi"]["d"] == 1.0
    assert by_topic["billing"]["d"] == 0.0
    with pytest.raises(GraphError, match="no interaction carries topic"):
        topic_subgraph(G, "returns")


def test_time_slice_is_half_open() -> None:
    G = interaction_graph([Interaction("a", "b", "vote", float(t)) for t in range(10)])
    assert time_slice(G, start=3.0, end=6.0).at.tolist() == [3.0, 4.0, 5.0]


def test_matrices_per_kind_sum_duplicate_edges() -> None:
    G = interaction_graph(
        [
            Interaction("a", "b", "share", 0.0, weight=2.0),
            Interaction("a", "b", "share", 1.0),
            Interaction("b", "a", "follow", 1.0),
        ]
    )
    matrices = G.matrices()
    assert set(matrices) == {InteractionKind.SHARE, InteractionKind.FOLLOW}
    assert matrices[InteractionKind.SHARE].toarray().tolist() == [[0.0, 3.0], [0.0, 0.0]]
    assert G.matrix().sum() == 4.0


def test_arrays_and_records_build_the_same_graph() -> None:
    records = [Interaction(1, 2, "share", 5.0, topic="t"), Interaction(3, 1, "reply", 6.0)]
    from_records = interaction_graph(records, nodes=[1, 2, 3])
    from_arrays = interaction_graph_from_arrays(
        [1, 3], [2, 1], ["share", "reply"], [5.0, 6.0], topic=np.array(["t", None], dtype=object)
    )
    assert from_records.nodes == from_arrays.nodes
    assert (from_records.matrix().toarray() == from_arrays.matrix().toarray()).all()
    assert from_arrays.topics == ("t",)
    assert from_arrays.topic.tolist() == [0, -1]


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ([Interaction("a", "b", "poke", 0.0)], "unknown interaction kind"),
        ([Interaction("a", "b", "share", 0.0, weight=-1.0)], "weights must be finite"),
        ([Interaction("a", "b", "share", float("nan"))], "finite time"),
    ],
)
def test_bad_interactions_are_refused(records: list[Interaction], message: str) -> None:
    with pytest.raises(GraphError, match=message):
        interaction_graph(records)


@pytest.mark.parametrize(
    "graph",
    [
        nx.star_graph(6).to_directed(),
        nx.DiGraph(nx.path_graph(7)),
        nx.krackhardt_kite_graph().to_directed(),
        nx.gnp_random_graph(200, 0.03, seed=4, directed=True),
    ],
    ids=["star", "chain", "kite", "random"],
)
def test_pagerank_matches_networkx_at_a_proper_tolerance(graph: "nx.DiGraph[int]") -> None:
    G = interaction_graph(
        (Interaction(u, v, "share", 0.0) for u, v in graph.edges), nodes=sorted(graph)
    )
    ours = pagerank_scores(G)
    # networkx stops at N * tol; pass tol / N so both solve to the same precision.
    expected = nx.pagerank(graph, alpha=0.85, tol=1e-12 / len(graph), max_iter=1000)
    assert max(abs(ours[node] - expected[node]) for node in graph) < 1e-9


def test_pagerank_matches_igraph() -> None:
    igraph = pytest.importorskip("igraph")
    graph = nx.gnp_random_graph(300, 0.02, seed=7, directed=True)
    expected = igraph.Graph(n=300, edges=list(graph.edges), directed=True).pagerank()
    G = interaction_graph(
        (Interaction(u, v, "share", 0.0) for u, v in graph.edges), nodes=range(300)
    )
    ours = pagerank_scores(G)
    assert max(abs(ours[i] - expected[i]) for i in range(300)) < 1e-9


def test_pagerank_vector_refuses_bad_input_and_reports_non_convergence() -> None:
    chain = nx.to_scipy_sparse_array(nx.DiGraph(nx.path_graph(5)))
    with pytest.raises(GraphError, match="damping"):
        pagerank_vector(chain, damping=1.0)
    with pytest.raises(GraphError, match="personalization"):
        pagerank_vector(chain, personalization=np.zeros(5))
    with pytest.raises(ConvergenceError):
        pagerank_vector(chain, tol=0.0, max_iter=3)


def test_nobody_heard_gives_all_zero_scores() -> None:
    G = interaction_graph([Interaction("a", "b", "follow", 0.0)])
    assert influence_scores(G) == {"a": 0.0, "b": 0.0}
