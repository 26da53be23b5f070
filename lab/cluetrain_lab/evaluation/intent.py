"""`cluetrain eval intent`: intents and event phrases against the hand-labelled twcs sample.

Joins the labels file (``tweet_id,intents,event``, ours) with the tweet texts in the Customer
Support on Twitter folder by tweet id, runs ``read_experience`` with the fast tier's sentiment,
and prints one JSON line: per-intent precision/recall/F1/support, micro and macro averages,
event agreement, throughput on one thread (per wall second and per CPU second, with VADER timed
in the same run as the anchor), and the same scores for a simple baseline (complain iff the
fast tier says negative, praise iff positive, ask iff the text has a "?"). The labelling
guideline and the sample's draw are in docs/experience.md.
"""

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from cluetrain_analytics.text.abstain import UNSURE_BELOW
from cluetrain_analytics.text.experience import INTENTS, Experience, read_experience
from cluetrain_analytics.text.fast import load_fast_tier
from cluetrain_lab.files import csv_dicts, csv_rows

#: The split of the labelled ids into dev (rules were developed on it) and test (untouched).
SPLIT_SEED = "intent-split"
DEV_SIZE = 120
#: The draw of the sample: this many inbound messages per twcs subset, seeded by subset name.
SAMPLE_PER_SUBSET = 140
PARTS = ("all", "dev", "test")
#: The unseen sample (lab/cluetrain_lab/evaluation/labels/twcs-unseen.csv) is split with its own
#: seed and dev size: ``--split unseen``. The fresh sample (labels/twcs-fresh.csv, drawn by
#: ``intent_fresh``) is all test: ``--split fresh --part test``; so is the second fresh sample
#: (labels/twcs-fresh2.csv, ``intent_fresh --sample fresh2``): ``--split fresh2 --part test``,
#: and the third (labels/twcs-fresh3.csv, ``--sample fresh3``): ``--split fresh3 --part test``.
SPLITS = {
    "sample": (SPLIT_SEED, DEV_SIZE),
    "unseen": ("intent-unseen-split", 180),
    "fresh": ("intent-fresh-split", 0),
    "fresh2": ("intent-fresh2-split", 0),
    "fresh3": ("intent-fresh3-split", 0),
}

Labels = dict[str, tuple[frozenset[str], str | None]]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cluetrain eval intent",
        description="Score read_experience against hand labels of twcs messages; print one "
        "JSON line. With --draw-sample, print the seeded sample's ids instead.",
    )
    parser.add_argument("--data", required=True, metavar="DIR", help="the twcs folder")
    parser.add_argument("--labels", metavar="CSV", help="tweet_id,intents,event (ours)")
    parser.add_argument("--part", default="all", choices=PARTS)
    parser.add_argument(
        "--split",
        default="sample",
        choices=tuple(SPLITS),
        help="which dev/test split --part names: the first sample's (120 dev), the unseen "
        "sample's (180 dev, 120 test, its own seed) or a fresh sample's (all test)",
    )
    parser.add_argument(
        "--sentiment",
        default="fast",
        choices=("fast", "lexicon"),
        help="pass the fast tier's sentiment (the platform's path) or let the reader use "
        "VADER's word list",
    )
    parser.add_argument(
        "--time",
        type=float,
        default=1.0,
        metavar="S",
        help="seconds to repeat each throughput measurement (default 1)",
    )
    parser.add_argument(
        "--draw-sample", action="store_true", help="print the ids of the seeded sample and stop"
    )
    return parser


#: The columns of twcs that the evaluation reads.
TWEET_COLUMNS = frozenset({"tweet_id", "inbound", "text"})


def _header(path: Path) -> set[str]:
    return {name.strip() for name in next(csv_rows(path), [])}


def tweet_files(data: Path) -> list[Path]:
    """The twcs file(s): ``data`` itself when it is a file; in a folder, the CSV files with
    twcs's columns, those named ``twcs*`` if any (``twcs.csv`` as Kaggle ships it,
    ``twcs_subset.csv.gz`` in the shared data), so that a labels file kept beside the tweets
    (even one named twcs-fresh.csv) is passed over rather than read as tweets."""
    if data.is_file():
        return [data]
    if not data.is_dir():
        raise FileNotFoundError(f"{data}: no such file or folder")
    files = sorted(p for p in data.iterdir() if p.name.endswith((".csv", ".csv.gz")))
    if not files:
        raise FileNotFoundError(f"no *.csv or *.csv.gz file in {data}")
    found = [p for p in files if _header(p) >= TWEET_COLUMNS]
    if not found:
        raise FileNotFoundError(
            f"no twcs file in {data}: no CSV file with the columns "
            f"{', '.join(sorted(TWEET_COLUMNS))}"
        )
    named = [p for p in found if p.name.lower().startswith("twcs")]
    return named or found


