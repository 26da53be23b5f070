from typing import Any

import numpy as np
import pytest
from sklearn.base import clone  # type: ignore[import-untyped]
from sklearn.exceptions import NotFittedError  # type: ignore[import-untyped]

from cluetrain_analytics.text.classify import TextClassifier
from cluetrain_analytics.text.features import TweetFeatures, lexicon_scores

TEXTS = [
    "I love it, works great",
    "great service, love them",
    "awesome product, so happy",
    "I hate it, totally broken",
    "awful support, I'm angry",
    "terrible, never again",
] * 3
LABELS = [1, 1, 1, 0, 0, 0] * 3
SMALL: dict[str, Any] = {"min_df": 1, "max_word_features": 500, "max_char_features": 500}


def test_features_fit_returns_self_and_leaves_params_alone() -> None:
    features = TweetFeatures(**SMALL)
    params = features.get_params()
    assert features.fit(TEXTS) is features
    assert features.get_params() == params
    X = features.transform(["love it", "hate it"])
    assert X.shape == (2, features.n_features_out_)
    # The last four columns are VADER's scores times lexicon_weight.
    np.testing.assert_allclose(
        X[:, -4:].toarray(), 3.0 * lexicon_scores(["love it", "hate it"]), rtol=1e-6
    )


def test_lexicon_weight_zero_leaves_the_lexicon_out() -> None:
    features = TweetFeatures(lexicon_weight=0, **SMALL).fit(TEXTS)
    words = len(features.word_vectorizer_.vocabulary_)
    chars = len(features.char_vectorizer_.vocabulary_)
    assert features.n_features_out_ == words + chars
    assert features.transform(["x"]).shape == (1, words + chars)


def test_classifier_fit_returns_self_and_learns_underscore_attributes() -> None:
    model = TextClassifier(C=10, random_state=0)
    params = model.get_params()
    assert model.fit(TEXTS, LABELS) is model
    assert model.get_params() == params
    assert model.features is None
    assert isinstance(model.features_, TweetFeatures)
    assert model.classes_.tolist() == [0, 1]
    assert model.predict(["I love this", "I hate this, broken"]).tolist() == [1, 0]
    proba = model.predict_proba(["so happy"])
    assert proba.shape == (1, 2)
    assert proba.sum() == pytest.approx(1.0)


def test_same_random_state_gives_the_same_model() -> None:
    first = TextClassifier(random_state=7).fit(TEXTS, LABELS)
    second = clone(first).fit(TEXTS, LABELS)
    np.testing.assert_array_equal(first.model_.coef_, second.model_.coef_)


def test_unfitted_estimators_refuse_clearly() -> None:
    with pytest.raises(NotFittedError, match="not fitted"):
        TextClassifier().predict(["hello"])
    with pytest.raises(NotFittedError, match="not fitted"):
        TweetFeatures().transform(["hello"])
    with pytest.raises(NotFittedError, match="not fitted"):
        TextClassifier(features=TweetFeatures()).fit(TEXTS, LABELS)


def test_fit_refuses_mismatched_lengths() -> None:
    with pytest.raises(ValueError, match="18 texts but 2 labels"):
        TextClassifier().fit(TEXTS, [0, 1])


def test_shared_features_and_transfer_add_decision_columns() -> None:
    features = TweetFeatures(**SMALL).fit(TEXTS)
    base = TextClassifier(features=features, random_state=0).fit(TEXTS, LABELS)
    assert base.features_ is features
    stacked = TextClassifier(features=features, transfer=base, random_state=0)
    stacked.fit(TEXTS, [2, 2, 2, 1, 0, 0] * 3)
    # A binary base model adds one decision column.
    assert stacked.model_.coef_.shape == (3, features.n_features_out_ + 1)
    assert stacked.predict(["love it, works great"]).tolist() == [2]
