"""The learned layer over the intent rules: one logistic regression per intent.

Features: TF-IDF of the cleaned message's words and word pairs and of its character 3- and
4-grams within words (they carry misspellings and word forms across annotators' samples: out
of fold by labelled set, docs/experience.md section 7), plus the rules' own evidence
(the noisy-OR score of each intent, positive and negative sentiment, whether an event was
found, whether there is a "?"), scaled up so that a few dozen labelled examples of a rare
intent lean on the rules rather than on words. Trained on every hand-labelled twcs message
(docs/experience.md: the first sample, the keyword sample, the unseen sample and the two fresh
samples) by ``python -m cluetrain_lab.evaluation.intent_model --data ../shared/data/twcs
--save``. Complain, praise and ask are learned; out of fold, the rules did better on the rare
intents, which keep their rule score.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack  # type: ignore[import-untyped]

from cluetrain_analytics.artifacts import load_artifact, save_artifact

__all__ = ["MODEL_PATH", "RETRAIN", "IntentModel", "load_intent_model", "rule_features"]

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "experience-intents.joblib"
RETRAIN = "python -m cluetrain_lab.evaluation.intent_model --data ../shared/data/twcs --save"


def rule_features(
    rule_scores: dict[str, float], intents: Sequence[str], sentiment: float, event: bool, ask: bool
) -> list[float]:
    """The rules' evidence for one message, in a fixed order."""
    return [
        *(rule_scores[intent] for intent in intents),
        max(sentiment, 0.0),
        max(-sentiment, 0.0),
        float(event),
        float(ask),
    ]


@dataclass
class IntentModel:
    """TF-IDF + rule evidence -> one logistic regression per learned intent."""

    intents: tuple[str, ...]
    #: The intents learned; the others keep their rule score (out-of-fold, the rules did as
    #: well or better on them: docs/experience.md).
    learn: tuple[str, ...] = ("complain", "praise", "ask")
    C: float = 1.0
    rule_weight: float = 3.0
    min_positives: int = 8
    #: Character n-grams within words (``char_wb``) beside the word n-grams; None: words only.
    char_ngrams: tuple[int, int] | None = (3, 4)
    #: Presence threshold per learned intent, chosen out of fold on the training messages.
    thresholds: dict[str, float] = field(default_factory=dict)
    vectorizer: Any = None
    #: The character n-grams' vectorizer (None without them); stacked by hand rather than in a
    #: FeatureUnion, whose per-call overhead added about 40 % to reading one message.
    char_vectorizer: Any = None
    #: intent -> (coefficients over [tf-idf, rule features], intercept)
    weights: dict[str, tuple[np.ndarray, float]] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)

    def _matrix(self, texts: Sequence[str], rules: np.ndarray, *, fit: bool = False) -> Any:
        vectorizers = [v for v in (self.vectorizer, self.char_vectorizer) if v is not None]
        parts = [v.fit_transform(texts) if fit else v.transform(texts) for v in vectorizers]
        return hstack([*parts, csr_matrix(rules * self.rule_weight)]).tocsr()

    def fit(self, texts: Sequence[str], rules: np.ndarray, labels: np.ndarray) -> "IntentModel":
        """``texts`` cleaned, ``rules`` one :func:`rule_features` row each, ``labels`` a 0/1
        column per intent of :attr:`intents`."""
        from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
        from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

        self.vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        self.char_vectorizer = None
        if self.char_ngrams is not None:
            self.char_vectorizer = TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=self.char_ngrams,
                min_df=3,
                sublinear_tf=True,
                max_features=30000,
            )
        matrix = self._matrix(texts, rules, fit=True)
        self.weights = {}
        for column, intent in enumerate(self.intents):
            target = labels[:, column].astype(int)
            if intent not in self.learn or target.sum() < self.min_positives:
                continue
            model = LogisticRegression(C=self.C, max_iter=2000).fit(matrix, target)
            self.weights[intent] = (model.coef_[0].astype(np.float32), float(model.intercept_[0]))
        return self

    def predict_proba(self, texts: Sequence[str], rules: np.ndarray) -> dict[str, np.ndarray]:
        """intent -> probability per message, for the intents this model learned."""
        if not texts:
            return {intent: np.zeros(0) for intent in self.weights}
        matrix = self._matrix(texts, rules)
        return {
            intent: 1.0 / (1.0 + np.exp(-(matrix @ coef + intercept)))
            for intent, (coef, intercept) in self.weights.items()
        }


def save_intent_model(model: IntentModel, path: Path = MODEL_PATH) -> Path:
    return save_artifact(model, path, compress=("zlib", 6))


@lru_cache(maxsize=2)
def load_intent_model(path: Path = MODEL_PATH) -> IntentModel | None:
    """The shipped model, loaded once per process; None when the file is not there."""
    if not path.exists():
        return None
    return load_artifact(path, IntentModel, retrain=RETRAIN)
