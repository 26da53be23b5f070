"""`cluetrain eval audit [--data PATH]`: each reader's accuracy on the hand-written audit set.

The set (``messages.jsonl`` beside this module, README.md) is read by the shipped readers as
they are: the fast tier (and the accurate tier when its extra is installed) for sentiment and
emotion, the experience rules for intents and events, the stance reader for replies with what
they answer, the context reader for the product over the demo company's catalog
(``catalog.json``). One JSON line:

- ``n``: messages;
- ``sentiment_fast``, ``sentiment_accurate``, ``emotion_fast``, ``emotion_accurate``:
  ``n``, ``accuracy``, ``macro_f1``, and at the threshold below which listening says "unsure"
  (cluetrain_analytics.text.abstain): ``threshold``, ``coverage`` (share labelled) and
  ``accuracy_labelled`` (accuracy on those); emotion is scored on the messages labelled with
  one of its four emotions (a plain question has none); the accurate entries are absent
  when the accurate tier cannot be loaded;
- ``intent``: ``accuracy`` (the set of intents exactly right), ``micro_f1``, ``macro_f1`` over
  the six intents, and ``main_accuracy`` (the main intent, or none, is one of the labelled);
- ``event``: ``accuracy`` (an event given exactly where one is labelled), ``object_recall``,
  ``object_precision``, ``exact`` (as `cluetrain eval intent`);
- ``stance``: ``n`` replies, ``accuracy``, ``macro_f1``;
- ``product``: ``accuracy`` (the labelled product among those read, or none read when none is
  labelled, e.g. a message about another brand), ``recall`` and ``precision`` of products,
  with the short names ("the doorbell") the context reader learns from the messages
  themselves, unlabelled, as listening learns them from a community's corpus;
  its ``catalog_only``: the same with the catalog's full names alone.

Fractions in [0, 1], rounded to 4 places.
"""

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import f1_score  # type: ignore[import-untyped]

from cluetrain_analytics.text.abstain import UNSURE_BELOW
from cluetrain_analytics.text.context import CatalogEntry, ContextReader
from cluetrain_analytics.text.experience import INTENTS, read_experience
from cluetrain_analytics.text.stance import STANCES, Reply, load_stance_reader
from cluetrain_analytics.text.tweeteval import LABELS
from cluetrain_lab.datasets import shown_path
from cluetrain_lab.evaluation.intent import event_object, event_scores
from cluetrain_lab.files import jsonl_rows

__all__ = ["AUDIT_PATH", "AuditMessage", "read_audit", "run", "score"]

AUDIT_PATH = Path(__file__).resolve().parent / "messages.jsonl"
CATALOG_PATH = Path(__file__).resolve().parent / "catalog.json"


@dataclass(frozen=True)
class AuditMessage:
    id: str
    text: str
    sentiment: str
    emotion: str  # "" when none of the four fits (a plain question)
    intents: tuple[str, ...]
    event: str  # "" when nothing concrete happened
    product: str  # a catalog key, "" when none of ours
    brand: str  # another company the message is about, "" when none
    parent: str | None  # what a reply answers
    stance: str  # toward the parent, "" when not a reply


def read_audit(path: Path = AUDIT_PATH) -> list[AuditMessage]:
    """The audit messages of a JSONL file, one object a line."""
    found = []
    fields = [field.name for field in dataclasses.fields(AuditMessage)]
    for number, row in jsonl_rows(path):
        # Another team's audit file may carry more keys (notes, annotator): not read.
        missing = [name for name in fields if name not in row]
        if missing:
            raise ValueError(f"{path}:{number}: lacks {', '.join(missing)}")
        values = {name: row[name] for name in fields}
        message = AuditMessage(**{**values, "intents": tuple(values["intents"] or ())})
        if message.sentiment not in LABELS["sentiment"]:
            raise ValueError(f"{path}:{number}: sentiment {message.sentiment!r}")
        if message.emotion and message.emotion not in LABELS["emotion"]:
            raise ValueError(f"{path}:{number}: emotion {message.emotion!r}")
        if set(message.intents) - set(INTENTS):
            raise ValueError(f"{path}:{number}: intents {message.intents!r}")
        if message.stance and (message.stance not in STANCES or message.parent is None):
            raise ValueError(f"{path}:{number}: stance {message.stance!r} needs a parent")
        found.append(message)
    return found


