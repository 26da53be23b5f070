"""The graph engine: interaction graphs, influence, influencer roles, word of mouth.

Functions in the networkx style: the graph first, options as keywords, plain dicts of
built-in Python values out. See docs/influence.md.
"""

from cluetrain_analytics.graph.build import (
    KINDS,
    NO_TOPIC,
    Interaction,
    InteractionGraph,
    InteractionKind,
    interaction_graph,
    interaction_graph_from_arrays,
    time_slice,
    topic_subgraph,
)
from cluetrain_analytics.graph.exceptions import ConvergenceError, GraphError
from cluetrain_analytics.graph.influence import (
    DEFAULT_DAMPING,
    DEFAULT_KIND_WEIGHTS,
    attention_matrix,
    in_degree_scores,
    influence_by_topic,
    influence_scores,
    pagerank_scores,
    pagerank_vector,
)

__all__ = [
    "DEFAULT_DAMPING",
    "DEFAULT_KIND_WEIGHTS",
    "KINDS",
    "NO_TOPIC",
    "ConvergenceError",
    "GraphError",
    "Interaction",
    "InteractionGraph",
    "InteractionKind",
    "attention_matrix",
    "in_degree_scores",
    "influence_by_topic",
    "influence_scores",
    "interaction_graph",
    "interaction_graph_from_arrays",
    "pagerank_scores",
    "pagerank_vector",
    "time_slice",
    "topic_subgraph",
]
