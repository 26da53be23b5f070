"""The community's own sentiment and emotion heads, fitted on the labels staff corrected.

The shipped fast tier learned from public tweets; staff's corrections say where it is wrong
for *this* community. :func:`fit_community_heads` fits, per task, a logistic regression over
the fast tier's own features and the log of its probabilities, on:

- the messages staff checked (corrected or confirmed), each weighted ``correction_weight``;
- up to ``max_background`` other messages of the community with the shipped tier's own label
  (weight 1), so every class stays in the model and the head agrees with the shipped tier
  where staff said nothing.

A corrected kind of message therefore changes label, and the rest stay close to what the
shipped tier says. The shipped model is never changed: :class:`CommunityTier` wraps it.
Accuracy is measured on corrections held out of the fit (``folds``-fold), beside the shipped
tier's on the same messages.

>>> from cluetrain_analytics.text.fast import load_fast_tier
>>> tier = load_fast_tier()  # doctest: +SKIP
>>> heads = fit_community_heads(tier, {"sentiment": (texts, labels)}, background)  # doctest: +SKIP
>>> CommunityTier(tier, heads).analyze(["Care+ paid for itself"])[0].sentiment  # doctest: +SKIP
'positive'
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

from cluetrain_analytics.text.fast import Analysis, FastTier, analyses_from_proba
from cluetrain_analytics.text.tweeteval import LABELS

__all__ = [
    "COMMUNITY_TASKS",
    "MIN_CORRECTIONS",
    "CommunityHeads",
    "CommunityTier",
    "Head",
    "TooFewCorrections",
    "fit_community_heads",
]

#: The tasks a community head can replace.
COMMUNITY_TASKS = ("sentiment", "emotion")
#: Fewer checked messages than this for a task: no head for it (and a refusal if none has).
MIN_CORRECTIONS = 10

FloatArray = np.ndarray[Any, np.dtype[np.floating[Any]]]


class TooFewCorrections(ValueError):
    """No task has enough checked messages to fit a head."""


@dataclass
class Head:
    """A logistic regression over the columns of the fast tier's inputs that its training
    messages used (the others would get a zero weight; leaving them out keeps the fit fast
    and the stored model small)."""

    columns: np.ndarray[Any, np.dtype[np.intp]]
    model: LogisticRegression

    def proba(self, Z: sp.csr_matrix, n_labels: int) -> FloatArray:
        """Probabilities in the task's full label order (0 for a class never seen)."""
        proba = np.zeros((Z.shape[0], n_labels))
        proba[:, self.model.classes_] = self.model.predict_proba(Z[:, self.columns])
        return proba


@dataclass
class CommunityHeads:
    """Fitted heads per task, over the features of the fast tier ``base_version``."""

    base_version: str
    heads: dict[str, Head]
    #: Per task: ``n`` checked messages, ``held_out_accuracy`` of the head and
    #: ``shipped_accuracy`` of the shipped tier on the same held-out messages, ``folds``.
    report: dict[str, Any] = field(default_factory=dict)


def _inputs(tier: FastTier, X: sp.csr_matrix, task: str) -> sp.csr_matrix:
    """The fast tier's features beside the log of its own probabilities for ``task``."""
    proba = tier.classifiers[task].predict_proba_features(X)
    return sp.hstack([X, sp.csr_matrix(np.log(np.clip(proba, 1e-6, 1.0)))], format="csr")


def _fit_head(
    Z: sp.csr_matrix,
    y: np.ndarray[Any, Any],
    Z_back: sp.csr_matrix | None,
    y_back: np.ndarray[Any, Any],
    correction_weight: float,
    C: float,
    random_state: int,
) -> Head:
    """Checked rows weighted ``correction_weight``, the background's rows weighted 1."""
    weights = np.full(len(y), correction_weight)
    if Z_back is not None:
        Z = sp.vstack([Z, Z_back], format="csr")
        y = np.concatenate([y, y_back])
        weights = np.concatenate([weights, np.ones(len(y_back))])
    columns = np.unique(Z.indices).astype(np.intp)
    model = LogisticRegression(C=C, max_iter=2000, random_state=random_state)
    model.fit(Z[:, columns], y, sample_weight=weights)
    model.coef_ = model.coef_.astype(np.float32)
    return Head(columns=columns, model=model)


