"""Reputation of members from the ratings they received, with defences against gaming.

Every figure comes with an explanation record that says how it was made. The defences, each
borrowed from a place where it works on its own:

- one count per rater per target: only a rater's latest rating of a target counts (eBay);
- coordinated groups are found and their ratings dropped: accounts whose neighbourhoods are
  near-identical, that form a group of at least three, and whose edges stay mostly inside the
  group (vote rings, sybils that only rate each other or one target); accounts created in the
  same burst are named in the reasons (each a `FlagReason`: a cue and its figures, for the
  caller to word in its reader's language; ``english()`` for logs and the lab);
- rater reliability: each rating weighs the rater's fairness (Kumar et al.'s FxG, as in REV2),
  so a rater who disagrees with everyone else counts less;
- a judging window: ratings given in a rater's first days count less (Discourse trust levels);
- vouching: raters that no chain of positive ratings links to an established member count
  little (SybilRank's idea, made binary): fakes can rate anyone, but nobody genuine rates them;
- diversity: raters of a target who appeared on the same day count together at most
  ``cohort_cap`` times;
- a daily cap on the weight a target can receive in one day (Stack Overflow);
- a Bayesian prior, so a handful of ratings cannot make an extreme score (Trustpilot).

>>> ring = [(f"fake{a}", f"fake{b}", 1.0, 0.0) for a in range(5) for b in range(5) if a != b]
>>> honest = [("ann", "bob", 1.0, 0.0), ("cy", "bob", 1.0, 0.0), ("dee", "bob", -1.0, 0.0)]
>>> report = compute_reputation(ring + honest)
>>> sorted(report.flagged) == [f"fake{n}" for n in range(5)]
True
>>> report.flagged["fake0"][0]
FlagReason(cue='near_identical_neighbourhoods', values={'count': 5, 'similarity': 0.6})
>>> report.flagged["fake0"][0].english()
'one of 5 accounts with near-identical neighbourhoods (Jaccard >= 0.6)'
"""

import itertools
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]
from scipy.sparse.csgraph import connected_components  # type: ignore[import-untyped]

from cluetrain_analytics.reputation.fairness import (
    FloatArray,
    IntArray,
    SignedEdges,
    fairness_goodness,
)

__all__ = [
    "FLAG_CUES",
    "DefenceSettings",
    "FlagReason",
    "Reputation",
    "ReputationReport",
    "compute_reputation",
    "detect_coordinated_groups",
    "plain_average",
]

_DAY = 86400.0


@dataclass(frozen=True)
class DefenceSettings:
    """The knobs of the defences, with the values the gaming test was run with."""

    #: Pseudo-ratings of the Bayesian prior (at the mean of all counted ratings).
    prior_weight: float = 5.0
    #: Most weight a target can collect in one day.
    daily_cap: float = 5.0
    #: Raters of one target who appeared on the same day count together at most this much.
    cohort_cap: float = 3.0
    #: Ratings given in a rater's first ``probation_days`` weigh ``probation_weight``.
    probation_days: float = 7.0
    probation_weight: float = 0.5
    #: Two linked accounts are alike when their closed neighbourhoods overlap this much (Jaccard).
    similarity: float = 0.6
    #: A group of alike accounts is flagged from this size ...
    min_group: int = 3
    #: ... when at least this share of the possible ratings inside it exist ...
    min_density: float = 0.6
    #: ... and at most this share of its members' links leave the group.
    max_outside_share: float = 0.25
    #: Accounts first seen within this many seconds of each other form a creation burst.
    burst_window: float = _DAY
    #: Established members: among the ``vouch_seed_share`` with the most distinct positive
    #: raters, and first seen at least ``vouch_seed_age_days`` before the newest rating.
    vouch_seed_share: float = 0.02
    vouch_seed_age_days: float = 180.0
    #: Ratings from raters that no chain of positive ratings links to an established member.
    unvouched_weight: float = 0.1


#: Every cue a flag's reason can name, with the figures it carries: the group's size and the
#: Jaccard threshold its neighbourhoods met; the share (percent) of the possible ratings inside
#: it that exist; the share of its links that leave it and the most allowed; how many accounts
#: outside it it rates; how many of its accounts first appeared within how many hours.
FLAG_CUES: dict[str, tuple[str, ...]] = {
    "near_identical_neighbourhoods": ("count", "similarity"),
    "dense_inside": ("percent",),
    "links_leaving": ("percent", "limit"),
    "rates_outside": ("count",),
    "created_together": ("count", "hours"),
}