def read_tweets(data: Path) -> Iterator[dict[str, str]]:
    """Every row of the twcs file(s) of ``data`` (see ``tweet_files``)."""
    for path in tweet_files(data):
        reader = csv_dicts(path)
        first = next(reader, None)
        missing = TWEET_COLUMNS - set(first or ())
        if missing:
            raise ValueError(f"{path.name} lacks the column(s) {', '.join(sorted(missing))}")
        yield from (row for row in (first, *reader) if row is not None)


def draw_sample(rows: Sequence[dict[str, str]], per_subset: int = SAMPLE_PER_SUBSET) -> list[str]:
    """The labelled sample's ids: ``per_subset`` inbound rows of each subset, seeded by name.

    >>> rows = [{"tweet_id": str(i), "inbound": "True", "subset": "a"} for i in range(9)]
    >>> draw_sample(rows, per_subset=3) == draw_sample(list(reversed(rows)), per_subset=3)
    True
    """
    inbound = [row for row in rows if row["inbound"] == "True"]
    ids: list[str] = []
    for subset in sorted({row.get("subset", "") for row in inbound}):
        pool = sorted((r for r in inbound if r.get("subset", "") == subset), key=_id_order)
        chosen = random.Random(f"intent-{subset}").sample(pool, min(per_subset, len(pool)))
        ids.extend(row["tweet_id"] for row in chosen)
    return sorted(ids, key=int)


def _id_order(row: dict[str, str]) -> int:
    return int(row["tweet_id"])


def split_ids(ids: Sequence[str], split: str = "sample") -> dict[str, set[str]]:
    """Dev and test ids: the ids in numeric order, shuffled with the split's seed.

    >>> parts = split_ids([str(i) for i in range(200)])
    >>> len(parts["dev"]), len(parts["test"]), parts["dev"] & parts["test"]
    (120, 80, set())
    >>> len(split_ids([str(i) for i in range(300)], "unseen")["test"])
    120
    >>> len(split_ids([str(i) for i in range(200)], "fresh")["test"])
    200
    """
    seed, dev_size = SPLITS[split]
    shuffled = sorted(ids, key=int)
    random.Random(seed).shuffle(shuffled)
    return {"dev": set(shuffled[:dev_size]), "test": set(shuffled[dev_size:])}


def read_labels(path: Path) -> Labels:
    """tweet_id -> (intents, event or None); refuses unknown intents and repeated ids."""
    labels: Labels = {}
    if not {"tweet_id", "intents", "event"} <= _header(path):
        raise ValueError(f"{path} must have the columns tweet_id, intents and event")
    for line, row in enumerate(csv_dicts(path), start=2):
        intents = frozenset(name.strip() for name in (row["intents"] or "").split("|") if name)
        unknown = intents - set(INTENTS)
        if unknown:
            raise ValueError(f"{path}:{line}: unknown intent(s) {', '.join(sorted(unknown))}")
        tweet_id = (row["tweet_id"] or "").strip()
        if tweet_id in labels:
            raise ValueError(f"{path}:{line}: tweet {tweet_id} is labelled twice")
        labels[tweet_id] = (intents, (row["event"] or "").strip() or None)
    if not labels:
        raise ValueError(f"{path} has no labels")
    return labels


def _percent(numerator: int, denominator: int) -> float | None:
    return round(100.0 * numerator / denominator, 2) if denominator else None


def intent_scores(
    gold: Sequence[frozenset[str]], predicted: Sequence[Sequence[str]]
) -> dict[str, Any]:
    """Precision, recall, F1 (percent) and support per intent; micro and macro averages.

    The macro average runs over the intents that occur in ``gold`` (an intent with no gold
    example has no recall to average).

    >>> result = intent_scores([frozenset({"ask"}), frozenset()], [("ask", "praise"), ()])
    >>> result["per_intent"]["ask"], result["per_intent"]["praise"]["precision"]
    ({'precision': 100.0, 'recall': 100.0, 'f1': 100.0, 'support': 1}, 0.0)
    """
    per_intent: dict[str, dict[str, float | int | None]] = {}
    totals = [0, 0, 0]  # true positives, predicted, gold
    for intent in INTENTS:
        true_positive = sum(
            1 for g, p in zip(gold, predicted, strict=True) if intent in g and intent in p
        )
        n_predicted = sum(1 for p in predicted if intent in p)
        n_gold = sum(1 for g in gold if intent in g)
        per_intent[intent] = _prf(true_positive, n_predicted, n_gold)
        totals = [totals[0] + true_positive, totals[1] + n_predicted, totals[2] + n_gold]
    present = [name for name in INTENTS if per_intent[name]["support"]]
    macro = {
        key: round(sum(float(per_intent[name][key] or 0.0) for name in present) / len(present), 2)
        if present
        else None
        for key in ("precision", "recall", "f1")
    }
    exact = sum(1 for g, p in zip(gold, predicted, strict=True) if g == frozenset(p))
    return {
        "per_intent": per_intent,
        "micro": {k: v for k, v in _prf(*totals).items() if k != "support"},
        "macro": macro,
        "macro_over": present,
        "exact_match": _percent(exact, len(gold)),
    }


