"""Negative experiences rolled up into root issues: clustering, naming and matching.

Each item becomes a sparse vector of readable terms: the message's words and two-word phrases
(stop words removed), its event's words (weight 2), ``product:<key>`` (weight 2) and
``aspect:<name>`` terms. ``cluster_issues`` groups items by average-linkage agglomerative
clustering on cosine distance (scikit-learn), cut at ``1 - similarity``; with more than
``max_direct`` items it first condenses them with MiniBatchKMeans. A cluster's centroid is a
plain ``dict`` of term -> weight (unit length, top 60 terms), so the platform stores it as
JSON and ``assign_issues`` matches new messages against it without any fitted vocabulary.

A root issue is about one product (or none): items that name products, none of them shared,
are never clustered together, and an item is never matched to an issue about other products,
however alike their words ("dead after the update" happens to every device). An item that
names no product may join any issue.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy import sparse  # type: ignore[import-untyped]
from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans  # type: ignore[import-untyped]
from sklearn.feature_extraction import DictVectorizer  # type: ignore[import-untyped]
from sklearn.preprocessing import normalize as unit_rows  # type: ignore[import-untyped]

from cluetrain_analytics.text.topics import STOP_WORDS, topic_text

__all__ = [
    "Centroid",
    "IssueCluster",
    "IssueItem",
    "assign_issues",
    "centroid_of",
    "cluster_issues",
    "may_share_an_issue",
    "name_agreement",
]

#: A root issue's centroid: unit-length term weights, JSON-ready.
Centroid = dict[str, float]

PRODUCT_WEIGHT = 2.0
PRODUCT_TERM = "product:"
EVENT_WEIGHT = 2.0
ASPECT_WEIGHT = 1.0
CENTROID_TERMS = 60
DEFAULT_SIMILARITY = 0.3


@dataclass(frozen=True)
class IssueItem:
    """One negative message, as the readers saw it."""

    text: str
    event: str | None = None  # the experience reader's short phrase: "wifi drops after update"
    products: tuple[str, ...] = ()  # catalog keys
    aspects: tuple[str, ...] = ()


@dataclass(frozen=True)
class IssueCluster:
    """A root issue found by ``cluster_issues``."""

    name: str  # "Lumen Thermostat: thermostat · wifi · firmware"
    keywords: tuple[str, ...]  # up to 10 words, strongest first
    members: tuple[int, ...]  # indices into the clustered items
    centroid: Centroid


def _words(text: str) -> list[str]:
    # Bare numbers ("3", "2" of "3.2") and symbols make unreadable names.
    return [
        w
        for w in topic_text(text).split()
        if w[0].isalnum() and not w.isdigit() and w not in STOP_WORDS
    ]


def item_terms(item: IssueItem) -> Centroid:
    """The unit-length term vector of one item.

    >>> terms = item_terms(IssueItem("Battery drains fast", products=("cam",)))
    >>> sorted(terms)
    ['battery', 'battery drains', 'drains', 'drains fast', 'fast', 'product:cam']
    """
    terms: Counter[str] = Counter()
    words = _words(item.text)
    terms.update(words)
    terms.update(f"{a} {b}" for a, b in pairwise(words))
    weights = {term: 1.0 + np.log(count) for term, count in terms.items()}
    for word in _words(item.event or ""):
        weights[word] = weights.get(word, 0.0) + EVENT_WEIGHT
    for product in item.products:
        weights[PRODUCT_TERM + product] = PRODUCT_WEIGHT
    for aspect in item.aspects:
        weights[f"aspect:{aspect}"] = ASPECT_WEIGHT
    norm = float(np.sqrt(sum(w * w for w in weights.values())))
    return {term: float(w) / norm for term, w in weights.items()} if norm else {}


def _products_named(terms: Mapping[str, float]) -> frozenset[str]:
    """The products a vector or a centroid is about: its ``product:<key>`` terms."""
    return frozenset(t.removeprefix(PRODUCT_TERM) for t in terms if t.startswith(PRODUCT_TERM))


def may_share_an_issue(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether items about these products may be in one root issue: when one names no
    product, or they share one.

    >>> may_share_an_issue(frozenset({"hub"}), frozenset({"thermostat"}))
    False
    >>> may_share_an_issue(frozenset({"hub", "app"}), frozenset({"app"}))
    True
    >>> may_share_an_issue(frozenset(), frozenset({"thermostat"}))
    True
    """
    return not a or not b or bool(a & b)


