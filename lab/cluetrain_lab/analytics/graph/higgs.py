"""Who gets retweeted next? Influence evaluated on SNAP Higgs activity logs.

File layout (SNAP ``higgs-activity_time.txt``, possibly gzipped): one action per line,
``userA userB unix_time RT|MT|RE``, meaning userA retweeted, mentioned or replied to userB, so
userB is the one who is heard (checked on the data: the most retweeted B has 18,277 retweets
by distinct-ish As, while no A retweets more than 147 times).

:func:`evaluate_influence` scores the users seen in the train actions from those actions only
and compares the ranking with the number of retweets each receives in the test actions
(Spearman over all train users; NDCG@100), beside in-degree and plain PageRank. The settings of
our score (kind weights, half-life, damping) are chosen on an earlier slice of the train
actions (fit on the first 80 % of train time, target the rest), never on the test actions.
"""

import gzip
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.stats import spearmanr  # type: ignore[import-untyped]
from sklearn.metrics import ndcg_score  # type: ignore[import-untyped]

from cluetrain_analytics.graph.build import (
    InteractionGraph,
    InteractionKind,
    interaction_graph_from_arrays,
)
from cluetrain_analytics.graph.exceptions import GraphError
from cluetrain_analytics.graph.influence import attention_matrix, pagerank_vector

__all__ = [
    "HIGGS_KINDS",
    "Actions",
    "ScoreSettings",
    "evaluate_influence",
    "read_higgs_activity",
    "split_actions",
]

#: SNAP's interaction codes and the kinds of our graph they are.
HIGGS_KINDS: Mapping[str, InteractionKind] = {
    "RT": InteractionKind.SHARE,
    "RE": InteractionKind.REPLY,
    "MT": InteractionKind.MENTION,
}
#: The share of train time the settings are fitted on; the rest is their target.
FIT_FRACTION = 0.8
NDCG_K = 100
HOUR = 3600.0


@dataclass(frozen=True)
class Actions:
    """Parallel columns of an activity log: ``source`` acted toward ``target``."""

    source: NDArray[np.int64]
    target: NDArray[np.int64]
    at: NDArray[np.int64]
    kind: NDArray[np.str_]  # kind names of InteractionKind

    def __len__(self) -> int:
        return len(self.source)

    def select(self, mask: NDArray[np.bool_]) -> "Actions":
        return Actions(self.source[mask], self.target[mask], self.at[mask], self.kind[mask])


@dataclass(frozen=True)
class ScoreSettings:
    """One setting of our score: weight per kind, half-life (seconds or None) and damping."""

    kind_weights: Mapping[InteractionKind | str, float]
    half_life: float | None
    damping: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind_weights": {str(kind): weight for kind, weight in self.kind_weights.items()},
            "half_life_hours": None if self.half_life is None else self.half_life / HOUR,
            "damping": self.damping,
        }


_SHARE, _REPLY, _MENTION = InteractionKind.SHARE, InteractionKind.REPLY, InteractionKind.MENTION
_CANDIDATE_KIND_WEIGHTS: tuple[Mapping[InteractionKind | str, float], ...] = (
    {_SHARE: 1.0},
    {_SHARE: 1.0, _REPLY: 0.2, _MENTION: 0.1},
    {_SHARE: 1.0, _REPLY: 0.5, _MENTION: 0.25},
)
#: The grid searched on the fit slice.
CANDIDATE_SETTINGS: tuple[ScoreSettings, ...] = tuple(
    ScoreSettings(weights, half_life, damping)
    for weights, half_life, damping in itertools.product(
        _CANDIDATE_KIND_WEIGHTS,
        (HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR, None),
        (0.0, 0.25, 0.5, 0.85),
    )
)


def read_higgs_activity(path: str | Path) -> Actions:
    """Read a SNAP Higgs activity file (plain or gzipped).

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    GraphError
        If a line is not ``userA userB unix_time RT|MT|RE`` with whole numbers.
    """
    path = Path(path)
    with path.open("rb") as handle:
        gzipped = handle.read(2) == b"\x1f\x8b"
    opener = gzip.open if gzipped else open
    with opener(path, "rb") as handle:
        tokens = handle.read().split()
    if len(tokens) % 4:
        raise GraphError(f"{path}: every line must be 'userA userB unix_time RT|MT|RE'")
    table = np.array(tokens, dtype=np.bytes_).reshape(-1, 4)
    try:
        numbers = table[:, :3].astype(np.int64)
    except ValueError:
        raise GraphError(f"{path}: user ids and times must be whole numbers") from None
    codes = table[:, 3].astype(str)
    unknown = sorted(set(np.unique(codes).tolist()) - HIGGS_KINDS.keys())
    if unknown:
        raise GraphError(f"{path}: unknown interaction {unknown[0]!r}; expected RT, MT or RE")
    names = (
        np.array([str(HIGGS_KINDS[code]) for code in codes.tolist()])
        if len(codes)
        else (np.array([], dtype=str))
    )
    return Actions(numbers[:, 0], numbers[:, 1], numbers[:, 2], names)


