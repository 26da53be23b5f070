"""The fast tier: one shared feature extractor and four linear heads, saved as one small file.

>>> tier = load_fast_tier()  # doctest: +SKIP
>>> tier.analyze(["I love this, works perfectly"])[0].sentiment  # doctest: +SKIP
'positive'
"""

import copy
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]

from cluetrain_analytics.artifacts import load_artifact, save_artifact
from cluetrain_analytics.text.classify import TextClassifier
from cluetrain_analytics.text.features import TweetFeatures
from cluetrain_analytics.text.tweeteval import LABELS, TASKS

__all__ = [
    "MODEL_PATH",
    "Analysis",
    "FastTier",
    "analyses_from_proba",
    "load_fast_tier",
    "train_fast_tier",
]

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "text-fast.joblib"

#: Hyperparameters of the shipped model, chosen on the train splits (see docs/listening.md).
DEFAULT_PARAMS: dict[str, Any] = {
    "features": {
        "word_ngrams": (1, 3),
        "char_ngrams": (2, 5),
        "max_word_features": 40_000,
        "max_char_features": 60_000,
        "min_df": 2,
        "lexicon_weight": 3.0,
    },
    "C": {"sentiment": 1.0, "emotion": 3.0, "irony": 1.0, "offensive": 1.0},
    "transfer_weight": 1.0,
    #: With unlabelled tweets (``train_fast_tier(unlabelled=...)``), the sentiment head is
    #: distilled: a second head is fitted, with this C, on gold plus the teacher's soft labels
    #: (each weighted by ``weight``, classes below ``min_proba`` left out), and its intercepts
    #: are shifted by ``sentiment_offsets`` (negative, neutral, positive): macro recall rewards
    #: balanced decisions. The teacher is the accurate tier's MiniLM head fused with the
    #: gold-only head (weight ``teacher_fast_weight``), as the accurate tier fuses; the
    #: gold-only head stays the transfer source of the other three heads, which are thus the
    #: same as without distillation. Chosen on a 10 % hold-out of the rebuilt train
    #: (docs/listening.md, issue #17).
    "distill": {
        "C": 0.5,
        "teacher_fast_weight": 0.6,
        "weight": 2.0,
        "min_proba": 0.05,
        "sentiment_offsets": (1.25, 0.0, 0.25),
    },
}


@dataclass(frozen=True)
class Analysis:
    """What the fast tier says about one message."""

    sentiment: str
    #: P(positive) - P(negative), in [-1, 1].
    sentiment_score: float
    emotion: str
    emotion_scores: dict[str, float] = field(repr=False)
    irony: bool
    offensive: bool
    #: P(irony) and P(offensive): the flags are these above 0.5; both heads are weak (see docs).
    irony_score: float = field(default=0.0, repr=False)
    offensive_score: float = field(default=0.0, repr=False)
    #: The probability of the label given: below ``abstain.UNSURE_BELOW`` the product says
    #: "unsure" instead (docs/abstention.md).
    sentiment_confidence: float = field(default=1.0, repr=False)
    emotion_confidence: float = field(default=1.0, repr=False)


@dataclass
class FastTier:
    """Fitted classifiers for every TweetEval task, sharing one fitted feature extractor."""

    features: TweetFeatures
    classifiers: dict[str, TextClassifier]
    version: str
    report: dict[str, Any] = field(default_factory=dict)

    def predict(self, task: str, texts: Sequence[str]) -> list[int]:
        """Integer labels in the TweetEval mapping of ``task``."""
        proba = self.classifiers[task].predict_proba_features(self.features.transform(texts))
        return [int(label) for label in proba.argmax(axis=1)]

    def analyze(self, texts: Sequence[str]) -> list[Analysis]:
        """All four classifications, featurizing each message once."""
        if not texts:
            return []
        X = self.features.transform(texts)
        return analyses_from_proba(
            {task: model.predict_proba_features(X) for task, model in self.classifiers.items()}
        )


def analyses_from_proba(proba: Mapping[str, Any]) -> list[Analysis]:
    """One Analysis per row of each task's class probabilities (TweetEval label order)."""
    sentiment, emotion = proba["sentiment"], proba["emotion"]
    emotions = LABELS["emotion"]
    return [
        Analysis(
            sentiment=LABELS["sentiment"][int(sentiment[i].argmax())],
            sentiment_score=round(float(sentiment[i, 2] - sentiment[i, 0]), 4),
            emotion=emotions[int(emotion[i].argmax())],
            emotion_scores={
                name: round(float(p), 4) for name, p in zip(emotions, emotion[i], strict=True)
            },
            irony=bool(proba["irony"][i, 1] > 0.5),
            offensive=bool(proba["offensive"][i, 1] > 0.5),
            irony_score=round(float(proba["irony"][i, 1]), 4),
            offensive_score=round(float(proba["offensive"][i, 1]), 4),
            sentiment_confidence=round(float(sentiment[i].max()), 4),
            emotion_confidence=round(float(emotion[i].max()), 4),
        )
        for i in range(len(sentiment))
    ]


