"""Idea ranking that resists the loudest account, and duplicate suggestions.

Support for an idea comes from members (a vote, or a reply by someone other than its author).
Three defences keep a loud few from buying the top of the board:

- one count per member per idea (a second vote or a tenth reply adds nothing);
- each supporter weighs their reliability in [0, 1], with a reason when it is below 1 (an
  account the reputation defences flagged, a brand-new account...): the caller decides;
- supporters that only act together count once: members whose sets of supported ideas are
  near-identical (Jaccard >= ``similarity`` over at least ``min_shared`` ideas) are joined
  into a group, and a group adds to an idea the weight of its most reliable member on it,
  not the sum.

Every score comes with its explanation: weighted support, independent groups, and each
discounted supporter with why.

>>> ring = [(f"ring{n}", idea) for n in range(5) for idea in ("a", "b", "c")]
>>> honest = [("ann", "d"), ("bob", "d"), ("cy", "a")]
>>> ranked = rank_ideas([Support(m, i) for m, i in ring + honest])
>>> [(r.idea, r.score, r.groups) for r in ranked]
[('a', 2.0, 2), ('d', 2.0, 2), ('b', 1.0, 1), ('c', 1.0, 1)]
"""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]
from scipy.sparse.csgraph import connected_components  # type: ignore[import-untyped]

__all__ = [
    "KIND_WEIGHTS",
    "Discount",
    "RankedIdea",
    "Support",
    "independent_groups",
    "rank_ideas",
    "similar_texts",
]

#: What one supporter's act is worth before reliability: a vote counts fully, a reply by
#: someone else than the author counts half (engagement, not endorsement).
KIND_WEIGHTS: dict[str, float] = {"vote": 1.0, "reply": 0.5}

_GroupKey = tuple[str, Hashable]

ENGLISH: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "reliability": lambda v: str(v["reason"]),
    "kind_counts": lambda v: f"a {v['kind']} counts {v['worth']:g}",
    "votes_together": lambda v: (
        f"votes together with {v['others']} other account(s); the group counts once"
    ),
}


@dataclass(frozen=True, slots=True)
class Support:
    member: Hashable
    idea: Hashable
    kind: str = "vote"


#: A reason named for wording in another language: (cue, the values it names). Cues:
#: ``reliability`` {reason: the caller's own words}, ``kind_counts`` {kind, worth},
#: ``votes_together`` {others}.
Named = tuple[str, Mapping[str, str | float | int]]


@dataclass(frozen=True, slots=True)
class Discount:
    member: Hashable
    counted: float
    #: In English, strongest first; ``named`` holds the same reasons as cues and values.
    reasons: tuple[str, ...]
    named: tuple[Named, ...] = ()


@dataclass
class RankedIdea:
    idea: Hashable
    rank: int = 0
    score: float = 0.0
    supporters: int = 0
    groups: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    discounted: list[Discount] = field(default_factory=list)


def independent_groups(
    support: Iterable[tuple[Hashable, Hashable]], *, similarity: float = 0.8, min_shared: int = 3
) -> dict[Hashable, tuple[int, int]]:
    """Each member's group id and the group's size; members alone get a group of one.

    Two members are alike when they supported at least ``min_shared`` ideas in common and the
    Jaccard similarity of their sets is at least ``similarity``; groups are the connected
    components of "alike".
    """
    members: dict[Hashable, int] = {}
    ideas: dict[Hashable, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for member, idea in set(support):
        rows.append(members.setdefault(member, len(members)))
        cols.append(ideas.setdefault(idea, len(ideas)))
    n = len(members)
    if not n:
        return {}
    matrix = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(ideas)))
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    # Only members with enough ideas can be alike: leave the others out of the product.
    active = np.flatnonzero(sizes >= min_shared)
    alike = sp.csr_matrix((n, n))
    if len(active) > 1:
        sub = matrix[active]
        shared = sp.triu(sub @ sub.T, k=1).tocoo()
        union = sizes[active][shared.row] + sizes[active][shared.col] - shared.data
        keep = (shared.data >= min_shared) & (shared.data / union >= similarity)
        alike = sp.csr_matrix(
            (np.ones(int(keep.sum())), (active[shared.row[keep]], active[shared.col[keep]])),
            shape=(n, n),
        )
    _, component = connected_components(alike, directed=False)
    counts = np.bincount(component)
    return {m: (int(component[i]), int(counts[component[i]])) for m, i in members.items()}