def _round(value: Any) -> float:
    return round(float(value), 4)


def _labels_scores(
    task: str, gold: Sequence[str], given: Sequence[str], confidence: Sequence[float]
) -> dict[str, Any]:
    right = np.array([g == p for g, p in zip(gold, given, strict=True)])
    covered = np.array(confidence) >= UNSURE_BELOW[task]
    return {
        "n": len(gold),
        "accuracy": _round(right.mean()),
        "macro_f1": _round(
            f1_score(gold, given, labels=list(LABELS[task]), average="macro", zero_division=0)
        ),
        "threshold": UNSURE_BELOW[task],
        "coverage": _round(covered.mean()),
        "accuracy_labelled": _round(right[covered].mean()) if covered.any() else 0.0,
    }


def _tier_scores(tier: Any, messages: Sequence[AuditMessage]) -> dict[str, dict[str, Any]]:
    read = tier.analyze([m.text for m in messages])
    result = {
        "sentiment": _labels_scores(
            "sentiment",
            [m.sentiment for m in messages],
            [a.sentiment for a in read],
            [a.sentiment_confidence for a in read],
        )
    }
    with_emotion = [i for i, m in enumerate(messages) if m.emotion]
    result["emotion"] = _labels_scores(
        "emotion",
        [messages[i].emotion for i in with_emotion],
        [read[i].emotion for i in with_emotion],
        [read[i].emotion_confidence for i in with_emotion],
    )
    return result


def _covered(confidence: Sequence[float], right: Sequence[bool], threshold: float) -> Any:
    shown = np.asarray(confidence, dtype=float) >= threshold
    correct = np.asarray(right, dtype=bool)
    return {
        "threshold": threshold,
        "coverage": _round(shown.mean()) if len(shown) else 0.0,
        "accuracy_labelled": _round(correct[shown].mean()) if shown.any() else 0.0,
    }


def _intent_scores(messages: Sequence[AuditMessage], sentiment: Sequence[float]) -> Any:
    read = read_experience([m.text for m in messages], sentiment=list(sentiment))
    gold = np.array([[name in m.intents for name in INTENTS] for m in messages])
    given = np.array([[name in e.intents for name in INTENTS] for e in read])
    main_right = [
        (e.intent in m.intents) if e.intent else not m.intents
        for m, e in zip(messages, read, strict=True)
    ]
    intent = {
        "n": len(messages),
        "accuracy": _round((gold == given).all(axis=1).mean()),
        "micro_f1": _round(f1_score(gold, given, average="micro", zero_division=0)),
        "macro_f1": _round(f1_score(gold, given, average="macro", zero_division=0)),
        "main_accuracy": _round(np.mean(main_right)),
        "recall": {
            name: _round(given[gold[:, j], j].mean()) if gold[:, j].any() else 0.0
            for j, name in enumerate(INTENTS)
        },
        # The main intent shown only at or above its threshold (else "unsure").
        "abstention": _covered([e.confidence for e in read], main_right, UNSURE_BELOW["intent"]),
    }
    events = event_scores([m.event or None for m in messages], [e.event for e in read])
    event = {
        "n": len(messages),
        "labelled": events["labelled"],
        "predicted": events["predicted"],
        "accuracy": _round(events["presence"] / 100),
        "object_recall": _round(events["object_recall"] / 100),
        "object_precision": _round(events["object_precision"] / 100),
        "exact": _round(events["exact"] / 100),
        # An event given and shown (at or above its threshold): is its object the labelled one?
        "abstention": _covered(
            [e.event_confidence for e in read if e.event],
            [
                bool(m.event) and event_object(m.event) == event_object(str(e.event))
                for m, e in zip(messages, read, strict=True)
                if e.event
            ],
            UNSURE_BELOW["event"],
        ),
    }
    return intent, event