def split_actions(actions: Actions, split_at: int) -> tuple[Actions, Actions]:
    """Actions before ``split_at`` and actions at or after it."""
    before = actions.at < split_at
    return actions.select(before), actions.select(~before)


def _graph(actions: Actions) -> InteractionGraph:
    return interaction_graph_from_arrays(
        actions.source, actions.target, actions.kind, actions.at.astype(np.float64)
    )


def _retweets_received(graph: InteractionGraph, later: Actions) -> NDArray[np.float64]:
    """Per node of ``graph``, retweets received in ``later`` (users unseen in graph dropped)."""
    nodes = np.asarray(graph.nodes, dtype=np.int64)
    shares = later.select(later.kind == str(InteractionKind.SHARE))
    position = np.searchsorted(nodes, shares.target)
    known = position < len(nodes)
    known[known] = nodes[position[known]] == shares.target[known]
    return np.bincount(position[known], minlength=len(nodes)).astype(np.float64)


def _metrics(truth: NDArray[np.float64], scores: NDArray[np.float64]) -> dict[str, float]:
    return {
        "spearman": float(spearmanr(scores, truth).statistic),
        "ndcg_at_100": float(ndcg_score(truth[None, :], scores[None, :], k=NDCG_K)),
    }


def _our_scores(graph: InteractionGraph, settings: ScoreSettings) -> NDArray[np.float64]:
    attention = attention_matrix(
        graph, kind_weights=settings.kind_weights, half_life=settings.half_life
    )
    received = np.asarray(attention.sum(axis=0)).ravel()
    if not received.sum() > 0:
        return np.zeros(graph.number_of_nodes)
    return pagerank_vector(attention, damping=settings.damping, personalization=received)


def _in_degree(graph: InteractionGraph) -> NDArray[np.float64]:
    return np.bincount(graph.target, minlength=graph.number_of_nodes).astype(np.float64)


def _plain_pagerank(graph: InteractionGraph) -> NDArray[np.float64]:
    return pagerank_vector(graph.matrix(), damping=0.85)


def _fit_settings(train: Actions) -> tuple[ScoreSettings, float]:
    """The candidate with the best mean of Spearman and NDCG@100 on the train's own last slice."""
    cut = int(np.quantile(train.at, FIT_FRACTION))
    early, late = split_actions(train, cut)
    if not len(early) or not len(late):
        raise GraphError("the train actions span too short a time to fit on an earlier slice")
    graph = _graph(early)
    truth = _retweets_received(graph, late)
    if not truth.any():
        raise GraphError("no retweets in the last fifth of the train actions to fit on")
    best, best_value = CANDIDATE_SETTINGS[0], -np.inf
    for settings in CANDIDATE_SETTINGS:
        metrics = _metrics(truth, _our_scores(graph, settings))
        value = (metrics["spearman"] + metrics["ndcg_at_100"]) / 2
        if value > best_value:
            best, best_value = settings, value
    return best, float(best_value)


def evaluate_influence(train: Actions, test: Actions) -> dict[str, Any]:
    """Rank the users seen in ``train`` and score the ranking on retweets received in ``test``.

    Returns
    -------
    dict
        ``n_users`` (users seen in train, as either side: the ones any method can score),
        ``n_retweeted`` (of those, how many are retweeted in test), ``spearman``,
        ``ndcg_at_100``, ``baselines`` ({"in_degree", "pagerank"}, each with both figures;
        in-degree counts every train action received, PageRank is plain, damping 0.85, on
        the same unweighted actions) and ``settings`` (what the fit on train chose).

    Raises
    ------
    GraphError
        If either part is empty or nobody seen in train is retweeted in test.
    """
    if not len(train) or not len(test):
        raise GraphError("both the train and the test actions must be non-empty")
    settings, fit_value = _fit_settings(train)
    graph = _graph(train)
    truth = _retweets_received(graph, test)
    if not truth.any():
        raise GraphError("nobody seen in the train actions is retweeted in the test actions")
    ours = _metrics(truth, _our_scores(graph, settings))
    return {
        "n_users": graph.number_of_nodes,
        "n_retweeted": int(np.count_nonzero(truth)),
        **ours,
        "baselines": {
            "in_degree": _metrics(truth, _in_degree(graph)),
            "pagerank": _metrics(truth, _plain_pagerank(graph)),
        },
        "settings": {**settings.as_dict(), "fit_objective": round(fit_value, 4)},
    }
