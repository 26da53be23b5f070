"""A learned event-object picker for the experience reader (issue #17): tried, not shipped.

``python -m cluetrain_lab.evaluation.intent_objects --data ../../shared/data/twcs --root ..``

Every word of a message that could be the thing that broke is a candidate (a word of the
object lexicon, by its canonical object, or any word of three letters or more that is not a
stop word), plus the rules' own object; each is described by a few features (the word, its
canonical object, its neighbours, a determiner or "my" before it, its position, its distance
to the nearest state word and that state, whether the rules chose it). A logistic regression
over those features, trained on the candidates of the labelled events (positive: the
labelled object), scores them; the best one is the event's object. An event is given when
the rules find a state or the message is read as a complaint (then "*object* problem"), as
the shipped reader does; "where is my X" events are left to the rules.

Prints one JSON line: object recall and precision of the shipped reader's events ("rules")
and of the picker's, out of fold (5 folds) on the training messages of ``intent_model``, on
the unseen sample's test part and on the fresh sample (docs/experience.md, section 5).
"""

import argparse
import json
import math
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction import DictVectorizer  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.model_selection import KFold  # type: ignore[import-untyped]
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from cluetrain_analytics.text._events import (
    _OBJECTS,
    _PHRASES,
    _STATE_NAMES,
    _STATES,
    _join_phrase,
    named_object,
)
from cluetrain_analytics.text._intent_model import IntentModel, load_intent_model
from cluetrain_analytics.text.experience import INTENTS, rule_evidence
from cluetrain_analytics.text.fast import load_fast_tier
from cluetrain_lab.evaluation.intent import Labels, read_labels, read_tweets, split_ids

#: Words that are never an event's object: scikit-learn's English stop words and the
#: corpus's chat words (greetings, thanks, auxiliaries written without apostrophes).
_CHAT_WORDS = (
    "im dont ive its thanks thank hi hello hey just pls please didnt doesnt cant wont isnt u ur "
    "yes ok lol got get know like need want help time day days today now way good great really "
    "still did does going make tried try say said trying working work use using"
)
STOP = frozenset(ENGLISH_STOP_WORDS) | frozenset(_CHAT_WORDS.split())
_DETERMINERS = frozenset(
    {"my", "the", "our", "your", "his", "her", "their", "this", "that", "a", "an", "these"}
)
_WORD = re.compile(r"[a-z_]+")
UNSEEN = Path("lab/cluetrain_lab/evaluation/labels/twcs-unseen.csv")
FRESH = Path("lab/cluetrain_lab/evaluation/labels/twcs-fresh.csv")
#: The training messages of section 5 (the learned layer's before the fresh samples).
FIRST = (Path("docs/experience/twcs-labels.csv"), Path("docs/experience/twcs-labels-rare.csv"))

Found = tuple[str | None, str | None]


def object_name(word: str) -> str:
    """An event's object as the evaluation compares it: plural s dropped.

    >>> object_name("emails"), object_name("bus")
    ('email', 'bus')
    """
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def event_object(event: str | None) -> str | None:
    return object_name(event.split()[0]) if event else None


def candidates(
    text: str, rule_event: str | None, rule_kind: str | None, stop: frozenset[str] = STOP
) -> dict[str, list[str]]:
    """Candidate object -> feature names, for one cleaned message.

    >>> found = candidates("my modem keeps dropping", "modem drops", "state", frozenset())
    >>> sorted(found), "rule" in found["modem"], "det" in found["modem"]
    (['dropping', 'keep', 'modem'], True, True)
    """
    text = _PHRASES.sub(_join_phrase, text)
    words = _WORD.findall(text)
    states = [
        (len(_WORD.findall(text, 0, start)), _STATE_NAMES[int(name[1:])])
        for name, start, _ in _STATES.finditer(text)
    ]
    rule_object = event_object(rule_event)
    found: dict[str, list[str]] = {}
    for index, word in enumerate(words):
        canonical = _OBJECTS.get(word)
        if canonical is None and (len(word) < 3 or word in stop):
            continue
        name = object_name(word if canonical is None or canonical == "@" else canonical)
        if name in found:
            found[name].append("count>1")
            continue
        previous = words[index - 1] if index else "<s>"
        features = [
            "w=" + word,
            "c=" + name,
            "prev=" + previous,
            "next=" + (words[index + 1] if index + 1 < len(words) else "</s>"),
            "suf=" + word[-3:],
            f"pos={min(4, 5 * index // max(1, len(words)))}",
        ]
        features += ["lex"] if canonical is not None else []
        features += ["det"] if previous in _DETERMINERS else []
        features += ["my"] if previous in ("my", "our") else []
        features += ["early"] if index < 3 else []
        if states:
            distance, state = min((abs(index - position), state) for position, state in states)
            features.append(f"dstate={min(distance, 6)}")
            features += ["near:" + state] if distance <= 3 else []
            features += [f"lex&dstate={min(distance, 6)}"] if canonical is not None else []
        else:
            features.append("nostate")
        if name == rule_object:
            features += ["rule", f"rule:{rule_kind}"]
        found[name] = features
    if rule_object is not None and rule_object not in found:
        found[rule_object] = ["virtual", "rule", f"rule:{rule_kind}", "c=" + rule_object]
    return found