def _stance_scores(messages: Sequence[AuditMessage]) -> dict[str, Any]:
    replies = [m for m in messages if m.stance]
    reader = load_stance_reader()
    proba = reader.probabilities([Reply(m.text, parent=m.parent, depth=1) for m in replies])
    given = [reader.classes_[int(row.argmax())] for row in proba]
    gold = [m.stance for m in replies]
    return {
        "n": len(replies),
        "accuracy": _round(np.mean([g == p for g, p in zip(gold, given, strict=True)])),
        "macro_f1": _round(
            f1_score(gold, given, labels=list(STANCES), average="macro", zero_division=0)
        ),
    }


def _product_scores(
    messages: Sequence[AuditMessage], catalog: Path, *, learn: bool
) -> dict[str, Any]:
    entries = [CatalogEntry(key=e["key"], name=e["name"]) for e in json.loads(catalog.read_text())]
    texts = [m.text for m in messages]
    read = ContextReader(entries).fit(texts if learn else []).read(texts)
    right = [
        (m.product in c.products) if m.product else not c.products
        for m, c in zip(messages, read, strict=True)
    ]
    labelled = [m for m in messages if m.product]
    found = sum(1 for m, c in zip(messages, read, strict=True) if m.product in c.products)
    given = sum(len(c.products) for c in read)
    return {
        "n": len(messages),
        "accuracy": _round(np.mean(right)),
        "recall": _round(found / len(labelled)) if labelled else 0.0,
        "precision": _round(found / given) if given else 0.0,
    }


def score(
    messages: Sequence[AuditMessage], *, accurate: bool = True, catalog: Path = CATALOG_PATH
) -> dict[str, Any]:
    """Every reader's scores on ``messages`` (the keys of the module docstring)."""
    from cluetrain_analytics.text.fast import load_fast_tier

    fast = load_fast_tier()
    result: dict[str, Any] = {"n": len(messages)}
    tiers: dict[str, Any] = {"fast": fast}
    if accurate:
        try:
            from cluetrain_analytics.text.accurate import load_accurate_tier

            tiers["accurate"] = load_accurate_tier()
        except (ImportError, OSError, RuntimeError) as error:
            result["accurate_unavailable"] = str(error)[:200]
    for name, tier in tiers.items():
        for task, found in _tier_scores(tier, messages).items():
            result[f"{task}_{name}"] = found
    sentiment = [a.sentiment_score for a in fast.analyze([m.text for m in messages])]
    result["intent"], result["event"] = _intent_scores(messages, sentiment)
    result["stance"] = _stance_scores(messages)
    result["product"] = _product_scores(messages, catalog, learn=True)
    result["product"]["catalog_only"] = _product_scores(messages, catalog, learn=False)
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cluetrain eval audit",
        description="Each reader's accuracy on the hand-written audit set; one JSON line.",
    )
    parser.add_argument(
        "--data", type=Path, default=AUDIT_PATH, metavar="PATH", help="audit JSONL (shipped)"
    )
    parser.add_argument(
        "--fast-only", action="store_true", help="leave the accurate tier out (quicker)"
    )
    return parser


def run(argv: list[str]) -> int:
    """Parse ``argv``, score, print the JSON line; return the exit code."""
    options = _parser().parse_args(argv)
    try:
        messages = read_audit(options.data)
        if not messages:
            raise ValueError(f"no messages in {shown_path(options.data)}")
        result = score(messages, accurate=not options.fast_only)
    except (FileNotFoundError, ValueError, KeyError, TypeError) as error:
        sys.stderr.write(f"cluetrain eval audit: {error}\n")
        return 2
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1:]))
