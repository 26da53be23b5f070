"""How often the spam scorer would hold genuine text: ``python -m cluetrain_lab.deception.holds``.

No labelled spam of the platform's kind is at hand, so what can be measured is measured:

- false holds on genuine short text: the TweetEval val tweets of all four tasks, and the
  customers' tweets of the Customer Support on Twitter file (repeats counted as the platform
  counts them: by :func:`~cluetrain_analytics.text.spam.content_hash`, in file order);
- on the deception corpus, as reviews: the share of invented reviews held (caught) and of
  lived ones held (false holds), with deception probabilities from models that never saw
  the review's hotel (leave-hotels-out, Platt scaling fitted on those same decisions).

Accounts are unknown in all of these (no age, no post count), so only the text speaks.
"""

import argparse
import csv
import gzip
import io
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from cluetrain_analytics.text.spam import HOLD_THRESHOLD, Contribution, SpamScorer, content_hash
from cluetrain_lab.datasets import shown_path
from cluetrain_lab.deception.evaluate import out_of_fold
from cluetrain_lab.deception.reviews import read_reviews
from cluetrain_lab.deception.train import calibrate

__all__ = ["hold_rate", "main", "with_repeats"]

NOTE = (
    "Accounts unknown; repeats counted by content_hash in file order. Tweet texts are not "
    "reproduced here (Twitter's terms)."
)


def with_repeats(texts: Iterable[str], kind: str = "post") -> list[Contribution]:
    """Contributions in order, each knowing how often its text was seen before it."""
    seen: Counter[str] = Counter()
    out = []
    for text in texts:
        key = content_hash(text)
        out.append(Contribution(text, kind=kind, times_seen_before=seen[key]))  # type: ignore[arg-type]
        seen[key] += 1
    return out


def hold_rate(contributions: Sequence[Contribution], scorer: SpamScorer) -> dict[str, Any]:
    """Share held, and how often each reason was given for the held ones."""
    verdicts = [scorer.score(c) for c in contributions]
    held = [v for v in verdicts if v.held]
    reasons: Counter[str] = Counter()
    for verdict in held:
        reasons.update({name for name, _ in verdict.named})
    scores = np.array([v.score for v in verdicts])
    return {
        "n": len(contributions),
        "held": len(held),
        "share_held": round(len(held) / max(len(contributions), 1), 5),
        "score_p99": round(float(np.quantile(scores, 0.99)), 4) if len(scores) else None,
        "reasons_of_held": dict(reasons.most_common()),
    }


def _tweeteval(folder: Path) -> list[str]:
    texts: dict[str, None] = {}
    files = sorted(folder.glob("*/val_text.txt*"))
    if not files:
        raise FileNotFoundError(f"no */val_text.txt[.gz] under {folder}")
    for path in files:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                texts.setdefault(line.rstrip("\n"), None)
    return list(texts)


def _twcs(path: Path, inbound: bool) -> list[str]:
    raw = gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")  # noqa: SIM115
    with io.TextIOWrapper(raw, encoding="utf-8", newline="") as handle:
        wanted = "True" if inbound else "False"
        return [row["text"] for row in csv.DictReader(handle) if row["inbound"] == wanted]


def _reviews(path: Path, scorer: SpamScorer) -> dict[str, Any]:
    reviews = read_reviews(path)
    truth = np.array([r.deceptive for r in reviews])
    decision, _ = out_of_fold(reviews)
    slope, intercept = calibrate(decision, truth.tolist())
    probability = 1 / (1 + np.exp(-(slope * decision + intercept)))
    contributions = [
        Contribution(r.text, kind="review", deception_probability=float(p))
        for r, p in zip(reviews, probability, strict=True)
    ]
    held = np.array([scorer.score(c).held for c in contributions])
    text_only = np.array([scorer.score(Contribution(r.text, kind="review")).held for r in reviews])
    return {
        "n": len(reviews),
        "invented_held": round(float(held[truth].mean()), 4),
        "lived_held": round(float(held[~truth].mean()), 4),
        "held_by_text_cues_alone": round(float(text_only.mean()), 4),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cluetrain_lab.deception.holds")
    parser.add_argument("--tweeteval", type=Path, metavar="DIR", help="TweetEval's folder")
    parser.add_argument("--twcs", type=Path, metavar="CSV", help="a twcs file (customer tweets)")
    parser.add_argument("--reviews", type=Path, metavar="CSV", help="the deception corpus")
    parser.add_argument("--out", type=Path, metavar="JSON")
    args = parser.parse_args(argv)
    scorer = SpamScorer()
    result: dict[str, Any] = {
        "threshold": HOLD_THRESHOLD,
        "note": NOTE,
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "data": {},
    }
    if args.tweeteval:
        result["data"]["tweeteval"] = shown_path(args.tweeteval)
        result["tweeteval_val"] = hold_rate(with_repeats(_tweeteval(args.tweeteval)), scorer)
    if args.twcs:
        result["data"]["twcs"] = shown_path(args.twcs)
        result["twcs_customers"] = hold_rate(with_repeats(_twcs(args.twcs, True)), scorer)
        result["twcs_companies"] = hold_rate(with_repeats(_twcs(args.twcs, False)), scorer)
    if args.reviews:
        result["data"]["reviews"] = shown_path(args.reviews)
        result["deception_reviews"] = _reviews(args.reviews, scorer)
    text = json.dumps(result, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