def train_fast_tier(
    data: Mapping[str, tuple[Sequence[str], Sequence[int]]],
    *,
    params: Mapping[str, Any] | None = None,
    random_state: int = 42,
    unlabelled: tuple[Sequence[str], Any] | None = None,
) -> FastTier:
    """Fit the shared features on every task's train texts, then sentiment, then the others.

    ``data`` maps each task of :data:`TASKS` to its train texts and labels. The emotion, irony
    and offensive heads get the sentiment head's decision values as extra features.
    ``unlabelled`` (texts, the MiniLM sentiment head's log-probabilities on them, shape
    (n, 3)) distils the sentiment head (see ``DEFAULT_PARAMS["distill"]``).
    """
    params = {**DEFAULT_PARAMS, **(params or {})}
    started = time.perf_counter()
    all_texts = [text for task in TASKS for text in data[task][0]]
    features = TweetFeatures(**params["features"]).fit(all_texts)
    classifiers: dict[str, TextClassifier] = {}
    transfer: TextClassifier | None = None
    for task in TASKS:
        texts, labels = data[task]
        head = TextClassifier(
            features=features,
            transfer=transfer,
            transfer_weight=params["transfer_weight"],
            C=params["C"][task],
            random_state=random_state,
        ).fit(texts, labels)
        # float32 halves the file; predictions are unchanged at this precision.
        head.model_.coef_ = head.model_.coef_.astype(np.float32)
        classifiers[task] = head
        if task == "sentiment":
            transfer = head
            if unlabelled is not None:
                classifiers[task] = _distil(head, texts, labels, unlabelled, params["distill"])
    report = {
        "params": params,
        "random_state": random_state,
        "train_sizes": {task: len(data[task][1]) for task in TASKS},
        "distilled_on": 0 if unlabelled is None else len(unlabelled[0]),
        "n_features": features.n_features_out_,
        "fit_seconds": round(time.perf_counter() - started, 1),
    }
    version = f"fast-{time.strftime('%Y%m%d')}-seed{random_state}"
    return FastTier(features=features, classifiers=classifiers, version=version, report=report)


def _distil(
    head: TextClassifier,
    texts: Sequence[str],
    labels: Sequence[int],
    unlabelled: tuple[Sequence[str], Any],
    settings: Mapping[str, Any],
) -> TextClassifier:
    """A new head on gold plus soft-labelled copies of unlabelled texts; ``head`` (gold only)
    is the teacher's fast part.

    Each unlabelled text appears once per class whose teacher probability reaches
    ``min_proba``, weighted by that probability times ``weight``; class weights balance the
    weighted counts of gold and copies together, as "balanced" does for gold alone.
    """
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    features = head.features_
    X_gold = features.transform(texts)
    X_unlabelled = features.transform(unlabelled[0])
    w = settings["teacher_fast_weight"]
    logits = (1 - w) * np.asarray(unlabelled[1]) + w * np.log(
        np.clip(head.predict_proba_features(X_unlabelled), 1e-12, 1)
    )
    teacher = np.exp(logits - logits.max(axis=1, keepdims=True))
    teacher /= teacher.sum(axis=1, keepdims=True)
    n_classes = teacher.shape[1]
    rows = np.repeat(np.arange(len(teacher)), n_classes)
    classes = np.tile(np.arange(n_classes), len(teacher))
    proba = teacher.reshape(-1)
    keep = proba >= settings["min_proba"]
    y = np.concatenate([np.asarray(labels), classes[keep]])
    weight = np.concatenate([np.ones(len(labels)), settings["weight"] * proba[keep]])
    counts = np.bincount(y, weights=weight, minlength=n_classes)
    weight *= (weight.sum() / (n_classes * counts))[y]
    student = copy.copy(head)
    student.C = settings["C"]
    student.class_weight = None  # in ``weight`` already
    student.model_ = LogisticRegression(
        C=settings["C"], max_iter=head.max_iter, random_state=head.random_state
    ).fit(sp.vstack([X_gold, X_unlabelled[rows[keep]]], format="csr"), y, sample_weight=weight)
    student.model_.intercept_ += np.asarray(settings["sentiment_offsets"])
    student.model_.coef_ = student.model_.coef_.astype(np.float32)
    student.classes_ = student.model_.classes_
    return student


def save_fast_tier(tier: FastTier, path: Path = MODEL_PATH) -> Path:
    """Write the tier and the manifest of the library versions it was made with."""
    return save_artifact(tier, path, compress=("zlib", 6))


@lru_cache(maxsize=2)
def load_fast_tier(path: Path = MODEL_PATH) -> FastTier:
    """The shipped fast tier, loaded once per process and warmed up (a fraction of a second).

    Raises ``ArtifactVersionError`` when the installed scikit-learn (or numpy, scipy, joblib)
    cannot read the file (see docs/artifacts.md).
    """
    tier = load_artifact(
        path, FastTier, retrain=f"cluetrain train_text --data DIR --out {path.parent}"
    )
    tier.features.warm_up()
    return tier
