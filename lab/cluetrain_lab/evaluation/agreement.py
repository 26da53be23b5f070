"""How two annotators of the same messages agree: intents and event phrases (issue #17).

``cd lab && python -m cluetrain_lab.evaluation.agreement A.csv B.csv`` (two label files of the
same ids, e.g. ``labels/twcs-fresh3.csv`` and ``labels/twcs-fresh3-second.csv``) prints one
JSON line. Annotator A (the first file) is read as the truth and B (the second) as
the prediction, with the scorer of ``cluetrain eval intent`` (``intent_scores``,
``event_scores``), so the figures stand beside the reader's: how far a careful second person
gets against A is a ceiling of sorts for a reader scored against A.

- ``intents``: micro and macro precision/recall/F1 of B against A, and per intent Cohen's kappa
  (chance-corrected agreement, ``None`` where neither annotator ever gives the intent), F1 and
  how often each annotator gives it;
- ``events``: presence agreement and its kappa, B's object recall and precision against A
  (B's precision is A's recall against B), exact phrase agreement, and the object agreement on
  the messages where both give an event;
- ``interval95``: percentile bootstrap over messages (seeded) for micro F1 and object recall.
"""

import argparse
import json
import random
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sklearn.metrics import cohen_kappa_score  # type: ignore[import-untyped]

from cluetrain_analytics.text.experience import INTENTS
from cluetrain_lab.evaluation.intent import (
    Labels,
    event_object,
    event_scores,
    intent_scores,
    read_labels,
)

BOOTSTRAP_SEED = "agreement"
BOOTSTRAP_ROUNDS = 1000


def kappa(first: Sequence[bool], second: Sequence[bool]) -> float | None:
    """Cohen's kappa of two yes/no codings; None where both say the same thing every time.

    >>> kappa([True, False, True, False], [True, False, False, False])
    0.5
    >>> kappa([False, False], [False, False]) is None
    True
    """
    if len(set(first) | set(second)) < 2:
        return None
    with warnings.catch_warnings():
        # One annotator constant and the other not gives kappa 0, with a warning; that is right.
        warnings.simplefilter("ignore", RuntimeWarning)
        value = float(cohen_kappa_score(list(first), list(second)))
    return round(value, 3)


def _interval(values: list[float]) -> list[float]:
    values = sorted(values)
    return [round(values[int(0.025 * len(values))], 2), round(values[int(0.975 * len(values))], 2)]


def _bootstrap(first: Labels, second: Labels, ids: list[str]) -> dict[str, list[float]]:
    draw = random.Random(BOOTSTRAP_SEED)
    micro_f1: list[float] = []
    object_recall: list[float] = []
    for _ in range(BOOTSTRAP_ROUNDS):
        sample = [draw.choice(ids) for _ in ids]
        scores = intent_scores([first[i][0] for i in sample], [tuple(second[i][0]) for i in sample])
        micro_f1.append(float(scores["micro"]["f1"]))
        events = event_scores([first[i][1] for i in sample], [second[i][1] for i in sample])
        if events["object_recall"] is not None:
            object_recall.append(float(events["object_recall"]))
    return {"micro_f1": _interval(micro_f1), "event_object_recall": _interval(object_recall)}


def agreement(first: Labels, second: Labels) -> dict[str, Any]:
    """Agreement of ``second`` (B) with ``first`` (A) on the same ids; A is read as the truth."""
    if first.keys() != second.keys():
        missing = sorted(first.keys() ^ second.keys(), key=str)
        raise ValueError(f"the two files label different messages, e.g. {missing[:5]}")
    ids = sorted(first, key=str)
    gold = [first[i][0] for i in ids]
    other = [second[i][0] for i in ids]
    scores = intent_scores(gold, [tuple(intents) for intents in other])
    per_intent = {
        intent: {
            "kappa": kappa([intent in g for g in gold], [intent in o for o in other]),
            "f1": scores["per_intent"][intent]["f1"],
            "a_gives": sum(1 for g in gold if intent in g),
            "b_gives": sum(1 for o in other if intent in o),
        }
        for intent in INTENTS
    }
    events_a = [first[i][1] for i in ids]
    events_b = [second[i][1] for i in ids]
    events = event_scores(events_a, events_b)
    both = [(a, b) for a, b in zip(events_a, events_b, strict=True) if a and b]
    same_object = sum(1 for a, b in both if event_object(a) == event_object(b))
    return {
        "messages": len(ids),
        "intents": {
            "micro": scores["micro"],
            "macro": scores["macro"],
            "exact_match": scores["exact_match"],
            "per_intent": per_intent,
        },
        "events": {
            "a_gives": events["labelled"],
            "b_gives": events["predicted"],
            "presence": events["presence"],
            "presence_kappa": kappa(
                [a is not None for a in events_a], [b is not None for b in events_b]
            ),
            "object_recall_b_against_a": events["object_recall"],
            "object_recall_a_against_b": events["object_precision"],
            "exact_phrase": events["exact"],
            "both_give": len(both),
            "same_object_when_both_give": round(100 * same_object / len(both), 2) if both else None,
        },
        "interval95": _bootstrap(first, second, ids),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("first", type=Path, help="annotator A's labels (read as the truth)")
    parser.add_argument("second", type=Path, help="annotator B's labels of the same ids")
    options = parser.parse_args(argv)
    try:
        result = agreement(read_labels(options.first), read_labels(options.second))
    except (FileNotFoundError, ValueError) as error:
        sys.stderr.write(f"agreement: {error}\n")
        return 2
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
