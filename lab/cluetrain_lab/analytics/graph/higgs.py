"""Who gets retweeted next? Influence evaluated on SNAP Higgs activity logs.

File layout (SNAP ``higgs-activity_time.txt``, possibly gzipped): one action per line,
``userA userB unix_time RT|MT|RE``, meaning userA retweeted, mentioned or replied to userB, so
userB is the one who is heard (checked on the data: the most retweeted B has 18,277 retweets
by distinct-ish As, while no A retweets more than 147 times).

:func:`evaluate_influence` scores the users seen in the train actions from those actions only
and compares the ranking with the number of retweets each receives in the test actions
(Spearman over all train users; NDCG@100), beside in-degree and plain PageRank. The settings of
our score (kind weights, half-life, damping) are chosen inside the train actions only, by
rolling-origin validation: at each of ``folds`` split points (12 hours apart before the end of
train) the score is computed from the actions before it and judged on the retweets of
everything after it. The setting with the best mean over the split points minus their spread
wins, so a setting that is good on every split beats one that is best on one split only. The
candidates include plain in-degree (every kind weighted 1, no decay, no propagation), so the
choice falls back to counting when nothing beats it on the train period.
"""

import itertools
import zlib
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
from cluetrain_lab.files import open_bytes

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
#: Time between split points; at most MAX_JUDGED_SHARE of the train period is ever judged.
ORIGIN_STEP = 12 * 3600
MAX_JUDGED_SHARE = 0.5
DEFAULT_FOLDS = 3
#: How much a setting's spread across split points counts against its mean.
SPREAD_PENALTY = 0.5
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
    {_SHARE: 1.0, _REPLY: 1.0, _MENTION: 1.0},  # with no decay and damping 0: in-degree
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


#: The UTF-8 byte-order mark some editors write at the start of a text file.
UTF8_MARK = b"\xef\xbb\xbf"


def _defined(figures: dict[str, float]) -> dict[str, float | None]:
    """The figures for the JSON line: an undefined one (NaN: Spearman of a constant ranking)
    is null, since NaN is not JSON."""
    return {key: value if np.isfinite(value) else None for key, value in figures.items()}


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
    try:
        with open_bytes(path) as handle:
            data = handle.read().removeprefix(UTF8_MARK)
    except (EOFError, zlib.error) as error:
        raise GraphError(f"{path}: damaged gzip file ({error})") from None
    first, _, rest = data.partition(b"\n")
    if first.split() and not first.split()[0].isdigit():
        data = rest  # a header line such as "userA userB time kind"
    tokens = data.split()
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
    # Spearman of a constant ranking is undefined: NaN without scipy's warning on stderr.
    constant = np.ptp(scores) == 0 or np.ptp(truth) == 0
    return {
        "spearman": float("nan") if constant else float(spearmanr(scores, truth).statistic),
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


def _origins(train: Actions, folds: int) -> list[tuple[int, int]]:
    """(split point, end of its judged slice) in unix time, earliest first: the split points
    are ``ORIGIN_STEP`` apart (less when the train period is short) before the end of train,
    and each is judged on everything after it, so the horizons (12 h, 24 h, 36 h by default)
    are like the test's: days, not one slice."""
    if folds < 1:
        raise GraphError(f"folds must be at least 1, not {folds}")
    start, end = int(train.at.min()), int(train.at.max()) + 1
    step = min(ORIGIN_STEP, (end - start) * MAX_JUDGED_SHARE / folds)
    return [(int(end - k * step), end) for k in range(folds, 0, -1)]


def _fit_settings(
    train: Actions, folds: int = DEFAULT_FOLDS
) -> tuple[ScoreSettings, float, list[dict[str, Any]]]:
    """The candidate with the best mean over the split points of (Spearman + NDCG@100) / 2,
    less ``SPREAD_PENALTY`` times its standard deviation; also the per-split figures of the
    chosen setting and of in-degree."""
    splits = []
    for cut, end in _origins(train, folds):
        early, late = split_actions(train, cut)
        late = late.select(late.at < end)
        graph = _graph(early) if len(early) else None
        truth = _retweets_received(graph, late) if graph is not None else None
        if graph is None or truth is None or not truth.any():
            continue
        splits.append((cut, graph, truth))
    if not splits:
        raise GraphError("no split point of the train actions has retweets after it to fit on")
    values = np.zeros((len(CANDIDATE_SETTINGS), len(splits)))
    figures: dict[tuple[int, int], dict[str, float]] = {}
    for j, (_cut, graph, truth) in enumerate(splits):
        for i, settings in enumerate(CANDIDATE_SETTINGS):
            figures[(i, j)] = _metrics(truth, _our_scores(graph, settings))
            values[i, j] = (figures[(i, j)]["spearman"] + figures[(i, j)]["ndcg_at_100"]) / 2
    # An undefined Spearman (a setting that scores everyone alike) counts as no correlation;
    # a NaN would otherwise win np.argmax.
    values = np.nan_to_num(values, nan=0.0)
    objective = values.mean(axis=1) - SPREAD_PENALTY * values.std(axis=1)
    best = int(np.argmax(objective))
    report = [
        {
            "split_at": cut,
            "ours": _defined({k: round(v, 4) for k, v in figures[(best, j)].items()}),
            "in_degree": _defined(
                {k: round(v, 4) for k, v in _metrics(truth, _in_degree(graph)).items()}
            ),
        }
        for j, (cut, graph, truth) in enumerate(splits)
    ]
    return CANDIDATE_SETTINGS[best], float(objective[best]), report


def evaluate_influence(train: Actions, test: Actions, folds: int = DEFAULT_FOLDS) -> dict[str, Any]:
    """Rank the users seen in ``train`` and score the ranking on retweets received in ``test``.

    Returns
    -------
    dict
        ``n_users`` (users seen in train, as either side: the ones any method can score),
        ``n_retweeted`` (of those, how many are retweeted in test), ``spearman``,
        ``ndcg_at_100``, ``baselines`` ({"in_degree", "pagerank"}, each with both figures;
        in-degree counts every train action received, PageRank is plain, damping 0.85, on
        the same unweighted actions) and ``settings`` (what the rolling-origin fit on train
        chose, with ``folds``: the chosen setting's and in-degree's figures per split point).

    Raises
    ------
    GraphError
        If either part is empty or nobody seen in train is retweeted in test.
    """
    if not len(train) or not len(test):
        raise GraphError("both the train and the test actions must be non-empty")
    settings, fit_value, per_split = _fit_settings(train, folds)
    graph = _graph(train)
    truth = _retweets_received(graph, test)
    if not truth.any():
        raise GraphError("nobody seen in the train actions is retweeted in the test actions")
    ours = _defined(_metrics(truth, _our_scores(graph, settings)))
    return {
        "n_users": graph.number_of_nodes,
        "n_retweeted": int(np.count_nonzero(truth)),
        **ours,
        "baselines": {
            "in_degree": _defined(_metrics(truth, _in_degree(graph))),
            "pagerank": _defined(_metrics(truth, _plain_pagerank(graph))),
        },
        "settings": {
            **settings.as_dict(),
            "fit_objective": round(fit_value, 4),
            "folds": per_split,
        },
    }