def _apart(products: Sequence[frozenset[str]]) -> np.ndarray:
    """A boolean matrix: True where two rows' products may not share an issue."""
    kinds = sorted(set(products), key=sorted)
    index = {kind: k for k, kind in enumerate(kinds)}
    table = np.array([[not may_share_an_issue(a, b) for b in kinds] for a in kinds], dtype=bool)
    rows = np.array([index[p] for p in products], dtype=int)
    return np.asarray(table[np.ix_(rows, rows)]) if len(rows) else np.zeros((0, 0), dtype=bool)


#: The distance between items that may not share an issue: average linkage then never merges
#: two clusters holding such a pair, whatever the other distances.
APART = 1e9


def _matrix(vectors: Sequence[Mapping[str, float]]) -> tuple[sparse.csr_matrix, list[str]]:
    vectorizer = DictVectorizer(dtype=np.float32)
    matrix = sparse.csr_matrix(vectorizer.fit_transform(vectors))
    # MiniBatchKMeans accepts only 32-bit sparse indices.
    matrix.indices = matrix.indices.astype(np.int32, copy=False)
    matrix.indptr = matrix.indptr.astype(np.int32, copy=False)
    return matrix, [str(t) for t in vectorizer.get_feature_names_out()]


def _labels(
    matrix: sparse.csr_matrix,
    products: Sequence[frozenset[str]],
    *,
    similarity: float,
    max_direct: int,
    random_state: int,
) -> np.ndarray:
    """Cluster labels of the rows: average linkage on cosine distance, cut at 1 - similarity;
    rows whose products may not share an issue never end in one cluster."""
    rows = matrix.shape[0]
    if rows == 1:
        return np.zeros(1, dtype=int)
    if rows <= max_direct:
        groups = np.arange(rows)
        points = matrix
        point_products = list(products)
    else:
        # Too many for an n x n distance matrix: condense into max_direct small groups first,
        # each split by the products its rows name, so that a group is about one product set.
        kmeans = MiniBatchKMeans(max_direct, random_state=random_state, n_init=3)
        keys = list(zip(kmeans.fit_predict(matrix).tolist(), products, strict=True))
        group_of: dict[tuple[int, frozenset[str]], int] = {}
        groups = np.array([group_of.setdefault(key, len(group_of)) for key in keys])
        point_products = [key[1] for key in group_of]
        sums = sparse.csr_matrix(
            (np.ones(rows), (groups, np.arange(rows))), shape=(len(group_of), rows)
        )
        points = unit_rows(sparse.csr_matrix(sums @ matrix))
    distances = 1.0 - (points @ points.T).toarray()
    np.clip(distances, 0.0, 2.0, out=distances)
    distances[_apart(point_products)] = APART
    np.fill_diagonal(distances, 0.0)
    clustering = AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=1.0 - similarity,
    )
    point_labels = clustering.fit_predict(distances)
    return np.asarray(point_labels[groups])


def _centroid(matrix: sparse.csr_matrix, terms: list[str], members: np.ndarray) -> Centroid:
    mean = np.asarray(matrix[members].mean(axis=0)).ravel()
    top = np.argsort(mean)[::-1][:CENTROID_TERMS]
    top = top[mean[top] > 0]
    norm = float(np.linalg.norm(mean[top]))
    return {terms[i]: round(float(mean[i]) / norm, 5) for i in top}


def _keywords(centroid: Centroid, limit: int = 10) -> list[str]:
    chosen: list[str] = []
    for term in centroid:  # strongest first
        if ":" in term or any(set(term.split()) & set(kept.split()) for kept in chosen):
            continue
        chosen.append(term)
        if len(chosen) == limit:
            break
    return chosen


def _display(key: str, product_names: Mapping[str, str]) -> str:
    return product_names.get(key) or key.replace("-", " ").replace("_", " ").title()


#: A name's event or phrase must be shared by at least these shares of the issue's messages.
EVENT_SHARE = 0.5
PHRASE_SHARE = 0.3
SNIPPET_WORDS = 8
MAX_GAP = 2


