"""Features of the fast tier: TF-IDF word and character n-grams plus VADER's lexicon scores."""

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.utils.validation import check_is_fitted  # type: ignore[import-untyped]

from cluetrain_analytics.text.normalize import NEGATION_SUFFIX, normalize

__all__ = ["TweetFeatures", "lexicon_scores"]


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


class TweetFeatures(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Turn raw social-media messages into one sparse feature row each.

    Word n-grams are taken from the normalized text with negation marks (``good_NEG``),
    character n-grams from the same text without them; VADER's four scores on the raw text
    are appended, multiplied by ``lexicon_weight`` so that they can stand out against
    thousands of small TF-IDF values.

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
            token_pattern=r"\S+",
            ngram_range=self.word_ngrams,
            max_features=self.max_word_features,
            dtype=np.float32,
            **common,
        ).fit(words)
        self.char_vectorizer_ = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=self.char_ngrams,
            max_features=self.max_char_features,
            dtype=np.float32,
            **common,
        ).fit(chars)
        self.n_features_out_ = (
            len(self.word_vectorizer_.vocabulary_)
            + len(self.char_vectorizer_.vocabulary_)
            + (4 if self.lexicon_weight else 0)
        )
        return self

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        check_is_fitted(self, "word_vectorizer_")
        words, chars = self._texts(texts)
        blocks = [self.word_vectorizer_.transform(words), self.char_vectorizer_.transform(chars)]
        if self.lexicon_weight:
            blocks.append(sp.csr_matrix(self.lexicon_weight * lexicon_scores(texts)))
        return sp.hstack(blocks, format="csr", dtype=np.float32)