@dataclass(frozen=True)
class FlagReason:
    """Why an account was flagged: a cue of `FLAG_CUES` and its figures (counts and percents
    as ints, the threshold as the float it was set to)."""

    cue: str
    values: Mapping[str, int | float]

    def english(self) -> str:
        """The reason in English words (logs, the lab; the platform words the cue itself)."""
        v = self.values
        if self.cue == "near_identical_neighbourhoods":
            return (
                f"one of {v['count']} accounts with near-identical neighbourhoods "
                f"(Jaccard >= {v['similarity']})"
            )
        if self.cue == "dense_inside":
            return f"{v['percent']}% of the possible ratings inside the group exist"
        if self.cue == "links_leaving":
            return f"{v['percent']}% of the group's links leave it (at most {v['limit']}%)"
        if self.cue == "rates_outside":
            return f"the group rates {v['count']} account(s) outside itself"
        if self.cue == "created_together":
            return (
                f"{v['count']} of the group's accounts first appeared within {v['hours']} h "
                "of each other"
            )
        raise ValueError(f"unknown cue {self.cue!r}")

    def __str__(self) -> str:
        return self.english()


def _percent(share: float) -> int:
    """A share as the whole percent people read."""
    return round(share * 100)


@dataclass(frozen=True)
class Reputation:
    """A target's score in [-1, 1] and how it was made."""

    score: float
    explanation: dict[str, Any]


@dataclass(frozen=True)
class ReputationReport:
    """Scores of every rated account and the accounts flagged with their reasons."""

    scores: dict[Hashable, Reputation]
    flagged: dict[Hashable, list[FlagReason]] = field(default_factory=dict)


def plain_average(ratings: Iterable[Sequence[Any]]) -> dict[Hashable, float]:
    """The undefended figure: the mean of every rating a target received."""
    totals: dict[Hashable, list[float]] = {}
    for rater_target_value in ratings:
        target, value = rater_target_value[1], float(rater_target_value[2])
        totals.setdefault(target, []).append(value)
    return {target: float(np.mean(values)) for target, values in totals.items()}


@dataclass(frozen=True)
class _Graph:
    """Deduplicated edges over integer account ids, with the names behind the ids."""

    names: list[Hashable]
    edges: SignedEdges
    first_seen: FloatArray


def _graph(ratings: Iterable[Sequence[Any]]) -> tuple[_Graph, FloatArray]:
    """Index the accounts and keep each rater's latest rating of each target."""
    index: dict[Hashable, int] = {}
    rows: list[tuple[int, int, float, float]] = []
    for row in ratings:
        rater, target, value = row[0], row[1], float(row[2])
        time = float(row[3]) if len(row) > 3 else 0.0
        if rater == target:
            continue
        rows.append(
            (index.setdefault(rater, len(index)), index.setdefault(target, len(index)), value, time)
        )
    latest: dict[tuple[int, int], tuple[int, int, float, float]] = {}
    for row in sorted(rows, key=lambda r: r[3]):
        latest[(row[0], row[1])] = row
    edges = SignedEdges.from_rows(latest.values()) if latest else SignedEdges.from_rows([])
    n_nodes = len(index)
    first_seen = np.full(n_nodes, np.inf)
    if len(edges):
        np.minimum.at(first_seen, edges.source, edges.time)
        np.minimum.at(first_seen, edges.target, edges.time)
    all_targets = np.array([row[1] for row in rows], dtype=np.int64)
    duplicates = np.bincount(all_targets, minlength=n_nodes) - np.bincount(
        edges.target, minlength=n_nodes
    )
    return _Graph(list(index), edges, first_seen), duplicates.astype(np.float64)


