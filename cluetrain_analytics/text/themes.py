"""Themes of an idea jam: clusters of posts with a readable label, key phrases and examples.

Framework-free (no Django). A jam's posts go through one pipeline:

1. **Projection** (`fit_projection`): words and two-word phrases hashed into a fixed space
   (scikit-learn's HashingVectorizer, so no vocabulary has to be kept), sublinear term
   frequency, IDF learned on the jam, then latent semantic analysis (TruncatedSVD) to
   `DIMS` dimensions, rows normalized. Only the `MAX_COLUMNS` most frequent hashed columns
   are kept, so a fitted projection is a few MB whatever the jam's size, and a new post is
   embedded in microseconds (`Projection.embed`).
2. **Clustering** (`cluster`): k-means on the embeddings. With no earlier themes it is
   scikit-learn's KMeans (10 starts); with earlier themes (a jam re-clustered while it runs)
   it starts from their centroids and keeps *fixed* posts where moderators put them
   (constrained Lloyd iterations), so themes keep their identity from one run to the next.
3. **A new post** (`nearest`): the theme whose centroid is closest (cosine).
4. **Words** (`describe`): key phrases by class-based TF-IDF over n-grams of 1 to 3 words
   that neither start nor end with a stop word; the label is the best phrase of two or three
   words (a single content word only when no phrase recurs); representative posts are the
   members nearest the centroid. Everything shown is taken from the posts: nothing invented.

Measured by `cluetrain eval themes` on OpenIDEO (docs/jams.md).
"""

import io
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse  # type: ignore[import-untyped]
from sklearn.cluster import KMeans  # type: ignore[import-untyped]
from sklearn.decomposition import TruncatedSVD  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import HashingVectorizer  # type: ignore[import-untyped]

from cluetrain_analytics.text.topics import STOP_WORDS, topic_text

__all__ = [
    "DIMS",
    "Projection",
    "ThemeWords",
    "auto_k",
    "cluster",
    "describe",
    "fit_projection",
    "fit_themes",
    "hyphenated_spellings",
    "nearest",
    "theme_text",
]

DIMS = 64
MAX_COLUMNS = 1 << 14
N_FEATURES = 1 << 20
FIT_SAMPLE = 50_000
MANY_POSTS = 20_000  # the projection is learned on at most this many posts
# Words of agreement that replies in any theme share: no theme is made of them.
_REPLY_WORDS = frozenset(
    {"idea", "maybe", "option", "vote", "voted", "twice", "agree", "yes", "please", "love"}
)
_PHRASE_STOP = STOP_WORDS | _REPLY_WORDS
_WORD_RE = re.compile(r"[a-z][a-z0-9']+")
_CLAUSE_RE = re.compile(r"[.!?,;:()\[\]\"]+")
_HYPHENATED_RE = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+\b")
_HASHER = HashingVectorizer(
    n_features=N_FEATURES,
    ngram_range=(1, 2),
    stop_words=sorted(STOP_WORDS),
    alternate_sign=False,
    norm=None,
    token_pattern=r"(?u)\b[a-z][a-z0-9']+\b",  # noqa: S106 - a regular expression
)


def theme_text(title: str, body: str) -> str:
    """The words a post is clustered on: its thread's title and its own text, normalized."""
    return topic_text(f"{title}. {body}" if title else body)


@dataclass(frozen=True)
class Projection:
    """Hashed words and phrases -> `DIMS` normalized dimensions (LSA), learned on one jam."""

    columns: np.ndarray  # the kept hashed columns, sorted (int64)
    idf: np.ndarray  # their IDF (float32)
    components: np.ndarray  # (dims, len(columns)) float32

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        # The kept columns are picked by a binary search of each hashed column in the sorted
        # `columns`, and weighted on the arrays themselves: selecting them from the 2^20-wide
        # matrix (`[:, columns]`, through a column-major copy) took some 15 ms for the one
        # post that the worker themes, this takes 2; the numbers are the same.
        counts = _HASHER.transform(texts)
        counts.sort_indices()
        pos = np.searchsorted(self.columns, counts.indices)
        found = pos < len(self.columns)
        found[found] = self.columns[pos[found]] == counts.indices[found]
        indptr = np.concatenate(([0], np.cumsum(found)))[counts.indptr]
        columns = pos[found]
        n = counts.shape[0]
        rows = np.repeat(np.arange(n), np.diff(indptr))
        values = (1.0 + np.log(counts.data[found])) * self.idf[columns]
        norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=n))
        values /= np.maximum(norms, 1e-12)[rows]
        weighted = sparse.csr_matrix((values, columns, indptr), shape=(n, len(self.columns)))
        return _unit(np.asarray(weighted @ self.components.T, dtype=np.float32))

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        np.savez_compressed(buffer, columns=self.columns, idf=self.idf, components=self.components)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "Projection":
        with np.load(io.BytesIO(data)) as arrays:
            return cls(arrays["columns"], arrays["idf"], arrays["components"])


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.asarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)


