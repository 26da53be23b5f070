"""Features of the fast tier: TF-IDF word and character n-grams plus VADER's lexicon scores."""

from array import array
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]
from sklearn.base import BaseEstimator, TransformerMixin  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import (  # type: ignore[import-untyped]
    CountVectorizer,
    TfidfTransformer,
    TfidfVectorizer,
)
from sklearn.utils.validation import check_is_fitted  # type: ignore[import-untyped]

from cluetrain_analytics.text.normalize import NEGATION_SUFFIX, normalize

__all__ = ["CharNgrams", "TweetFeatures", "lexicon_scores"]


@lru_cache(maxsize=1)
def _vader() -> Any:
    # Imported late: loading VADER's lexicon takes a tenth of a second that `import` should not pay.
    from vaderSentiment.vaderSentiment import (  # type: ignore[import-untyped]
        SentimentIntensityAnalyzer,
    )

    return SentimentIntensityAnalyzer()


def lexicon_scores(texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """VADER's compound, positive, negative and neutral scores, one row per raw text.

    >>> lexicon_scores(["I love it", "I hate it"])[:, 0].round(2).tolist()
    [0.64, -0.57]
    """
    scores = _vader().polarity_scores
    rows = [(s["compound"], s["pos"], s["neg"], s["neu"]) for s in map(scores, texts)]
    return np.array(rows, dtype=np.float64).reshape(len(rows), 4)


class _WordCharNgrams:
    """The character n-grams of one space-padded word, as scikit-learn's ``char_wb`` makes them."""

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def word(self, word: str) -> list[str]:
        padded = f" {word} "
        grams = []
        for n in range(self.low, self.high + 1):
            if len(padded) <= n:
                grams.append(padded)
                break
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
        return grams

    def __call__(self, text: str) -> list[str]:
        return [gram for word in text.split() for gram in self.word(word)]


class CharNgrams(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """TF-IDF of in-word character n-grams, with the n-grams of each word computed once.

    The same features as ``TfidfVectorizer(analyzer="char_wb", sublinear_tf=True)``, several
    times faster on social-media text, where most words repeat: the column indices of every
    word seen are cached (the cache is bounded and not saved with the model).

    >>> sorted(CharNgrams(ngram_range=(2, 3)).fit(["ab ab", "ab"]).vocabulary_)
    [' a', ' ab', 'ab', 'ab ', 'b ']
    """

    _CACHE_SIZE = 200_000

    def __init__(
        self,
        *,
        ngram_range: tuple[int, int] = (2, 5),
        max_features: int | None = None,
        min_df: int = 1,
    ) -> None:
        self.ngram_range = ngram_range
        self.max_features = max_features
        self.min_df = min_df

    def fit(self, texts: Sequence[str], y: object = None) -> "CharNgrams":
        counter = CountVectorizer(
            analyzer=_WordCharNgrams(*self.ngram_range),
            max_features=self.max_features,
            min_df=self.min_df,
            dtype=np.float32,
        )
        counts = counter.fit_transform(texts)
        self.vocabulary_: dict[str, int] = counter.vocabulary_
        self.tfidf_ = TfidfTransformer(sublinear_tf=True).fit(counts)
        return self

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_cache", None)
        return state

    def _word_ids(self, word: str) -> "array[int]":
        vocabulary = self.vocabulary_
        grams = _WordCharNgrams(*self.ngram_range).word(word)
        return array("i", [vocabulary[gram] for gram in grams if gram in vocabulary])

    def warm_up(self, words: Iterable[str]) -> None:
        """Fill the cache for these words ahead of the first messages."""
        check_is_fitted(self, "vocabulary_")
        cache: dict[str, array[int]] = self.__dict__.setdefault("_cache", {})
        for word in words:
            if word not in cache and len(cache) < self._CACHE_SIZE:
                cache[word] = self._word_ids(word)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        check_is_fitted(self, "vocabulary_")
        cache: dict[str, array[int]] = self.__dict__.setdefault("_cache", {})
        if len(cache) > self._CACHE_SIZE:
            cache.clear()
        # array.array, not lists: extending by a cached array is a copy, and numpy reads it as is.
        indices = array("i")
        indptr = array("i", [0])
        for text in texts:
            for word in text.split():
                ids = cache.get(word)
                if ids is None:
                    ids = cache[word] = self._word_ids(word)
                indices.extend(ids)
            indptr.append(len(indices))
        counts = sp.csr_matrix(
            (
                np.ones(len(indices), dtype=np.float32),
                np.frombuffer(indices, dtype=np.intc),
                np.frombuffer(indptr, dtype=np.intc),
            ),
            shape=(len(texts), len(self.vocabulary_)),
        )
        counts.sum_duplicates()
        return self.tfidf_.transform(counts)


class TweetFeatures(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Turn raw social-media messages into one sparse feature row each.

    Word n-grams are taken from the normalized text with negation marks (``good_NEG``),
    in-word character n-grams (:class:`CharNgrams`) from the same text without them;
    VADER's four scores on the raw text are appended, multiplied by ``lexicon_weight`` so
    that they can stand out against thousands of small TF-IDF values.

    Parameters
    ----------
    word_ngrams, char_ngrams : tuple of int
        N-gram ranges of the word and the character (``char_wb``) vectorizers.
    max_word_features, max_char_features : int
        Vocabulary caps; they bound the size of the saved model.
    min_df : int
        Minimum number of training messages an n-gram must occur in.
    lexicon_weight : float
        Scale of the VADER columns; 0 leaves them out.
    """

    def __init__(
        self,
        *,
        word_ngrams: tuple[int, int] = (1, 3),
        char_ngrams: tuple[int, int] = (2, 5),
        max_word_features: int = 40_000,
        max_char_features: int = 60_000,
        min_df: int = 2,
        lexicon_weight: float = 3.0,
    ) -> None:
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.min_df = min_df
        self.lexicon_weight = lexicon_weight

    def _texts(self, texts: Sequence[str]) -> tuple[list[str], list[str]]:
        words = [normalize(text) for text in texts]
        return words, [text.replace(NEGATION_SUFFIX, "") for text in words]

    def fit(self, texts: Sequence[str], y: object = None) -> "TweetFeatures":
        words, chars = self._texts(texts)
        common = {"lowercase": False, "sublinear_tf": True, "min_df": self.min_df}
        self.word_vectorizer_ = TfidfVectorizer(
            token_pattern=r"\S+",  # noqa: S106 - a regular expression, not a password
            ngram_range=self.word_ngrams,
            max_features=self.max_word_features,
            dtype=np.float32,
            **common,
        ).fit(words)
        self.char_vectorizer_ = CharNgrams(
            ngram_range=self.char_ngrams, max_features=self.max_char_features, min_df=self.min_df
        ).fit(chars)
        self.n_features_out_ = (
            len(self.word_vectorizer_.vocabulary_)
            + len(self.char_vectorizer_.vocabulary_)
            + (4 if self.lexicon_weight else 0)
        )
        return self

    def warm_up(self) -> None:
        """Cache the character n-grams of every known single word (about 0.1 s)."""
        check_is_fitted(self, "word_vectorizer_")
        words = (term for term in self.word_vectorizer_.vocabulary_ if " " not in term)
        self.char_vectorizer_.warm_up(word.removesuffix(NEGATION_SUFFIX) for word in words)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        check_is_fitted(self, "word_vectorizer_")
        words, chars = self._texts(texts)
        blocks = [self.word_vectorizer_.transform(words), self.char_vectorizer_.transform(chars)]
        if self.lexicon_weight:
            blocks.append(sp.csr_matrix(self.lexicon_weight * lexicon_scores(texts)))
        return sp.hstack(blocks, format="csr", dtype=np.float32)