class Picker:
    """The logistic regression over candidates; :meth:`pick` scores them in plain Python."""

    def __init__(self, C: float = 1.0) -> None:
        self.C = C
        self.weights: dict[str, float] = {}
        self.bias = 0.0

    def fit(self, found: Sequence[dict[str, list[str]]], gold: Sequence[str | None]) -> "Picker":
        rows, target = [], []
        for options, name in zip(found, gold, strict=True):
            if name is None:
                continue
            for candidate, features in options.items():
                rows.append(dict.fromkeys(features, 1.0))
                target.append(int(candidate == name))
        if len(set(target)) < 2:
            return self
        vectorizer = DictVectorizer()
        model = LogisticRegression(C=self.C, max_iter=3000).fit(
            vectorizer.fit_transform(rows), target
        )
        self.weights = dict(zip(vectorizer.feature_names_, model.coef_[0].tolist(), strict=True))
        self.bias = float(model.intercept_[0])
        return self

    def pick(self, options: dict[str, list[str]]) -> tuple[str, float] | None:
        """The best candidate and its probability.

        >>> picker = Picker()
        >>> picker.weights, picker.bias = {"rule": 2.0}, -1.0
        >>> picker.pick({"modem": ["rule"], "keep": []})
        ('modem', 0.731)
        """
        scored = [
            (self.bias + sum(self.weights.get(f, 0.0) for f in features), name)
            for name, features in options.items()
        ]
        if not scored:
            return None
        score, name = max(scored)
        return name, round(1.0 / (1.0 + math.exp(-score)), 3)


def settle(text: str, found: Found, complains: bool, picker: Picker | None) -> str | None:
    """The event the reader gives: the rules' (with the "*object* problem" fallback of a
    complaint) when ``picker`` is None, else the same events with the picker's object."""
    event, kind = found
    if kind == "where" or (event is None and not complains):
        return event
    if picker is None:
        if event is None:
            thing = named_object(text)
            return f"{thing} problem" if thing is not None else None
        return event
    picked = picker.pick(candidates(text, event, kind))
    if picked is None:
        return event
    if event is None:
        return f"{picked[0]} problem"
    first, _, rest = event.partition(" ")
    return event if object_name(first) == picked[0] else f"{picked[0]} {rest}"


def object_scores(gold: Sequence[str | None], predicted: Sequence[str | None]) -> dict[str, Any]:
    """Object recall and precision in percent, as ``cluetrain eval intent`` counts them.

    >>> object_scores(["delivery late", None, "wifi drops"], ["delivery delayed", "app x", None])
    {'labelled': 2, 'predicted': 2, 'object_recall': 50.0, 'object_precision': 50.0}
    """
    pairs = [(event_object(g), event_object(p)) for g, p in zip(gold, predicted, strict=True)]
    same = sum(1 for g, p in pairs if g is not None and g == p)
    n_gold = sum(1 for g, _ in pairs if g is not None)
    n_predicted = sum(1 for _, p in pairs if p is not None)
    return {
        "labelled": n_gold,
        "predicted": n_predicted,
        "object_recall": round(100.0 * same / max(1, n_gold), 2),
        "object_precision": round(100.0 * same / max(1, n_predicted), 2),
    }


