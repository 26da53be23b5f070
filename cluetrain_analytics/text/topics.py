"""Topics learned from the community's own messages: TF-IDF + NMF (scikit-learn).

Why not BERTopic: it needs umap, hdbscan and a sentence model (torch) for every fit, which the
fast tier does not install; on short, on-topic community messages NMF over TF-IDF gives
readable topics in seconds on one core.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

import emoji
import numpy as np
from scipy import sparse  # type: ignore[import-untyped]
from sklearn.decomposition import NMF  # type: ignore[import-untyped]
from sklearn.exceptions import NotFittedError  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.utils import check_random_state  # type: ignore[import-untyped]

from cluetrain_analytics.text.normalize import normalize

__all__ = ["TopicInfo", "TopicModel", "topic_label", "topic_text"]

# Chat words that carry no topic, on top of scikit-learn's English stop words.
_CHAT_WORDS = frozenset(
    {
        *("hi", "hey", "hello", "thanks", "thank", "cheers", "please", "just", "like", "really"),
        *("got", "get", "getting", "know", "think", "use", "using", "used", "want", "need"),
        *("does", "did", "doing", "make", "way", "thing", "things", "lot", "bit", "ve", "ll"),
        *("don't", "i'm", "it's", "i've", "can't", "didn't", "doesn't", "that's", "won't"),
        *("yes", "yeah", "ok", "okay", "lol", "haha", "good", "great", "same", "sure", "anyone"),
        *("help", "appreciate", "ideas", "quick", "morning", "folks", "everyone", "all"),
        *("one", "two", "time", "day", "days", "week", "new", "now", "still", "also", "mine"),
        *("face", "smiling", "eyes", "grinning", "hands", "thumbs", "raising", "palm"),
    }
)
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS | _CHAT_WORDS)
_SPECIAL_RE = re.compile(r"\bxx[a-z]+\b")
_HYPHEN_RE = re.compile(r"(?<=\w)-(?=\w)")


def topic_text(text: str) -> str:
    """The words topics are made of: normalized, no special tokens, hyphenated words joined.

    >>> topic_text("Wi-Fi drops since the update!! @acme http://x.co")
    'wifi drops since the update !!'
    """
    joined = _HYPHEN_RE.sub("", text)
    if not joined.isascii():  # emoji say how, not what: their names make no topic
        joined = emoji.replace_emoji(joined, replace=" ")
    return _SPECIAL_RE.sub(" ", normalize(joined, negation=False)).strip().replace("  ", " ")


@dataclass(frozen=True)
class TopicInfo:
    """One learned topic."""

    id: int
    label: str  # a phrase of its strongest terms: "wifi drops"; one word when it has none
    keywords: tuple[str, ...]  # up to 10, strongest first
    size: int  # training messages assigned to it


#: How far down a topic's strongest terms its label may come from.
LABEL_DEPTH = 10


def topic_label(terms: Sequence[str]) -> str:
    """A short phrase for a topic from its terms, strongest first: the strongest two-word term
    among the first ``LABEL_DEPTH``, else the strongest word; never a list of words.

    >>> topic_label(["wifi", "drops", "wifi drops", "router"])
    'wifi drops'
    >>> topic_label(["billing", "i'd", "invoice"])
    'billing'
    """
    readable = [t for t in terms[:LABEL_DEPTH] if "'" not in t]
    phrases = [t for t in readable if " " in t]
    return phrases[0] if phrases else (readable[0] if readable else "")


def _distinct(terms: Sequence[str], limit: int) -> list[str]:
    """Strongest-first terms without near-duplicates: "charge"/"charger", "drop"/"drops",
    and no term that shares a word with a chosen one ("battery", "doorbell battery")."""
    chosen: list[str] = []
    for term in terms:
        stem = term[:5] if " " not in term else term
        words = set(term.split())
        duplicate = any(
            (" " not in kept and " " not in term and kept[:5] == stem) or words & set(kept.split())
            for kept in chosen
        )
        if not duplicate:
            chosen.append(term)
        if len(chosen) == limit:
            break
    return chosen


class TopicModel:
    """Topics of a corpus of short messages, scikit-learn style.

    Parameters
    ----------
    n_topics : number of topics; None picks it from ``candidates`` by topic quality
        (mean NPMI coherence of each topic's top words times topic diversity, the share of
        distinct words among all topics' top words) measured on a sample of the corpus.
    random_state : seed for NMF and the sample.
    candidates : the topic counts tried when ``n_topics`` is None.
    min_similarity : a message whose cosine similarity with its best topic's word vector is
        below this gets topic -1.
    max_features, min_df, max_df : vocabulary limits of the TF-IDF step.

    Attributes
    ----------
    topics_ : list of TopicInfo, one per topic id.
    quality_ : dict of tried topic count -> quality, when ``n_topics`` was None.

    Examples
    --------
    >>> texts = (["wifi drops after the firmware update"] * 20
    ...          + ["battery drains in two weeks, charging again"] * 20)
    >>> model = TopicModel(2, min_df=1, max_df=1.0).fit(texts)
    >>> sorted(len(t.keywords) > 0 for t in model.topics_)
    [True, True]
    >>> model.predict(["my wifi drops", "zebra giraffe"])[1]
    -1
    """

    def __init__(
        self,
        n_topics: int | None = None,
        *,
        random_state: int = 0,
        candidates: Sequence[int] = (6, 8, 10, 12, 15, 20),
        min_similarity: float = 0.05,
        max_features: int = 20_000,
        min_df: int = 3,
        max_df: float = 0.4,
        sample_size: int = 4_000,
    ) -> None:
        self.n_topics = n_topics
        self.random_state = random_state
        self.candidates = candidates
        self.min_similarity = min_similarity
        self.max_features = max_features
        self.min_df = min_df
        self.max_df = max_df
        self.sample_size = sample_size

    def _vectorizer(self) -> TfidfVectorizer:
        return TfidfVectorizer(
            stop_words=sorted(STOP_WORDS),
            token_pattern=r"(?u)\b[a-z][a-z0-9+']*[a-z0-9+]\b",  # noqa: S106 - not a password
            ngram_range=(1, 2),
            sublinear_tf=True,
            max_features=self.max_features,
            min_df=self.min_df,
            max_df=self.max_df,
            dtype=np.float32,
        )

    def _nmf(self, n_topics: int) -> NMF:
        return NMF(n_topics, init="nndsvda", random_state=self.random_state, max_iter=300)

    def fit(self, texts: Sequence[str]) -> "TopicModel":
        """Learn topics from ``texts``; sets ``topics_``."""
        if self.n_topics is not None and self.n_topics < 1:
            raise ValueError(f"n_topics must be at least 1, not {self.n_topics}")
        documents = [topic_text(text) for text in texts]
        self.vectorizer_ = self._vectorizer()
        try:
            matrix = self.vectorizer_.fit_transform(documents)
        except ValueError as error:  # empty vocabulary, or min_df/max_df leave nothing
            raise ValueError(f"too few or too short messages to learn topics: {error}") from None
        n_topics = self.n_topics
        if n_topics is None:
            self.quality_ = self._sweep(matrix)
            n_topics = max(self.quality_, key=lambda k: self.quality_[k])
        n_topics = min(n_topics, matrix.shape[0], matrix.shape[1])
        self.nmf_ = self._nmf(n_topics)
        weights = self.nmf_.fit_transform(matrix)
        components = self.nmf_.components_
        norms = np.linalg.norm(components, axis=1, keepdims=True)
        self.unit_components_ = components / np.where(norms > 0, norms, 1.0)
        assigned = self._assign(matrix, weights)
        terms = self.vectorizer_.get_feature_names_out()
        self.topics_ = []
        for topic, row in enumerate(components):
            top = [str(terms[i]) for i in np.argsort(row)[::-1][:30] if row[i] > 0]
            keywords = _distinct(top, 10)
            self.topics_.append(
                TopicInfo(
                    id=topic,
                    label=topic_label(top),
                    keywords=tuple(keywords),
                    size=int(np.sum(assigned == topic)),
                )
            )
        return self

    def _assign(self, matrix: sparse.csr_matrix, weights: np.ndarray) -> np.ndarray:
        best = np.argmax(weights, axis=1)
        similarity = np.asarray(
            (matrix @ self.unit_components_.T)[np.arange(matrix.shape[0]), best]
        ).ravel()
        return np.where((weights.max(axis=1) > 0) & (similarity >= self.min_similarity), best, -1)

    def _sweep(self, matrix: sparse.csr_matrix) -> dict[int, float]:
        """Topic quality (coherence x diversity) for each candidate count, on a sample."""
        rng = check_random_state(self.random_state)
        rows = matrix.shape[0]
        if rows > self.sample_size:
            matrix = matrix[rng.choice(rows, self.sample_size, replace=False)]
        present = (matrix > 0).astype(np.float32).tocsc()
        doc_freq = np.asarray(present.sum(axis=0)).ravel()
        n_docs = present.shape[0]
        quality: dict[int, float] = {}
        for k in self.candidates:
            if k > min(matrix.shape):
                continue
            components = self._nmf(k).fit(matrix).components_
            tops = [np.argsort(row)[::-1][:10] for row in components]
            coherence = [_npmi(present, doc_freq, n_docs, top) for top in tops]
            diversity = len({int(i) for top in tops for i in top}) / (10 * k)
            quality[k] = float(np.mean(coherence)) * diversity
        if not quality:
            quality[min(self.candidates)] = 0.0
        return quality

    def predict(self, texts: Sequence[str]) -> list[int]:
        """The topic id of each message, -1 when no topic fits."""
        if not hasattr(self, "topics_"):
            raise NotFittedError("call TopicModel.fit(texts) before predict()")
        if not texts:
            return []
        matrix = self.vectorizer_.transform([topic_text(text) for text in texts])
        weights = self.nmf_.transform(matrix)
        return [int(topic) for topic in self._assign(matrix, weights)]


def _npmi(present: sparse.csc_matrix, doc_freq: np.ndarray, n_docs: int, top: np.ndarray) -> float:
    """Mean normalized pointwise mutual information of the word pairs in ``top``."""
    columns = present[:, top]
    together = (columns.T @ columns).toarray()
    scores = []
    for i in range(len(top)):
        for j in range(i + 1, len(top)):
            joint = together[i, j] / n_docs
            if joint == 0:
                scores.append(-1.0)
                continue
            p_i, p_j = doc_freq[top[i]] / n_docs, doc_freq[top[j]] / n_docs
            scores.append(float(np.log(joint / (p_i * p_j)) / -np.log(joint)))
    return float(np.mean(scores)) if scores else 0.0
