"""The experience reader out of fold, one labelled set held out at a time (issue #17).

``python -m cluetrain_lab.evaluation.intent_cv --data ../../shared/data/twcs --root ..``

For each labelled set of ``intent_model.LABEL_SETS`` (the first sample with its keyword
sample, the unseen sample, the two fresh samples), the learned layer is trained on the other
sets (its presence thresholds chosen out of fold among those), and ``read_experience`` with
that layer reads the held-out set, as ``cluetrain eval intent`` reads a sample: the fast tier's
sentiment, the shipped rules. The rules themselves were written on the first sample and the
unseen sample's dev part, so those two sets' figures flatter the rules; the two fresh samples
were never read to write a rule before section 6 of docs/experience.md, and their figures are
the fairer ones.

Prints one JSON line: per held-out set, the intents' micro and macro F1, the event object
recall and precision, and where the labelled events went (right object, another object, no
event although the message was read as a complaint, no event otherwise); and the mean over
the sets.
"""

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from cluetrain_analytics.text.experience import INTENTS, Experience, read_experience, rule_evidence
from cluetrain_lab.evaluation.intent import event_object, event_scores, intent_scores
from cluetrain_lab.evaluation.intent_model import LABEL_SETS, fit_layer, labelled_messages


def where_events_went(gold: Sequence[str | None], read: Sequence[Experience]) -> dict[str, int]:
    """Each labelled event: its object found ("right"), another object ("wrong"), no event for
    a message read as a complaint ("none_complain"), or no event otherwise ("none").

    >>> right = Experience(intents=("complain",), intent="complain", intent_scores={},
    ...                    event="delivery late")
    >>> where_events_went(["delivery delayed", "app crashes", None], [right, right, right])
    {'right': 1, 'wrong': 1, 'none_complain': 0, 'none': 0}
    """
    counts = Counter(dict.fromkeys(("right", "wrong", "none_complain", "none"), 0))
    for label, experience in zip(gold, read, strict=True):
        if label is None:
            continue
        if experience.event is None:
            counts["none_complain" if "complain" in experience.intents else "none"] += 1
        elif event_object(experience.event) == event_object(label):
            counts["right"] += 1
        else:
            counts["wrong"] += 1
    return dict(counts)


def cross_validate(data: Path, root: Path) -> dict[str, Any]:
    labelled = labelled_messages(data, root)
    ids, labels, texts = labelled.ids, labelled.labels, labelled.texts
    groups = np.array(labelled.groups)
    cleaned, _, _, features = rule_evidence(texts, labelled.sentiment)
    rules = np.asarray(features)
    gold = np.array([[intent in labels[i][0] for intent in INTENTS] for i in ids])
    per_set: dict[str, Any] = {}
    for name in LABEL_SETS:
        train_rows = np.flatnonzero(groups != name)
        test_rows = np.flatnonzero(groups == name)
        with threadpool_limits(limits=1):
            model = fit_layer(
                [cleaned[i] for i in train_rows],
                rules[train_rows],
                gold[train_rows],
                groups[train_rows].tolist(),
            )
            read = read_experience(
                [texts[i] for i in test_rows],
                sentiment=[labelled.sentiment[i] for i in test_rows],
                model=model,
            )
        gold_intents = [labels[ids[i]][0] for i in test_rows]
        gold_events = [labels[ids[i]][1] for i in test_rows]
        scores = intent_scores(gold_intents, [e.intents for e in read])
        events = event_scores(gold_events, [e.event for e in read])
        per_set[name] = {
            "n": len(test_rows),
            "micro_f1": scores["micro"]["f1"],
            "macro_f1": scores["macro"]["f1"],
            "complain_recall": scores["per_intent"]["complain"]["recall"],
            "events_labelled": events["labelled"],
            "events_predicted": events["predicted"],
            "object_recall": events["object_recall"],
            "object_precision": events["object_precision"],
            "labelled_events": where_events_went(gold_events, read),
            "presence_thresholds": model.thresholds,
        }
    keys = ("micro_f1", "macro_f1", "object_recall", "object_precision")
    mean = {key: round(float(np.mean([s[key] for s in per_set.values()])), 2) for key in keys}
    return {"n": len(ids), "held_out": per_set, "mean_over_sets": mean}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", required=True, type=Path, help="the twcs folder")
    parser.add_argument("--root", default=Path(), type=Path, help="the repository root")
    options = parser.parse_args(argv)
    sys.stdout.write(json.dumps(cross_validate(options.data, options.root)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