def rank_ideas(
    support: Iterable[Support],
    reliability: Mapping[Any, tuple[float, str]] | None = None,
    *,
    ideas: Sequence[Hashable] = (),
    kind_weights: Mapping[str, float] = KIND_WEIGHTS,
    similarity: float = 0.8,
    min_shared: int = 3,
) -> list[RankedIdea]:
    """Ideas from most to least supported, each with how its score was made.

    ``reliability`` maps a member to (weight in [0, 1], reason); members not in it weigh 1.
    ``ideas`` lists ideas to rank even without support. Ties keep the order of first
    appearance (pass ideas newest first to break ties by recency).
    """
    reliability = reliability or {}
    best: dict[tuple[Hashable, Hashable], float] = {}
    kinds: dict[tuple[Hashable, Hashable], str] = {}
    order: dict[Hashable, int] = {idea: n for n, idea in enumerate(dict.fromkeys(ideas))}
    for item in support:
        order.setdefault(item.idea, len(order))
        key = (item.member, item.idea)
        worth = kind_weights.get(item.kind, 0.0)
        if worth > best.get(key, -1.0):
            best[key], kinds[key] = worth, item.kind
    votes = [key for key, kind in kinds.items() if kind == "vote"]
    groups = independent_groups(votes, similarity=similarity, min_shared=min_shared)
    ranked = {idea: RankedIdea(idea) for idea in order}
    group_best: dict[Hashable, dict[_GroupKey, tuple[float, Hashable]]] = defaultdict(dict)
    weights: dict[Hashable, dict[Hashable, tuple[float, list[Named]]]] = defaultdict(dict)
    for (member, idea), worth in best.items():
        weight, why = reliability.get(member, (1.0, ""))
        weight = min(max(weight, 0.0), 1.0)
        named: list[Named] = [("reliability", {"reason": why})] if weight < 1.0 and why else []
        if worth < 1.0:
            named.append(("kind_counts", {"kind": kinds[member, idea], "worth": worth}))
        weights[idea][member] = (worth * weight, named)
        row = ranked[idea]
        row.supporters += 1
        row.by_kind[kinds[member, idea]] = row.by_kind.get(kinds[member, idea], 0) + 1
        group, size = groups.get(member, (-1, 1))
        gkey: _GroupKey = (
            ("g", group) if size > 1 and kinds[member, idea] == "vote" else ("m", member)
        )
        current = group_best[idea].get(gkey)
        if current is None or worth * weight > current[0]:
            group_best[idea][gkey] = (worth * weight, member)
    for idea, chosen in group_best.items():
        row = ranked[idea]
        row.groups = len(chosen)
        row.score = round(sum(value for value, _ in chosen.values()), 6)
        counted = {member for _, member in chosen.values()}
        for member, (value, named) in weights[idea].items():
            size = groups.get(member, (-1, 1))[1]
            if member not in counted and size > 1:
                named = [*named, ("votes_together", {"others": size - 1})]
                value = 0.0
            if named:
                reasons = tuple(ENGLISH[cue](values) for cue, values in named)
                row.discounted.append(Discount(member, round(value, 6), reasons, tuple(named)))
    result = sorted(ranked.values(), key=lambda r: (-r.score, order[r.idea]))
    for n, row in enumerate(result, start=1):
        row.rank = n
    return result


def similar_texts(
    query: str, corpus: Sequence[tuple[Hashable, str]], *, limit: int = 5, threshold: float = 0.2
) -> list[tuple[Hashable, float]]:
    """Items of ``corpus`` whose text is like ``query`` (TF-IDF cosine), most alike first."""
    if not query.strip() or not corpus:
        return []
    # Imported here: scikit-learn takes a second to import, and only this function needs it.
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

    vectorizer = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform([query, *(text for _, text in corpus)])
    except ValueError:  # only stop words
        return []
    scores = (matrix[1:] @ matrix[0].T).toarray().ravel()
    best = np.argsort(-scores, kind="stable")[:limit]
    return [(corpus[i][0], round(float(scores[i]), 3)) for i in best if scores[i] >= threshold]