def detect_coordinated_groups(
    edges: SignedEdges,
    n_nodes: int,
    first_seen: FloatArray,
    settings: DefenceSettings = DefenceSettings(),
) -> dict[int, list[FlagReason]]:
    """Accounts in coordinated groups (by integer id) with the reasons they were flagged."""
    if not len(edges):
        return {}
    shape = (n_nodes, n_nodes)
    directed = sp.csr_matrix((np.ones(len(edges)), (edges.source, edges.target)), shape=shape)
    linked = ((directed + directed.T) > 0).astype(np.float64).tocsr()
    # Closed neighbourhoods: an account and everyone it rated or was rated by.
    closed = (linked + sp.identity(n_nodes, format="csr")).tocsr()
    sizes = np.asarray(closed.sum(axis=1)).ravel()
    pairs = sp.triu(linked, k=1).tocoo()
    left, right = pairs.row, pairs.col
    shared = np.asarray(closed[left].multiply(closed[right]).sum(axis=1)).ravel()
    jaccard = shared / (sizes[left] + sizes[right] - shared)
    alike = jaccard >= settings.similarity
    alike_graph = sp.csr_matrix(
        (np.ones(int(alike.sum())), (left[alike], right[alike])), shape=shape
    )
    _, component = connected_components(alike_graph, directed=False)
    degree = np.asarray(linked.sum(axis=1)).ravel()
    flagged: dict[int, list[FlagReason]] = {}
    members_of = np.argsort(component, kind="stable")
    bounds = np.flatnonzero(np.diff(np.concatenate([[-1], component[members_of], [-2]])))
    for start, stop in itertools.pairwise(bounds):
        members = members_of[start:stop]
        if len(members) < settings.min_group:
            continue
        # Members take part both ways: an account the group only rates (its victim or the
        # account it pumps) is alike to it but is not one of it.
        inside = directed[members][:, members]
        gives = np.asarray(inside.sum(axis=1)).ravel() > 0
        receives = np.asarray(inside.sum(axis=0)).ravel() > 0
        members = members[gives & receives]
        if len(members) < settings.min_group:
            continue
        density = directed[members][:, members].sum() / (len(members) * (len(members) - 1))
        if density < settings.min_density:
            continue
        inside = linked[members][:, members].sum()
        total = degree[members].sum()
        outside_share = 1.0 - inside / total if total else 1.0
        if outside_share > settings.max_outside_share:
            continue
        outside_targets = np.setdiff1d(
            np.unique(edges.target[np.isin(edges.source, members)]), members
        )
        born = np.sort(first_seen[members])
        burst = int(
            np.max(
                np.searchsorted(born, born + settings.burst_window, side="right")
                - np.arange(len(born))
            )
        )
        reasons = [
            FlagReason(
                "near_identical_neighbourhoods",
                {"count": len(members), "similarity": settings.similarity},
            ),
            FlagReason("dense_inside", {"percent": _percent(density)}),
            FlagReason(
                "links_leaving",
                {
                    "percent": _percent(outside_share),
                    "limit": _percent(settings.max_outside_share),
                },
            ),
            FlagReason("rates_outside", {"count": len(outside_targets)}),
        ]
        if burst >= settings.min_group:
            hours = round(settings.burst_window / 3600)
            reasons.append(FlagReason("created_together", {"count": burst, "hours": hours}))
        for member in members.tolist():
            flagged[member] = reasons
    return flagged


def _vouched(
    edges: SignedEdges,
    n_nodes: int,
    first_seen: FloatArray,
    kept: FloatArray,
    settings: DefenceSettings,
) -> np.ndarray:
    """Accounts linked to an established member by a chain of positive ratings.

    Fake accounts can rate each other and rate out to anyone, but no genuine member rates
    them: a chain of positive ratings from an established member never reaches them (the
    idea of SybilRank and SybilGuard, made binary). Established members are the oldest of
    those with the most distinct positive raters.
    """
    positive = (edges.weight > 0) & (kept > 0)
    raters = sp.csr_matrix(
        (np.ones(int(positive.sum())), (edges.target[positive], edges.source[positive])),
        shape=(n_nodes, n_nodes),
    )
    raters.data[:] = 1.0
    distinct_raters = np.asarray((raters > 0).sum(axis=1)).ravel()
    newest = float(edges.time.max()) if len(edges) else 0.0
    old_enough = first_seen <= newest - settings.vouch_seed_age_days * _DAY
    candidates = np.flatnonzero(old_enough & (distinct_raters > 0))
    vouched = np.zeros(n_nodes, dtype=bool)
    if not len(candidates):
        return np.ones(n_nodes, dtype=bool)  # too young a community to tell: everyone counts
    seeds_wanted = max(1, int(np.ceil(settings.vouch_seed_share * n_nodes)))
    order = np.argsort(-distinct_raters[candidates], kind="stable")
    seeds = candidates[order[:seeds_wanted]]
    # Positive ratings point rater -> target: vouching flows along them from the seeds.
    follows = sp.csr_matrix(
        (np.ones(int(positive.sum())), (edges.source[positive], edges.target[positive])),
        shape=(n_nodes, n_nodes),
    )
    frontier = np.zeros(n_nodes, dtype=bool)
    frontier[seeds] = True
    while frontier.any():
        vouched |= frontier
        reached = np.asarray(follows.T @ frontier.astype(np.float64)).ravel() > 0
        frontier = reached & ~vouched
    return vouched


