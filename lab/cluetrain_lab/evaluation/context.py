"""`cluetrain eval context`: does listening know whom an imported message is addressed to?

On the Customer Support on Twitter layout (``tweet_id,author_id,inbound,...,text,...,
conversation_id``; a ``.csv`` or ``.csv.gz`` file), each inbound tweet's company is the one
support account that wrote in its conversation (tweets whose conversation holds no company
tweet, or two, are left out: the truth never comes from the text itself). Every company with
at least ``--min-messages`` such tweets takes its turn as "ours": the brand accounts are all
the companies' handles less ours, as listening builds them from an import
(``OtherBrands.of(handles, own=LISTENING_OWN_ACCOUNTS)``), and the context reader says for each
tweet whether it is addressed elsewhere, and to whom.

One JSON line: ``n`` (tweets judged, summed over the turns), ``brands`` (turns), and, averaged
over the turns, ``elsewhere_recall`` (share of tweets to other companies marked elsewhere),
``ours_kept`` (share of tweets to ours not marked elsewhere), ``brand_accuracy`` (of the tweets
marked elsewhere, share naming the right company), with ``baselines`` holding the same keys
for ``mentions_only`` (an @-mention of another account, no brand words).
"""

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from cluetrain_analytics.text.context import (
    ContextReader,
    OtherBrands,
    addressed_elsewhere,
)
from cluetrain_lab.files import csv_dicts

KEYS = ("elsewhere_recall", "ours_kept", "brand_accuracy")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cluetrain eval context",
        description="Measure whether listening tells messages addressed to other companies "
        "from messages addressed to ours, on a Customer Support on Twitter file; print one "
        "JSON line.",
    )
    parser.add_argument(
        "--data", required=True, type=Path, metavar="FILE", help="twcs .csv or .csv.gz"
    )
    parser.add_argument(
        "--min-messages",
        type=int,
        default=50,
        help="companies with at least this many judged inbound tweets take a turn as ours (50)",
    )
    return parser


#: The columns the evaluation reads (``conversation_id`` is made when the file lacks it).
NEEDED = ("author_id", "inbound", "text")


def read_tweets(path: Path) -> list[dict[str, str]]:
    """The file's rows (gzip told by its first bytes, not its name). Kaggle's own twcs.csv
    has no ``conversation_id`` (the shared subset added it): it is then made from the reply
    links (on the shared subset with that column dropped: the same result)."""
    rows = list(csv_dicts(path))
    columns = set(rows[0]) if rows else set()
    missing = [name for name in NEEDED if name not in columns]
    if missing:
        raise ValueError(f"{path} lacks the column(s) {', '.join(missing)}")
    if "conversation_id" not in columns:
        if not {"tweet_id", "in_response_to_tweet_id"} <= columns:
            raise ValueError(
                f"{path} has neither conversation_id nor tweet_id and in_response_to_tweet_id "
                "to follow the replies"
            )
        for row, conversation in zip(rows, _conversations(rows), strict=True):
            row["conversation_id"] = conversation
    return rows


def _conversations(rows: Sequence[dict[str, str]]) -> list[str]:
    """Each row's conversation: the tweets joined by ``in_response_to_tweet_id`` and
    ``response_tweet_id`` links (union-find), named by their smallest tweet id."""
    leader: dict[str, str] = {}

    def find(tweet: str) -> str:
        leader.setdefault(tweet, tweet)
        while leader[tweet] != tweet:
            leader[tweet] = leader[leader[tweet]]
            tweet = leader[tweet]
        return tweet

    def join(a: str, b: str) -> None:
        a, b = find(a), find(b)
        if a != b:
            small, large = sorted((a, b), key=lambda t: (len(t), t))
            leader[large] = small

    def ids(raw: str | None) -> list[str]:
        return [t.strip().removesuffix(".0") for t in (raw or "").split(",") if t.strip()]

    for row in rows:
        for other in ids(row.get("in_response_to_tweet_id")) + ids(row.get("response_tweet_id")):
            join(row["tweet_id"], other)
    return [find(row["tweet_id"]) for row in rows]


def addressed(rows: Sequence[dict[str, str]]) -> tuple[list[tuple[str, str]], set[str]]:
    """(text, company) per inbound tweet whose conversation has exactly one company, and the
    set of all company handles."""
    companies: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row["inbound"].strip().lower() == "false":
            companies[row["conversation_id"]].add(row["author_id"])
    handles = {h for found in companies.values() for h in found}
    judged = []
    for row in rows:
        found = companies.get(row["conversation_id"], set())
        if row["inbound"].strip().lower() == "true" and len(found) == 1:
            judged.append((row["text"], next(iter(found))))
    return judged, handles


def _score(
    judged: Sequence[tuple[str, str]], ours: str, says: Callable[[str], str]
) -> dict[str, float]:
    to_others = to_ours = marked = right = kept = 0
    for text, company in judged:
        elsewhere = says(text)
        if company == ours:
            to_ours += 1
            kept += not elsewhere
        else:
            to_others += 1
            if elsewhere:
                marked += 1
                right += elsewhere == company.lower()
    return {
        "elsewhere_recall": marked / to_others if to_others else 0.0,
        "ours_kept": kept / to_ours if to_ours else 0.0,
        "brand_accuracy": right / marked if marked else 0.0,
    }


def evaluate(rows: Sequence[dict[str, str]], *, min_messages: int = 50) -> dict[str, Any]:
    judged, handles = addressed(rows)
    counts = Counter(company for _, company in judged)
    turns = sorted(c for c, n in counts.items() if n >= min_messages)
    if not turns:
        raise ValueError(f"no company has {min_messages} judged inbound tweets")
    reader = ContextReader([]).fit([])
    ours_rows, baseline_rows = [], []
    for ours in turns:
        others = OtherBrands.of(handles, own=[ours])
        texts = [text for text, _ in judged]
        read = dict(zip(texts, (c.elsewhere for c in reader.read(texts, others)), strict=False))
        ours_rows.append(_score(judged, ours, read.__getitem__))
        baseline_rows.append(
            _score(judged, ours, partial(addressed_elsewhere, others=others, brand_re=None))
        )

    def mean(scores: list[dict[str, float]]) -> dict[str, float]:
        return {key: round(sum(s[key] for s in scores) / len(scores), 4) for key in KEYS}

    return {
        "n": len(judged) * len(turns),
        "brands": len(turns),
        **mean(ours_rows),
        "baselines": {"mentions_only": mean(baseline_rows)},
        "per_brand": {
            ours: {key: round(s[key], 4) for key in KEYS}
            for ours, s in zip(turns, ours_rows, strict=True)
        },
    }


def run(argv: list[str]) -> int:
    """Parse ``argv``, evaluate, print the JSON line; return the exit code."""
    options = _parser().parse_args(argv)
    try:
        result = evaluate(read_tweets(options.data), min_messages=options.min_messages)
    except (OSError, ValueError, KeyError) as error:
        sys.stderr.write(f"cluetrain eval context: {error}\n")
        return 2
    per_brand = result.pop("per_brand")
    for brand, scores in per_brand.items():
        sys.stderr.write(f"{brand}: {json.dumps(scores)}\n")
    sys.stdout.write(json.dumps(result) + "\n")
    return 0