def fit_projection(texts: Sequence[str], *, dims: int = DIMS, seed: int = 0) -> Projection:
    """Learn the projection on `texts` (a random sample of `FIT_SAMPLE` when there are more)."""
    if len(texts) > FIT_SAMPLE:
        picked = np.random.default_rng(seed).choice(len(texts), FIT_SAMPLE, replace=False)
        texts = [texts[i] for i in sorted(picked)]
    counts = _HASHER.transform(texts).tocsc()
    doc_freq = np.diff(counts.indptr)
    present = np.flatnonzero(doc_freq)
    if len(present) > MAX_COLUMNS:
        present = present[np.argsort(-doc_freq[present], kind="stable")[:MAX_COLUMNS]]
    columns = np.sort(present).astype(np.int64)
    n_docs = max(len(texts), 1)
    idf = (np.log((1 + n_docs) / (1 + doc_freq[columns])) + 1.0).astype(np.float32)
    kept = counts[:, columns].tocsr()
    kept.data = 1.0 + np.log(kept.data)
    weighted = kept.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1))).ravel()
    weighted = sparse.diags(1.0 / np.maximum(norms, 1e-12)) @ weighted
    rank = max(1, min(dims, weighted.shape[0] - 1, weighted.shape[1] - 1))
    if rank < 2:  # too little text for a decomposition: the identity on what there is
        components = np.eye(1, len(columns), dtype=np.float32)
    else:
        svd = TruncatedSVD(rank, random_state=seed, algorithm="randomized", n_iter=5)
        svd.fit(weighted)
        components = svd.components_.astype(np.float32)
    return Projection(columns, idf, components)


def auto_k(n_posts: int) -> int:
    """How many themes a jam of `n_posts` gets: about √(n/4), between 2 and 40."""
    return int(min(40, max(2, round(math.sqrt(n_posts / 4)))))


def cluster(
    vectors: np.ndarray,
    k: int,
    *,
    seeds: np.ndarray | None = None,
    fixed: np.ndarray | None = None,
    seed: int = 0,
    iterations: int = 20,
) -> tuple[np.ndarray, np.ndarray]:
    """Labels in 0..k-1 and unit centroids.

    `seeds` (m ≤ k rows) are the centroids of earlier themes: cluster i < m keeps theme i's
    identity. `fixed[j] >= 0` keeps post j in that cluster whatever its words say (a
    moderator's merge or split). Without either, plain KMeans with 10 starts.
    """
    n = len(vectors)
    k = max(1, min(k, n))
    if fixed is None:
        fixed = np.full(n, -1, dtype=np.int64)
    if seeds is None or len(seeds) == 0:
        if not (fixed >= 0).any():
            starts = 10 if n <= MANY_POSTS else 3  # a big jam: fewer restarts, same method
            model = KMeans(k, n_init=starts, random_state=seed).fit(vectors)
            return model.labels_.astype(np.int64), _unit(model.cluster_centers_)
        seeds = np.zeros((0, vectors.shape[1]), dtype=np.float32)
    centroids = _more_seeds(vectors, np.asarray(seeds, dtype=np.float32), k, seed)
    free = fixed < 0
    labels = fixed.copy()
    for _ in range(iterations):
        new = np.argmax(vectors @ centroids.T, axis=1)
        new[~free] = fixed[~free]
        changed = not np.array_equal(new, labels)
        labels = new
        for c in range(len(centroids)):
            members = vectors[labels == c]
            if len(members):
                centroids[c] = members.sum(axis=0)
        centroids = _unit(centroids)
        if not changed:
            break
    return labels.astype(np.int64), centroids


