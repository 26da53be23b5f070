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

import re
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
    "is_descriptive",
    "may_share_an_issue",
    "name_agreement",
    "says_something",
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

    name: str  # "Lumen Thermostat: wifi drops after update"
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
    """Two or three neighbouring words of the texts (at most two stop words between each, in
    one sentence), as the texts write them ("refund was refused"), by how many members use
    them, the longer first when as many use it ("keeps going offline", not "keeps going"),
    then first use."""
    counts: Counter[tuple[str, ...]] = Counter()
    surfaces: dict[tuple[str, ...], Counter[str]] = {}
    first: dict[tuple[str, ...], int] = {}
    for i in members:
        tokens = topic_text(items[i].text).split()
        # Contractions ("i'd", "couldn't") are stop words a list may miss: never in a name.
        content = [
            k for k, token in enumerate(tokens) if _words(token) == [token] and "'" not in token
        ]
        near = [
            b - a <= MAX_GAP + 1 and not any(set(t) <= set(".!?;:") for t in tokens[a + 1 : b])
            for a, b in pairwise(content)
        ]
        seen: set[tuple[str, ...]] = set()
        for j in range(len(near)):
            for length in (2, 3):
                if not all(near[j : j + length - 1]) or j + length > len(content):
                    continue
                run = content[j : j + length]
                key = tuple(tokens[k] for k in run)
                surfaces.setdefault(key, Counter())[" ".join(tokens[run[0] : run[-1] + 1])] += 1
                if key not in seen:
                    seen.add(key)
                    counts[key] += 1
                    first.setdefault(key, len(first))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], -len(item[0]), first[item[0]]))
    return [(surfaces[key].most_common(1)[0][0], n) for key, n in ranked]


#: Words that say something went wrong, or that the writer agrees, without saying what: a name
#: made only of them ("issue persists", "ask support", "Happens to me too, really annoying")
#: tells staff nothing about the issue.
VAGUE_WORDS = frozenset(
    [
        "issue",
        "issues",
        "problem",
        "problems",
        "persists",
        "persist",
        "happens",
        "happening",
        "happened",
        "happen",
        "same",
        "too",
        "agree",
        "agreed",
        "annoying",
        "really",
        "sure",
        "ask",
        "asked",
        "support",
        "help",
        "thanks",
        "thank",
        "exact",
        "exactly",
        "mine",
        "ours",
        "also",
        "either",
        "well",
        "still",
        "here",
        "yes",
        "yep",
        "indeed",
        "totally",
        "literally",
        "ditto",
        "one",
        "everywhere",
        "angry",
        "furious",
        "unacceptable",
        "terrible",
        "awful",
        "disaster",
        "worst",
        "bad",
        "fixed",
        "fix",
        "soon",
        "switching",
        "switch",
        "regret",
        "starting",
        "recommended",
        "friends",
        "customers",
    ]
)
#: The experience reader's events that name no problem: a failed fix, and (by its ending) its
#: fallback for a complaint whose state it does not know ("package problem").
VAGUE_EVENTS = frozenset({"issue persists"})
VAGUE_EVENT_ENDING = " problem"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def is_descriptive(phrase: str) -> bool:
    """Whether a phrase says what went wrong: a word beyond the vague ones, and not a failed
    fix or the reader's fallback "<object> problem".

    >>> is_descriptive("wifi drops after update"), is_descriptive("issue persists")
    (True, False)
    >>> is_descriptive("ask support"), is_descriptive("package problem")
    (False, False)
    """
    if phrase in VAGUE_EVENTS or phrase.endswith(VAGUE_EVENT_ENDING):
        return False
    return any(w not in VAGUE_WORDS and "'" not in w for w in _words(phrase))


def says_something(item: IssueItem) -> bool:
    """Whether an item says what went wrong: a descriptive event, or a word that is not vague.
    Replies that only agree ("Couldn't agree more", "Not sure, I'd ask support") are never
    clustered: together they made issues named by their agreement.

    >>> says_something(IssueItem("Happens to me too, really annoying."))
    False
    >>> says_something(IssueItem("Happens to me too", event="app logs out"))
    True
    """
    if item.event and is_descriptive(item.event):
        return True
    return any(w not in VAGUE_WORDS and "'" not in w for w in _words(item.text))