def _cap_groups(weight: FloatArray, groups: IntArray, cap: float) -> FloatArray:
    """Scale the weights of each group down so that a group's total is at most ``cap``."""
    if not len(weight):
        return weight
    _, inverse = np.unique(groups, return_inverse=True)
    totals = np.bincount(inverse, weights=weight)
    scale = np.minimum(1.0, np.divide(cap, totals, out=np.ones_like(totals), where=totals > 0))
    return np.asarray(weight * scale[inverse], dtype=np.float64)


def compute_reputation(
    ratings: Iterable[Sequence[Any]],
    *,
    settings: DefenceSettings = DefenceSettings(),
) -> ReputationReport:
    """Reputation of every rated account from ``(rater, target, value, time)`` rows.

    ``value`` is in [-1, 1] (e.g. a -10..10 rating / 10) and ``time`` in seconds. Each score
    is the weighted, prior-shrunk mean of the counted ratings, in [-1, 1].
    """
    graph, duplicates = _graph(ratings)
    edges, n_nodes = graph.edges, len(graph.names)
    flagged = detect_coordinated_groups(edges, n_nodes, graph.first_seen, settings)
    kept = np.ones(len(edges))
    if flagged:
        kept[np.isin(edges.source, np.fromiter(flagged, dtype=np.int64))] = 0.0
    fairness, _ = fairness_goodness(edges, n_nodes, edge_weights=kept)
    reliability = np.clip(fairness[edges.source], 0.0, 1.0)
    age = edges.time - graph.first_seen[edges.source]
    probation = np.where(age < settings.probation_days * _DAY, settings.probation_weight, 1.0)
    vouched = _vouched(edges, n_nodes, graph.first_seen, kept, settings)
    standing = np.where(vouched[edges.source], 1.0, settings.unvouched_weight)
    weight = kept * reliability * probation * standing
    before_caps = weight.copy()
    # Diversity: same-day newcomers rating one target count together at most cohort_cap.
    born_day = np.floor(graph.first_seen[edges.source] / _DAY).astype(np.int64)
    weight = _cap_groups(weight, edges.target * 1_000_000 + born_day, settings.cohort_cap)
    after_cohort = weight.copy()
    rated_day = np.floor(edges.time / _DAY).astype(np.int64)
    weight = _cap_groups(weight, edges.target * 1_000_000 + rated_day, settings.daily_cap)

    total_weight = weight.sum()
    prior_mean = float((weight * edges.weight).sum() / total_weight) if total_weight else 0.0
    weight_sum = np.bincount(edges.target, weights=weight, minlength=n_nodes)
    value_sum = np.bincount(edges.target, weights=weight * edges.weight, minlength=n_nodes)
    score = (settings.prior_weight * prior_mean + value_sum) / (settings.prior_weight + weight_sum)

    def per_target(values: FloatArray | np.ndarray) -> FloatArray:
        return np.bincount(edges.target, weights=values, minlength=n_nodes).astype(np.float64)

    received = per_target(np.ones(len(edges)))
    from_flagged = per_target(1.0 - kept)
    raw_sum = per_target(edges.weight)
    reliability_mean = np.divide(
        per_target(kept * reliability),
        received - from_flagged,
        out=np.ones(n_nodes),
        where=received - from_flagged > 0,
    )
    lost_to_probation = per_target(kept * reliability * (1 - probation))
    lost_to_unvouched = per_target(kept * reliability * probation * (1 - standing))
    lost_to_cohorts = per_target(before_caps - after_cohort)
    lost_to_daily_cap = per_target(after_cohort - weight)
    scores: dict[Hashable, Reputation] = {}
    for node in np.flatnonzero(received > 0).tolist():
        scores[graph.names[node]] = Reputation(
            score=round(float(score[node]), 4),
            explanation={
                "ratings_counted": int(received[node]),
                "repeat_ratings_dropped": int(duplicates[node]),
                "raw_mean": round(float(raw_sum[node] / received[node]), 4),
                "dropped_from_flagged_raters": int(from_flagged[node]),
                "mean_rater_reliability": round(float(reliability_mean[node]), 4),
                "weight_lost_to_judging_window": round(float(lost_to_probation[node]), 4),
                "weight_lost_to_unvouched_raters": round(float(lost_to_unvouched[node]), 4),
                "weight_lost_to_same_day_cohorts": round(float(lost_to_cohorts[node]), 4),
                "weight_lost_to_daily_cap": round(float(lost_to_daily_cap[node]), 4),
                "weight_counted": round(float(weight_sum[node]), 4),
                "prior": {"mean": round(prior_mean, 4), "weight": settings.prior_weight},
            },
        )
    report_flags = {graph.names[node]: reasons for node, reasons in flagged.items()}
    return ReputationReport(scores, report_flags)