def _evidence(texts: list[str]) -> tuple[list[str], list[Found], np.ndarray]:
    with threadpool_limits(limits=1):
        sentiment = [a.sentiment_score for a in load_fast_tier().analyze(texts)]
    cleaned, found, _, features = rule_evidence(texts, sentiment)
    return cleaned, found, np.asarray(features)


def _compare(
    cleaned: list[str],
    found: list[Found],
    complains: Sequence[bool],
    gold: list[str | None],
    picker_for: Sequence[Picker],
) -> dict[str, Any]:
    rules = [settle(t, f, c, None) for t, f, c in zip(cleaned, found, complains, strict=True)]
    picked = [
        settle(t, f, c, p) for t, f, c, p in zip(cleaned, found, complains, picker_for, strict=True)
    ]
    return {"rules": object_scores(gold, rules), "picker": object_scores(gold, picked)}


def training_labels(root: Path) -> Labels:
    """The first sample, the keyword sample and the unseen sample's dev part."""
    labels: Labels = {}
    for path in FIRST:
        labels.update(read_labels(root / path))
    unseen = read_labels(root / UNSEEN)
    labels.update({i: unseen[i] for i in split_ids(list(unseen), "unseen")["dev"]})
    return labels


def evaluate(data: Path, root: Path, *, C: float = 1.0) -> dict[str, Any]:
    labels = training_labels(root)
    ids = sorted(labels, key=int)
    unseen = read_labels(root / UNSEEN)
    holdout = sorted(split_ids(list(unseen), "unseen")["test"], key=int)
    fresh = read_labels(root / FRESH)
    wanted = set(ids) | set(holdout) | set(fresh)
    texts = {r["tweet_id"]: r["text"] for r in read_tweets(data) if r["tweet_id"] in wanted}
    shipped = load_intent_model()
    if shipped is None:
        raise FileNotFoundError("the shipped intent model is missing")
    cut = shipped.thresholds.get("complain", 0.5)

    # Out of fold on the training messages: the intent layer and the picker per fold.
    cleaned, found, rules = _evidence([texts[i] for i in ids])
    gold = [labels[i][1] for i in ids]
    objects = [event_object(event) for event in gold]
    options = [candidates(t, *f) for t, f in zip(cleaned, found, strict=True)]
    target = np.array([[intent in labels[i][0] for intent in INTENTS] for i in ids])
    complains = [False] * len(ids)
    picker_for: list[Picker] = [Picker(C)] * len(ids)
    for train_rows, test_rows in KFold(5, shuffle=True, random_state=0).split(ids):
        model = IntentModel(intents=INTENTS).fit(
            [cleaned[i] for i in train_rows], rules[train_rows], target[train_rows]
        )
        picker = Picker(C).fit([options[i] for i in train_rows], [objects[i] for i in train_rows])
        proba = model.predict_proba([cleaned[i] for i in test_rows], rules[test_rows])
        for k, row in enumerate(test_rows):
            complains[row] = bool(proba["complain"][k] >= cut)
            picker_for[row] = picker
    result: dict[str, Any] = {
        "C": C,
        "training_oof": _compare(cleaned, found, complains, gold, picker_for),
    }

    # The unseen test part and the fresh sample: the shipped intents (since section 7 trained
    # on these messages too, so these two figures are no longer out of sample), a picker on
    # everything.
    picker = Picker(C).fit(options, objects)
    for name, part_ids, part_labels in (
        ("unseen_test", holdout, unseen),
        ("fresh", sorted(fresh, key=int), fresh),
    ):
        part_cleaned, part_found, part_rules = _evidence([texts[i] for i in part_ids])
        complain = shipped.predict_proba(part_cleaned, part_rules)["complain"]
        result[name] = _compare(
            part_cleaned,
            part_found,
            [bool(p >= cut) for p in complain],
            [part_labels[i][1] for i in part_ids],
            [picker] * len(part_ids),
        )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", required=True, type=Path, help="the twcs folder")
    parser.add_argument("--root", default=Path(), type=Path, help="the repository root")
    parser.add_argument("--C", type=float, default=1.0, help="the picker's regularization")
    options = parser.parse_args(argv)
    sys.stdout.write(json.dumps(evaluate(options.data, options.root, C=options.C)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
