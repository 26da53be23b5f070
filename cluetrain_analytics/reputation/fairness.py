"""Signed, weighted edges as arrays, and Kumar et al.'s fairness and goodness (FxG).

Kumar, Spezzano, Subrahmanian and Faloutsos, *Edge Weight Prediction in Weighted Signed
Networks*, ICDM 2016: a rater is fair when the weights it gives agree with what the rated
nodes deserve, and a node is good when fair raters rate it highly.

>>> edges = SignedEdges.from_rows([(1, 2, 1.0), (3, 2, 1.0), (4, 2, -1.0)])
>>> fairness, goodness = fairness_goodness(edges, n_nodes=5)
>>> bool(fairness[1] > fairness[4]) and bool(goodness[2] > 0)
True
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["FloatArray", "IntArray", "SignedEdges", "fairness_goodness"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class SignedEdges:
    """Edges ``source -> target`` with a weight in [-1, 1] and a time (seconds, 0 if unknown).

    Node ids are small non-negative integers (indices into per-node arrays); readers map the
    ids of a file onto them.
    """

    source: IntArray
    target: IntArray
    weight: FloatArray
    time: FloatArray

    @classmethod
    def from_rows(
        cls, rows: Iterable[tuple[int, int, float] | tuple[int, int, float, float]]
    ) -> "SignedEdges":
        """Edges from ``(source, target, weight[, time])`` tuples."""
        listed = [tuple(row) for row in rows]
        source = np.array([row[0] for row in listed], dtype=np.int64)
        target = np.array([row[1] for row in listed], dtype=np.int64)
        weight = np.array([row[2] for row in listed], dtype=np.float64)
        time = np.array([row[3] if len(row) > 3 else 0.0 for row in listed], dtype=np.float64)
        return cls(source, target, weight, time)

    def __len__(self) -> int:
        return len(self.source)

    def take(self, rows: IntArray | Sequence[int] | npt.NDArray[np.bool_]) -> "SignedEdges":
        """The edges at ``rows`` (indices or a boolean mask)."""
        return SignedEdges(self.source[rows], self.target[rows], self.weight[rows], self.time[rows])

    def concat(self, other: "SignedEdges") -> "SignedEdges":
        """These edges followed by ``other``'s."""
        return SignedEdges(
            np.concatenate([self.source, other.source]),
            np.concatenate([self.target, other.target]),
            np.concatenate([self.weight, other.weight]),
            np.concatenate([self.time, other.time]),
        )

    def node_count(self) -> int:
        """One more than the largest node id (0 for no edges)."""
        if not len(self):
            return 0
        return int(max(self.source.max(), self.target.max())) + 1


def fairness_goodness(
    edges: SignedEdges,
    n_nodes: int,
    *,
    edge_weights: FloatArray | None = None,
    iterations: int = 100,
    tolerance: float = 1e-6,
) -> tuple[FloatArray, FloatArray]:
    """Fairness of every rater and goodness of every rated node, both as arrays of ``n_nodes``.

    ``goodness(v)`` is the mean of ``fairness(u) * w(u, v)`` over v's raters, and
    ``fairness(u) = 1 - mean |w(u, v) - goodness(v)| / 2`` over u's ratings; the two are
    iterated to a fixed point. Nodes that never rate keep fairness 1 and nodes never rated keep
    goodness 0. ``edge_weights`` (e.g. 0 for dropped edges) weighs each edge in both means.
    """
    counts_weight = np.ones(len(edges)) if edge_weights is None else edge_weights
    given = np.bincount(edges.source, weights=counts_weight, minlength=n_nodes)
    received = np.bincount(edges.target, weights=counts_weight, minlength=n_nodes)
    fairness = np.ones(n_nodes)
    goodness = np.zeros(n_nodes)
    for _ in range(iterations):
        goodness_sum = np.bincount(
            edges.target,
            weights=counts_weight * fairness[edges.source] * edges.weight,
            minlength=n_nodes,
        )
        new_goodness = np.divide(goodness_sum, received, out=np.zeros(n_nodes), where=received > 0)
        disagreement = np.bincount(
            edges.source,
            weights=counts_weight * np.abs(edges.weight - new_goodness[edges.target]) / 2.0,
            minlength=n_nodes,
        )
        new_fairness = 1.0 - np.divide(disagreement, given, out=np.zeros(n_nodes), where=given > 0)
        change = float(
            np.abs(new_goodness - goodness).sum() + np.abs(new_fairness - fairness).sum()
        )
        fairness, goodness = new_fairness, new_goodness
        if change < tolerance:
            break
    return fairness, goodness