def _phrases(items: Sequence[IssueItem], members: Sequence[int]) -> list[tuple[str, int]]:
    """Two neighbouring words of the texts (at most two stop words between them), as the
    texts write them ("refund was refused"), by how many members use them, then first use."""
    counts: Counter[tuple[str, str]] = Counter()
    surfaces: dict[tuple[str, str], Counter[str]] = {}
    first: dict[tuple[str, str], int] = {}
    for i in members:
        tokens = topic_text(items[i].text).split()
        # Contractions ("i'd", "couldn't") are stop words a list may miss: never in a name.
        content = [
            k for k, token in enumerate(tokens) if _words(token) == [token] and "'" not in token
        ]
        seen: set[tuple[str, str]] = set()
        for a, b in pairwise(content):
            if b - a > MAX_GAP + 1:
                continue
            key = (tokens[a], tokens[b])
            surfaces.setdefault(key, Counter())[" ".join(tokens[a : b + 1])] += 1
            if key not in seen:
                seen.add(key)
                counts[key] += 1
                first.setdefault(key, len(first))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], first[item[0]]))
    return [(surfaces[key].most_common(1)[0][0], n) for key, n in ranked]


def _snippet(items: Sequence[IssueItem], members: Sequence[int]) -> str:
    """The opening words of the member closest to the others (extractive, never invented)."""
    vectors = [item_terms(items[i]) for i in members]
    mean: Counter[str] = Counter()
    for vector in vectors:
        mean.update(vector)
    best = max(range(len(members)), key=lambda k: sum(w * mean[t] for t, w in vectors[k].items()))
    text = " ".join(items[members[best]].text.split())
    sentence = text.split(". ")[0].rstrip(".!?")
    words = sentence.split()
    return " ".join(words[:SNIPPET_WORDS]) + ("…" if len(words) > SNIPPET_WORDS else "")


def _name(
    items: Sequence[IssueItem],
    members: Sequence[int],
    keywords: Sequence[str],
    product_names: Mapping[str, str],
) -> str:
    """A name a person would write: "<product>: <what happened>", where what happened is the
    event most members share, else their most shared two-word phrase, else the opening words
    of the most typical message; never a list of single words."""
    size = len(members)
    products = Counter(p for i in members for p in set(items[i].products))
    events = Counter(str(items[i].event) for i in members if items[i].event)
    product = products.most_common(1)[0] if products else None
    event = events.most_common(1)[0] if events else None
    display = _display(product[0], product_names) if product and product[1] * 2 >= size else ""
    in_name = set(display.lower().split())
    if event and event[1] >= EVENT_SHARE * size:
        body = event[0]
    else:
        shared = [
            (phrase, n)
            for phrase, n in _phrases(items, members)
            if not set(_words(phrase)) & in_name and n >= max(2, PHRASE_SHARE * size)
        ]
        body = shared[0][0] if shared else _snippet(items, members)
    return f"{display}: {body}" if display else body


def name_agreement(name: str, items: Sequence[IssueItem], members: Sequence[int]) -> float:
    """The share of an issue's messages that say what its name says: every word of the name
    after the product (stop words aside) is in the message or its event.

    >>> items = [IssueItem("refund refused again"), IssueItem("they refused my refund"),
    ...          IssueItem("app crashes")]
    >>> name_agreement("refund refused", items, [0, 1, 2])
    0.667
    """
    body = name.split(": ", 1)[-1].rstrip("…")
    wanted = set(_words(body))
    if not wanted or not members:
        return 0.0
    agree = sum(
        1
        for i in members
        if wanted <= set(_words(items[i].text)) | set(_words(items[i].event or ""))
    )
    return round(agree / len(members), 3)