def _prf(true_positive: int, n_predicted: int, n_gold: int) -> dict[str, float | int | None]:
    precision = true_positive / n_predicted if n_predicted else 0.0
    recall = true_positive / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(100 * precision, 2),
        "recall": round(100 * recall, 2),
        "f1": round(100 * f1, 2),
        "support": n_gold,
    }


def event_object(event: str) -> str:
    word = event.split()[0]
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def event_scores(gold: Sequence[str | None], predicted: Sequence[str | None]) -> dict[str, Any]:
    """How the event phrases agree with the labels (percentages).

    - ``presence``: share of messages where both or neither have an event;
    - ``object_recall``: of the labelled events, share predicted with the same object
      (first word, plural s dropped); ``object_precision``: of the predicted events, share
      whose message has a labelled event with the same object;
    - ``exact``: of the labelled events, share predicted word for word.

    >>> event_scores(["delivery late", None, "wifi drops"], ["delivery delayed", None, None])
    {'labelled': 2, 'predicted': 1, 'presence': 66.67, 'object_recall': 50.0, 'object_precision': 100.0, 'exact': 0.0}
    """  # noqa: E501
    pairs = list(zip(gold, predicted, strict=True))
    same_object = sum(1 for g, p in pairs if g and p and event_object(g) == event_object(p))
    n_gold = sum(1 for g in gold if g)
    n_predicted = sum(1 for p in predicted if p)
    return {
        "labelled": n_gold,
        "predicted": n_predicted,
        "presence": _percent(sum(1 for g, p in pairs if (g is None) == (p is None)), len(pairs)),
        "object_recall": _percent(same_object, n_gold),
        "object_precision": _percent(same_object, n_predicted),
        "exact": _percent(sum(1 for g, p in pairs if g and g == p), n_gold),
    }


def abstention_scores(
    gold_intents: Sequence[frozenset[str]],
    gold_events: Sequence[str | None],
    experiences: Sequence[Experience],
) -> dict[str, Any]:
    """Coverage and accuracy at the shipped thresholds (``abstain.UNSURE_BELOW``).

    Intent: the main intent is right when the labels hold it (or hold none when it is None).
    Event: of the events given, those at or above the threshold are shown; right when the
    object is the labelled one. ``object_recall_shown`` counts only the shown events.
    """
    intent_right = [
        (e.intent in g) if e.intent else not g
        for g, e in zip(gold_intents, experiences, strict=True)
    ]
    shown = [e.confidence >= UNSURE_BELOW["intent"] for e in experiences]
    n_shown = sum(shown)
    given = [(g, e) for g, e in zip(gold_events, experiences, strict=True) if e.event]
    events_shown = [(g, e) for g, e in given if e.event_confidence >= UNSURE_BELOW["event"]]
    right_shown = sum(
        1 for g, e in events_shown if g and event_object(g) == event_object(str(e.event))
    )
    n_gold = sum(1 for g in gold_events if g)
    return {
        "intent_threshold": UNSURE_BELOW["intent"],
        "intent_coverage": _percent(n_shown, len(experiences)),
        "intent_accuracy_shown": _percent(
            sum(1 for s, r in zip(shown, intent_right, strict=True) if s and r), n_shown
        ),
        "intent_accuracy_all": _percent(sum(intent_right), len(experiences)),
        "event_threshold": UNSURE_BELOW["event"],
        "events_given": len(given),
        "events_shown": len(events_shown),
        "event_object_precision_shown": _percent(right_shown, len(events_shown)),
        "event_object_recall_shown": _percent(right_shown, n_gold),
    }


def _throughput(work: Callable[[], object], n: int, seconds: float) -> dict[str, int]:
    """Messages per second of ``work`` over ``n`` messages, repeated for at least ``seconds``:
    per wall-clock second and per CPU second of this process (steadier on a busy machine)."""
    rounds, started, started_cpu = 0, time.perf_counter(), time.process_time()
    while True:
        work()
        rounds += 1
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            cpu = time.process_time() - started_cpu
            return {"wall": round(n * rounds / elapsed), "cpu": round(n * rounds / cpu)}


