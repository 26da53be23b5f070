"""Abstain when unsure: below a confidence chosen on validation data, say "unsure".

A wrong label shown to staff costs more than no label: a dashboard that counts a sarcastic
thank-you as praise misleads. Each reader returns the probability of the label it gives;
``choose_threshold`` finds, on labelled validation messages, the lowest confidence at which
the labels given are right at least ``target`` of the time, and reports the coverage there.

``UNSURE_BELOW`` holds the thresholds chosen for the shipped fast tier on TweetEval's
validation split with a target of 0.80 (`cluetrain eval abstention`; docs/abstention.md), and
for the experience reader's main intent (target 0.9) and event (target 0.55) on the out-of-fold
confidences of the hand-labelled twcs messages (`python -m cluetrain_lab.evaluation.intent_model`).
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["UNSURE", "UNSURE_BELOW", "Abstention", "choose_threshold", "label_or_unsure"]

UNSURE = "unsure"
#: Chosen on TweetEval val for the fast tier, target accuracy 0.80; intent and event on the
#: labelled twcs dev messages, targets 0.9 and 0.55 (docs/abstention.md).
UNSURE_BELOW: dict[str, float] = {"sentiment": 0.65, "emotion": 0.5, "intent": 0.8, "event": 0.4}
_GRID = tuple(round(float(x), 2) for x in np.arange(0.30, 0.96, 0.05))


@dataclass(frozen=True)
class Abstention:
    threshold: float
    coverage: float  # share of messages labelled at or above the threshold
    accuracy: float  # accuracy on those
    accuracy_all: float  # accuracy without abstaining


def choose_threshold(
    confidence: Sequence[float], correct: Sequence[bool], target: float = 0.8
) -> Abstention:
    """The lowest threshold of the grid whose covered labels reach ``target`` accuracy (the
    highest-accuracy one when none does).

    >>> choose_threshold([0.9, 0.8, 0.6, 0.4], [True, True, False, False], target=0.9)
    Abstention(threshold=0.65, coverage=0.5, accuracy=1.0, accuracy_all=0.5)
    """
    conf = np.asarray(confidence, dtype=float)
    right = np.asarray(correct, dtype=bool)
    if len(conf) != len(right) or not len(conf):
        raise ValueError("confidence and correct must be non-empty and of one length")
    best: Abstention | None = None
    for threshold in _GRID:
        covered = conf >= threshold
        if not covered.any():
            break
        found = Abstention(
            threshold=threshold,
            coverage=round(float(covered.mean()), 4),
            accuracy=round(float(right[covered].mean()), 4),
            accuracy_all=round(float(right.mean()), 4),
        )
        if found.accuracy >= target:
            return found
        if best is None or found.accuracy > best.accuracy:
            best = found
    assert best is not None  # the lowest threshold of the grid always covers something
    return best


def label_or_unsure(label: str, confidence: float, task: str) -> str:
    """``label``, or "unsure" when its confidence is below the task's threshold.

    >>> label_or_unsure("positive", 0.9, "sentiment"), label_or_unsure("joy", 0.3, "emotion")
    ('positive', 'unsure')
    """
    return label if confidence >= UNSURE_BELOW.get(task, 0.0) else UNSURE