def cluster_issues(
    items: Sequence[IssueItem],
    *,
    min_size: int = 3,
    similarity: float = DEFAULT_SIMILARITY,
    random_state: int = 0,
    product_names: Mapping[str, str] | None = None,
    max_direct: int = 3_000,
) -> list[IssueCluster]:
    """Group negative items into root issues, largest first; groups under ``min_size`` are
    dropped (their items stay unassigned).

    ``similarity`` is the cosine similarity that average linkage must keep within a cluster.
    ``product_names`` maps catalog keys to the names used in cluster names.

    >>> items = [IssueItem("thermostat loses wifi after the update", products=("thermo",))] * 3
    >>> items += [IssueItem("refund refused again, no refund", aspects=("refund",))] * 3
    >>> clusters = cluster_issues(items, product_names={"thermo": "Thermostat T3"})
    >>> [(c.name, c.members) for c in clusters]
    [('Thermostat T3: loses wifi', (0, 1, 2)), ('refund refused', (3, 4, 5))]
    """
    if not 0.0 < similarity <= 1.0:
        raise ValueError(f"similarity must be in (0, 1], not {similarity}")
    if min_size < 1:
        raise ValueError(f"min_size must be at least 1, not {min_size}")
    vectors = [item_terms(item) for item in items]
    keep = [i for i, vector in enumerate(vectors) if vector]
    if len(keep) < min_size:
        return []
    matrix, terms = _matrix([vectors[i] for i in keep])
    labels = _labels(
        matrix,
        [frozenset(items[i].products) for i in keep],
        similarity=similarity,
        max_direct=max_direct,
        random_state=random_state,
    )
    names = product_names or {}
    clusters = []
    for label in np.unique(labels):
        rows = np.flatnonzero(labels == label)
        if len(rows) < min_size:
            continue
        centroid = _centroid(matrix, terms, rows)
        keywords = _keywords(centroid)
        members = tuple(keep[r] for r in rows)
        clusters.append(
            IssueCluster(
                name=_name(items, members, keywords, names),
                keywords=tuple(keywords),
                members=members,
                centroid=centroid,
            )
        )
    clusters.sort(key=lambda c: (-len(c.members), c.members[0]))
    return clusters


def centroid_of(items: Sequence[IssueItem]) -> Centroid:
    """The centroid of a group staff chose (a split), as ``cluster_issues`` would make it.

    >>> centroid_of([IssueItem("battery drains"), IssueItem("battery dies")])["battery"] > 0.5
    True
    """
    vectors = [vector for vector in (item_terms(item) for item in items) if vector]
    if not vectors:
        return {}
    matrix, terms = _matrix(vectors)
    return _centroid(matrix, terms, np.arange(len(vectors)))


def _centroids_of(
    target: IssueCluster | Mapping[str, float] | Sequence[Mapping[str, float]],
) -> list[Mapping[str, float]]:
    if isinstance(target, IssueCluster):
        return [target.centroid]
    if isinstance(target, Mapping):
        return [target]
    return list(target)


def assign_issues(
    items: Sequence[IssueItem],
    clusters: Sequence[IssueCluster | Mapping[str, float] | Sequence[Mapping[str, float]]],
    *,
    similarity: float = DEFAULT_SIMILARITY,
) -> list[int | None]:
    """The index of the cluster each item belongs to, or None when none is similar enough.

    A cluster is an ``IssueCluster``, a stored centroid (a dict of term -> weight), or a list
    of centroids (an issue that staff merged from several): an item matches an issue when its
    cosine similarity with any of its centroids reaches ``similarity``; the best issue wins.
    A centroid about other products than the item's is never a match.

    >>> issue = {"battery": 0.8, "drains": 0.6}
    >>> assign_issues([IssueItem("battery drains"), IssueItem("love it")], [[{"x": 1.0}, issue]])
    [0, None]
    """
    if not items:
        return []
    owners: list[int] = []
    centroids: list[Mapping[str, float]] = []
    for index, target in enumerate(clusters):
        for centroid in _centroids_of(target):
            owners.append(index)
            centroids.append(centroid)
    if not centroids:
        return [None] * len(items)
    vectors = [item_terms(item) for item in items]
    matrix, _ = _matrix([*vectors, *centroids])
    matrix = unit_rows(matrix)
    scores = (matrix[: len(items)] @ matrix[len(items) :].T).toarray()
    item_products = [frozenset(item.products) for item in items]
    centroid_products = [_products_named(centroid) for centroid in centroids]
    for kind in set(item_products):
        apart = np.flatnonzero([not may_share_an_issue(kind, c) for c in centroid_products])
        rows = np.flatnonzero([products == kind for products in item_products])
        scores[np.ix_(rows, apart)] = -1.0
    best = scores.argmax(axis=1)
    return [
        owners[int(column)] if scores[row, column] >= similarity else None
        for row, column in enumerate(best)
    ]