def fit_community_heads(
    tier: FastTier,
    checked: Mapping[str, tuple[Sequence[str], Sequence[str]]],
    background: Sequence[str] = (),
    *,
    correction_weight: float = 10.0,
    max_background: int = 2000,
    C: float = 1.0,
    folds: int = 5,
    min_corrections: int = MIN_CORRECTIONS,
    random_state: int = 0,
) -> CommunityHeads:
    """Fit a head per task of ``checked`` (task -> texts, label names) that has enough.

    A task is left to the shipped tier when it has fewer than ``min_corrections`` checked
    messages, or when they all carry one label and there is no ``background`` to tell it
    from. Raises :class:`TooFewCorrections` when no task is left to fit.
    """
    rng = np.random.default_rng(random_state)
    background = list(background)
    if len(background) > max_background:
        keep = rng.choice(len(background), size=max_background, replace=False)
        background = [background[int(i)] for i in sorted(keep)]
    X_back = tier.features.transform(background) if background else None
    heads: dict[str, Head] = {}
    report: dict[str, Any] = {}
    for task, (texts, names) in checked.items():
        if task not in COMMUNITY_TASKS:
            raise ValueError(f"no community head for {task!r}")
        if len(texts) != len(names):
            raise ValueError(f"{task}: {len(texts)} texts but {len(names)} labels")
        if len(texts) < min_corrections:
            continue
        labels = LABELS[task]
        y_checked = np.array([labels.index(name) for name in names])
        Z_checked = _inputs(tier, tier.features.transform(list(texts)), task)
        if X_back is not None:
            Z_back = _inputs(tier, X_back, task)
            y_back = tier.classifiers[task].predict_proba_features(X_back).argmax(axis=1)
        else:
            Z_back, y_back = None, np.zeros(0, dtype=int)
        shipped = Z_checked[:, -len(labels) :].toarray().argmax(axis=1)
        if len(np.union1d(y_checked, y_back)) < 2:
            continue  # one class and no other messages: nothing to tell it from

        fit_args = (correction_weight, C, random_state)
        order = rng.permutation(len(texts))
        k = max(2, min(folds, len(texts)))
        right_head = right_shipped = 0
        for held in np.array_split(order, k):
            rows = np.setdiff1d(order, held)
            if len(np.union1d(y_checked[rows], y_back)) < 2:
                predicted = shipped[held]  # this fold could not fit: the shipped label stands
            else:
                head = _fit_head(Z_checked[rows], y_checked[rows], Z_back, y_back, *fit_args)
                predicted = head.proba(Z_checked[held], len(labels)).argmax(axis=1)
            right_head += int((predicted == y_checked[held]).sum())
            right_shipped += int((shipped[held] == y_checked[held]).sum())
        heads[task] = _fit_head(Z_checked, y_checked, Z_back, y_back, *fit_args)
        report[task] = {
            "n": len(texts),
            "folds": k,
            "held_out_accuracy": round(right_head / len(texts), 4),
            "shipped_accuracy": round(right_shipped / len(texts), 4),
            "background": len(background),
        }
    if not heads:
        counts = ", ".join(f"{task} {len(checked[task][0])}" for task in checked) or "none"
        raise TooFewCorrections(
            f"Too few checked labels to retrain ({counts}): at least {min_corrections} "
            "of sentiment or of emotion are needed, with two labels among them or other "
            "messages of the community beside them."
        )
    return CommunityHeads(base_version=tier.version, heads=heads, report=report)


class CommunityTier:
    """The shipped fast tier with the community's heads in place of its own for their tasks."""

    def __init__(self, base: FastTier, heads: CommunityHeads, *, version: str = "") -> None:
        if heads.base_version != base.version:
            raise ValueError(
                f"heads fitted on {heads.base_version}, not on the fast tier {base.version}"
            )
        self.base = base
        self.heads = heads
        self.version = version or f"{base.version}+community"

    def analyze(self, texts: Sequence[str]) -> list[Analysis]:
        if not texts:
            return []
        X = self.base.features.transform(texts)
        proba = {
            task: model.predict_proba_features(X) for task, model in self.base.classifiers.items()
        }
        for task, head in self.heads.heads.items():
            Z = sp.hstack([X, sp.csr_matrix(np.log(np.clip(proba[task], 1e-6, 1.0)))], format="csr")
            proba[task] = head.proba(Z, len(LABELS[task]))
        return analyses_from_proba(proba)