def _statement(items: Sequence[IssueItem], members: Sequence[int], in_name: set[str]) -> str:
    """The sentence of a member that best says what most members say, as written: each of
    its words that is not vague nor the product's name counts the share of members that use
    it; a me-too opening ("Same here, ...") is left out, and a sentence naming nothing is
    never chosen. Empty when no member names the problem."""
    size = len(members)
    used: Counter[str] = Counter()
    for i in members:
        used.update(set(_words(items[i].text)) | set(_words(items[i].event or "")))
    best, best_score = "", 0.0
    for i in members:
        text = " ".join(w for w in items[i].text.split() if not w.startswith("@"))
        for sentence in _SENTENCE_END.split(text):
            clauses = sentence.split(", ")
            while clauses and not is_descriptive(clauses[0]):
                clauses.pop(0)  # "Same here", "Mine too"
            words = set(_words(", ".join(clauses))) - in_name
            content = {w for w in words if w not in VAGUE_WORDS and "'" not in w}
            if max((used[w] for w in content), default=0) < 2:
                continue  # nothing that another member says too ("switching to Homely")
            score = sum(used[w] for w in content) / size / len(words) ** 0.5
            if score > best_score:
                best, best_score = ", ".join(clauses), score
    return _shorten(best)


def _shorten(sentence: str) -> str:
    words = sentence.strip().rstrip(".!?").split()
    while words and not any(c.isalnum() for c in words[-1]):
        words.pop()  # a trailing emoji
    return " ".join(words[:SNIPPET_WORDS]) + ("…" if len(words) > SNIPPET_WORDS else "")


def _name(
    items: Sequence[IssueItem],
    members: Sequence[int],
    keywords: Sequence[str],
    product_names: Mapping[str, str],
) -> str:
    """A name a person would write: "<product>: <what happened>", where what happened is the
    descriptive event most members share, else their most shared descriptive two-word phrase,
    else the member sentence that best says what most say. A vague event ("issue persists"),
    phrase ("ask support") or reply opening ("Happens to me too") names an issue only when no
    member says more; never a list of single words. Empty when no two members say what went
    wrong: such a group is no issue."""
    size = len(members)
    products = Counter(p for i in members for p in set(items[i].products))
    events = Counter(str(items[i].event) for i in members if items[i].event)
    product = products.most_common(1)[0] if products else None
    display = _display(product[0], product_names) if product and product[1] * 2 >= size else ""
    in_name = set(_words(display))
    described = [(e, n) for e, n in events.most_common() if is_descriptive(e)]
    body = ""
    if described and described[0][1] >= EVENT_SHARE * size:
        body = described[0][0]
    if not body:
        shared = [
            phrase
            for phrase, n in _phrases(items, members)
            if n >= max(2, PHRASE_SHARE * size)
            and not set(_words(phrase)) & in_name
            and not set(_words(phrase)) & VAGUE_WORDS
        ]
        body = shared[0] if shared else _statement(items, members, in_name)
    if not body:  # nobody says what went wrong: not an issue staff could act on
        return ""
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
    """Group negative items into root issues, largest first; groups under ``min_size``, and
    groups in which no two items say what went wrong, are dropped (their items stay
    unassigned).

    ``similarity`` is the cosine similarity that average linkage must keep within a cluster.
    ``product_names`` maps catalog keys to the names used in cluster names.

    >>> items = [IssueItem("thermostat loses wifi after the update", products=("thermo",))] * 3
    >>> items += [IssueItem("refund refused again, no refund", aspects=("refund",))] * 3
    >>> clusters = cluster_issues(items, product_names={"thermo": "Thermostat T3"})
    >>> [(c.name, c.members) for c in clusters]
    [('Thermostat T3: loses wifi after the update', (0, 1, 2)), ('refund refused', (3, 4, 5))]
    """
    if not 0.0 < similarity <= 1.0:
        raise ValueError(f"similarity must be in (0, 1], not {similarity}")
    if min_size < 1:
        raise ValueError(f"min_size must be at least 1, not {min_size}")
    vectors = [item_terms(item) for item in items]
    keep = [i for i, vector in enumerate(vectors) if vector and says_something(items[i])]
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
        name = _name(items, members, keywords, names)
        if not name:
            continue  # its items stay unassigned
        clusters.append(
            IssueCluster(
                name=name,
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