def _more_seeds(vectors: np.ndarray, seeds: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Add k-means++ seeds (far from the existing ones) until there are k."""
    rng = np.random.default_rng(seed)
    chosen = list(seeds)
    if not chosen:
        chosen.append(vectors[rng.integers(len(vectors))])
    while len(chosen) < k:
        similarity = np.max(vectors @ np.asarray(chosen).T, axis=1)
        distance = np.maximum(1.0 - similarity, 0.0) ** 2
        total = float(distance.sum())
        if total <= 0:
            break
        chosen.append(vectors[rng.choice(len(vectors), p=distance / total)])
    return _unit(np.asarray(chosen, dtype=np.float32))


def nearest(centroids: np.ndarray, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each vector's closest centroid and the cosine similarity to it."""
    scores = vectors @ centroids.T
    best = np.argmax(scores, axis=1)
    return best, scores[np.arange(len(vectors)), best]


@dataclass(frozen=True)
class ThemeWords:
    label: str
    key_phrases: tuple[str, ...]
    representatives: tuple[int, ...]  # indices into the texts, nearest the centroid first


def _phrases(text: str) -> set[str]:
    """The n-grams (1-3 words) of a text that neither start nor end with a stop word."""
    found: set[str] = set()
    for clause in _CLAUSE_RE.split(text):  # a phrase never runs over punctuation
        words = _WORD_RE.findall(clause)
        for size in (1, 2, 3):
            for start in range(len(words) - size + 1):
                gram = words[start : start + size]
                if gram[0] in _PHRASE_STOP or gram[-1] in _PHRASE_STOP or len(gram[-1]) < 3:
                    continue
                if size > 1 and len(set(gram)) < size:
                    continue
                found.add(" ".join(gram))
    return found


def describe(
    texts: Sequence[str],
    labels: np.ndarray,
    vectors: np.ndarray,
    centroids: np.ndarray,
    *,
    n_phrases: int = 8,
    n_representatives: int = 3,
    spellings: Mapping[str, tuple[str, int]] | None = None,
) -> list[ThemeWords]:
    """Label, key phrases and representative posts of each cluster 0..len(centroids)-1.

    `spellings` (`hyphenated_spellings` of the raw posts, one text per post) gives back the
    hyphens `theme_text` took out of words: a name shows "solar-aware" where most posts with
    the word write it so.
    """
    k = len(centroids)
    per_doc = [_phrases(t) for t in texts]
    overall: Counter[str] = Counter()
    by_cluster: list[Counter[str]] = [Counter() for _ in range(k)]
    for doc, label in zip(per_doc, labels, strict=True):
        overall.update(doc)
        by_cluster[int(label)].update(doc)
    sizes = np.bincount(labels, minlength=k) if len(labels) else np.zeros(k, dtype=np.int64)
    mean_size = max(float(sizes.mean()) if k else 1.0, 1.0)
    words: list[ThemeWords] = []
    for c in range(k):
        counts = by_cluster[c]
        size = int(sizes[c])
        floor = 2 if size >= 4 else 1
        total = max(sum(counts.values()), 1)

        # class-based TF-IDF; phrases a little ahead of single words, behind them when
        # they hold a stop word ("report per device" < "energy report")
        scores = {
            term: n / total * math.log(1 + mean_size / overall[term]) * _shape(term)
            for term, n in counts.items()
            if n >= floor
        }
        ranked = sorted(scores, key=lambda t: (-scores[t], t))
        phrases = _distinct(ranked, n_phrases)
        label = _label(phrases, counts)
        if label and counts[label] * 2 < size:
            # The best phrase is in fewer than half the posts (a theme of two subjects): the
            # phrase found in most of the other posts joins the name.
            rest = [d for d, n in zip(per_doc, labels, strict=True) if n == c and label not in d]
            label = " / ".join(_second(label, ranked[:40], rest))
        words.append(
            ThemeWords(
                label=_spelled(_capital(label), spellings, overall),
                key_phrases=tuple(_spelled(p, spellings, overall) for p in phrases),
                representatives=_representatives(
                    labels, vectors, centroids[c], c, n_representatives
                ),
            )
        )
    return words


def _shape(term: str) -> float:
    words = term.split()
    inner_stops = sum(1 for w in words[1:-1] if w in STOP_WORDS)
    return (1 + 0.5 * (len(words) - 1)) * 0.5**inner_stops


def _distinct(ranked: Iterable[str], limit: int) -> list[str]:
    """The best terms, skipping one whose words are all inside a term already taken."""
    chosen: list[str] = []
    for term in ranked:
        words = set(term.split())
        if any(words <= set(other.split()) or set(other.split()) <= words for other in chosen):
            continue
        chosen.append(term)
        if len(chosen) == limit:
            break
    return chosen


def _label(phrases: Sequence[str], counts: Counter[str]) -> str:
    """The best phrase of two or three words among the top ones; else the best word; "" when
    there is none."""
    multi = [p for p in phrases[:5] if " " in p and counts[p] >= 2]
    multi.sort(key=lambda p: any(w in STOP_WORDS for w in p.split()))  # stable: plain first
    return multi[0] if multi else (phrases[0] if phrases else "")


def _second(label: str, ranked: Sequence[str], rest: Sequence[set[str]]) -> tuple[str, ...]:
    """`label` and the phrase of two or three words (sharing none with it) in most of the
    `rest` of the posts; `label` alone when none is in a quarter of them."""
    taken = set(label.split())
    best, best_n = "", 0
    for term in ranked:
        words = term.split()
        # a phrase of plain words: one word alone ("settings") says too little beside a phrase
        if len(words) < 2 or taken & set(words) or any(w in STOP_WORDS for w in words):
            continue
        n = sum(term in doc for doc in rest)
        if n > best_n:
            best, best_n = term, n
    if not best or best_n * 4 < len(rest):
        return (label,)
    return (label, best)


def _capital(label: str) -> str:
    return label[:1].upper() + label[1:] if label else "Unlabelled"


def hyphenated_spellings(texts: Iterable[str]) -> dict[str, tuple[str, int]]:
    """Each hyphenated word of `texts`, joined as `theme_text` joins it, mapped to its most
    frequent written form and the number of texts that hyphenate it:
    {"solaraware": ("solar-aware", 3)}."""
    seen: Counter[str] = Counter()
    texts_with: Counter[str] = Counter()
    for text in texts:
        if "-" in text:
            forms = [m.lower() for m in _HYPHENATED_RE.findall(text)]
            seen.update(forms)
            texts_with.update({form.replace("-", "") for form in forms})
    spelled: dict[str, tuple[str, int]] = {}
    for written, _ in seen.most_common():
        joined = written.replace("-", "")
        spelled.setdefault(joined, (written, texts_with[joined]))
    return spelled


def _spelled(
    phrase: str, spellings: Mapping[str, tuple[str, int]] | None, overall: Counter[str]
) -> str:
    """`phrase` with each joined word written as most posts having it write it ("online"
    stays when most write it so, though some wrote "on-line")."""
    if not spellings:
        return phrase
    out = []
    for word in phrase.split(" "):
        written, hyphenated = spellings.get(word.lower(), ("", 0))
        if not written or hyphenated * 2 <= overall[word.lower()]:
            out.append(word)
        else:
            out.append(written[:1].upper() + written[1:] if word[:1].isupper() else written)
    return " ".join(out)


def _representatives(
    labels: np.ndarray, vectors: np.ndarray, centroid: np.ndarray, c: int, limit: int
) -> tuple[int, ...]:
    members = np.flatnonzero(labels == c)
    if not len(members):
        return ()
    order = np.argsort(-(vectors[members] @ centroid), kind="stable")[:limit]
    return tuple(int(members[i]) for i in order)


@dataclass(frozen=True)
class ThemeFit:
    projection: Projection
    vectors: np.ndarray
    labels: np.ndarray
    centroids: np.ndarray
    words: list[ThemeWords]


def fit_themes(texts: Sequence[str], k: int, *, seed: int = 0) -> ThemeFit:
    """Themes of `texts` from scratch: what a jam's first clustering does (and the eval)."""
    projection = fit_projection(texts, seed=seed)
    vectors = projection.embed(texts)
    labels, centroids = cluster(vectors, k, seed=seed)
    return ThemeFit(
        projection, vectors, labels, centroids, describe(texts, labels, vectors, centroids)
    )