def _vader(texts: Sequence[str]) -> Callable[[], object]:
    from vaderSentiment.vaderSentiment import (  # type: ignore[import-untyped]
        SentimentIntensityAnalyzer,
    )

    analyzer = SentimentIntensityAnalyzer()
    return lambda: [analyzer.polarity_scores(text) for text in texts]


def evaluate(
    data: Path,
    labels_path: Path,
    *,
    part: str = "all",
    split: str = "sample",
    sentiment: str = "fast",
    seconds: float = 1.0,
) -> dict[str, Any]:
    """The JSON result of `cluetrain eval intent` (see the module docstring)."""
    if not data.is_dir():
        raise FileNotFoundError(f"{data} is not a folder")
    labels = read_labels(labels_path)
    ids = (
        sorted(labels, key=int)
        if part == "all"
        else sorted(split_ids(list(labels), split)[part], key=int)
    )
    if not ids:
        raise ValueError(f"no labelled message falls in the {part} part")
    texts_by_id = {
        row["tweet_id"]: row["text"] for row in read_tweets(data) if row["tweet_id"] in labels
    }
    missing = [tweet_id for tweet_id in ids if tweet_id not in texts_by_id]
    if missing:
        raise ValueError(f"{len(missing)} labelled tweet(s) are not in {data}, e.g. {missing[0]}")
    texts = [texts_by_id[tweet_id] for tweet_id in ids]
    gold_intents = [labels[tweet_id][0] for tweet_id in ids]
    gold_events = [labels[tweet_id][1] for tweet_id in ids]
    tier = load_fast_tier()
    with threadpool_limits(limits=1):
        analyses = tier.analyze(texts)
        scores = [analysis.sentiment_score for analysis in analyses]
        given = scores if sentiment == "fast" else None
        experiences = read_experience(texts, sentiment=given)
        speed = _throughput(lambda: read_experience(texts, sentiment=given), len(texts), seconds)
        speed_with_tier = _throughput(
            lambda: read_experience(
                texts, sentiment=[a.sentiment_score for a in tier.analyze(texts)]
            ),
            len(texts),
            seconds,
        )
        speed_vader = _throughput(_vader(texts), len(texts), seconds)
    baseline = [
        tuple(
            name
            for name, fires in (
                ("complain", analysis.sentiment == "negative"),
                ("praise", analysis.sentiment == "positive"),
                ("ask", "?" in text),
            )
            if fires
        )
        for analysis, text in zip(analyses, texts, strict=True)
    ]
    return {
        "part": part,
        "split": split,
        "untouched": part == "test",
        "sentiment": sentiment,
        "n": len(ids),
        **intent_scores(gold_intents, [e.intents for e in experiences]),
        "event": event_scores(gold_events, [e.event for e in experiences]),
        "abstention": abstention_scores(gold_intents, gold_events, experiences),
        # One thread; "per_cpu_s" counts this process's CPU time, VADER is the anchor.
        "messages_per_s": speed["wall"],
        "messages_per_cpu_s": speed["cpu"],
        "messages_per_s_with_fast_tier": speed_with_tier["wall"],
        "messages_per_cpu_s_with_fast_tier": speed_with_tier["cpu"],
        "vader_messages_per_s": speed_vader["wall"],
        "vader_messages_per_cpu_s": speed_vader["cpu"],
        "baseline": {
            "rule": "complain iff fast tier negative, praise iff positive, ask iff '?'",
            **intent_scores(gold_intents, baseline),
        },
    }


def run(argv: list[str]) -> int:
    """Parse ``argv``, evaluate (or draw the sample), print the JSON line; return the exit code."""
    options = _parser().parse_args(argv)
    try:
        if options.draw_sample:
            ids = draw_sample(list(read_tweets(Path(options.data))))
            sys.stdout.write(
                json.dumps(
                    {
                        "ids": ids,
                        "split": {k: sorted(v, key=int) for k, v in split_ids(ids).items()},
                    }
                )
                + "\n"
            )
            return 0
        if not options.labels:
            raise ValueError("--labels CSV is required (unless --draw-sample)")
        result = evaluate(
            Path(options.data),
            Path(options.labels),
            part=options.part,
            split=options.split,
            sentiment=options.sentiment,
            seconds=options.time,
        )
    except (FileNotFoundError, ValueError, KeyError) as error:
        sys.stderr.write(f"cluetrain eval intent: {error}\n")
        return 2
    sys.stdout.write(json.dumps(result) + "\n")
    return 0
