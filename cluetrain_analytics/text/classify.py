"""Fast-tier text classifiers: a logistic regression over :class:`TweetFeatures`.

A classifier can take an already fitted feature extractor (``features``), so that several
classifiers share one and a message is featurized once for all of them, and an already
fitted ``transfer`` classifier whose decision values become extra features: emotion, irony
and offensive language learn from the sentiment model, trained on 15 times more messages.
"""

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]
from sklearn.base import BaseEstimator, ClassifierMixin  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.utils.validation import check_is_fitted  # type: ignore[import-untyped]

from cluetrain_analytics.text.features import TweetFeatures

__all__ = ["TextClassifier"]

FloatArray = np.ndarray[Any, np.dtype[np.floating[Any]]]


class TextClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Classify raw messages with a linear model over word, character and lexicon features.

    Parameters
    ----------
    features : TweetFeatures or None
        A *fitted* extractor to share, or None to fit ``TweetFeatures()`` on ``fit``'s texts.
    transfer : TextClassifier or None
        A fitted classifier (over the same ``features``) whose decision values are appended.
    transfer_weight : float
        Scale of those appended columns.
    C : float
        Inverse regularization strength of the logistic regression.
    class_weight : "balanced", dict or None
        As in scikit-learn; "balanced" favours macro recall on skewed classes.
    max_iter : int
        Solver iterations.
    random_state : int or None
        Seed, for reproducible fits.

    Examples
    --------
    >>> texts = ["love it", "great, love", "hate it", "awful, hate"] * 5
    >>> model = TextClassifier(C=10, random_state=0).fit(texts, [1, 1, 0, 0] * 5)
    >>> model.predict(["I love this", "I hate this"]).tolist()
    [1, 0]
    """

    def __init__(
        self,
        *,
        features: TweetFeatures | None = None,
        transfer: "TextClassifier | None" = None,
        transfer_weight: float = 1.0,
        C: float = 1.0,
        class_weight: str | dict[int, float] | None = "balanced",
        max_iter: int = 3000,
        random_state: int | None = None,
    ) -> None:
        self.features = features
        self.transfer = transfer
        self.transfer_weight = transfer_weight
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.random_state = random_state

    def fit(self, texts: Sequence[str], y: Sequence[int]) -> "TextClassifier":
        if len(texts) != len(y):
            raise ValueError(f"{len(texts)} texts but {len(y)} labels")
        if self.features is None:
            self.features_ = TweetFeatures().fit(texts)
        else:
            check_is_fitted(self.features, "word_vectorizer_")
            self.features_ = self.features
        self.model_ = LogisticRegression(
            C=self.C,
            class_weight=self.class_weight,
            max_iter=self.max_iter,
            random_state=self.random_state,
        ).fit(self.augment(self.features_.transform(texts)), np.asarray(y))
        self.classes_ = self.model_.classes_
        return self

    def augment(self, X: sp.csr_matrix) -> sp.csr_matrix:
        """Append the transfer classifier's decision values to featurized rows."""
        if self.transfer is None:
            return X
        extra = self.transfer_weight * self.transfer.decision_features(X)
        return sp.hstack([X, sp.csr_matrix(extra)], format="csr")

    def decision_features(self, X: sp.csr_matrix) -> FloatArray:
        """Decision values for rows already featurized by ``features_``, shape (n, k)."""
        check_is_fitted(self, "model_")
        values: FloatArray = self.model_.decision_function(self.augment(X))
        return values.reshape(X.shape[0], -1)

    def predict_proba_features(self, X: sp.csr_matrix) -> FloatArray:
        """Class probabilities for rows already featurized by ``features_``."""
        check_is_fitted(self, "model_")
        proba: FloatArray = self.model_.predict_proba(self.augment(X))
        return proba

    def predict_proba(self, texts: Sequence[str]) -> FloatArray:
        check_is_fitted(self, "model_")
        return self.predict_proba_features(self.features_.transform(texts))

    def predict(self, texts: Sequence[str]) -> np.ndarray[Any, Any]:
        proba = self.predict_proba(texts)
        return np.asarray(self.classes_[proba.argmax(axis=1)])
