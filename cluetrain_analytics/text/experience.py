"""Experience: the intents of a message and the event it reports, from rules and sentiment.

Intents are multi-label. Each intent has a few written rules (``_intent_rules``), each with a
weight; the rules that fire, plus the sentiment score and the event found, are combined with a
noisy-OR into a confidence in [0, 1], and an intent is present at 0.5 or more. Events are
"object state [after X]" phrases from lexicons (``_events``). The labelling guideline, the
method and the measured precision and recall are in docs/experience.md.

>>> [e.intents for e in read_experience(["where is my refund?? 3 weeks now", "Thanks, fixed!"])]
[('complain', 'ask'), ('praise',)]
>>> read_experience(["My doorbell battery drains in two weeks since the update"])[0].event
'battery drains after update'
"""

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from cluetrain_analytics.text._events import NEGATIVE_STATES, extract_event
from cluetrain_analytics.text._intent_rules import compile_rules

__all__ = ["INTENTS", "Experience", "clean", "read_experience"]

INTENTS: Final = ("complain", "praise", "ask", "recommend", "threaten_to_leave", "intend_to_buy")

#: An intent is present when its confidence reaches this.
THRESHOLD: Final = 0.5

_SCANS: Final = compile_rules()
_URL: Final = re.compile(r"https?://\S+|www\.\S+")
_MENTION: Final = re.compile(r"(?<!\w)[@.]?@\w+")
_SPACES: Final = re.compile(r"\s+")
_TOKEN: Final = re.compile(r"[a-z']+")
_NEGATORS: Final = frozenset(
    {"not", "no", "never", "don't", "doesn't", "didn't", "isn't", "can't", "won't", "wasn't"}
)


@dataclass(frozen=True)
class Experience:
    """What one message says happened and what its writer wants or will do."""

    #: Every intent present, in the order of :data:`INTENTS` (may be empty: none of them).
    intents: tuple[str, ...]
    #: The most confident of ``intents`` other than "ask" (a question that complains is a
    #: complaint first); "ask" for a plain question; None when ``intents`` is empty.
    intent: str | None
    #: Confidence per intent, in [0, 1], for all six intents.
    intent_scores: dict[str, float]
    #: "object state [after X]" ("delivery late", "wifi drops after update"), or None.
    event: str | None


def clean(text: str) -> str:
    """Lower-case text without URLs or @mentions, HTML entities decoded, quotes straightened.

    >>> clean("@AcmeHelp Where&#39;s my order?? https://t.co/x #NotHappy")
    "where's my order?? nothappy"
    """
    if "&" in text:
        text = html.unescape(text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    if "http" in text or "www." in text:
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _MENTION.sub(" ", text)
    return _SPACES.sub(" ", text.replace("#", " ")).strip()


@lru_cache(maxsize=1)
def _valences() -> dict[str, float]:
    # VADER's hand-rated word list; its rule engine is not needed for a coarse score.
    from vaderSentiment.vaderSentiment import (  # type: ignore[import-untyped]
        SentimentIntensityAnalyzer,
    )

    lexicon: dict[str, float] = SentimentIntensityAnalyzer().lexicon
    return lexicon


def _lexicon_sentiment(text: str) -> float:
    """A score in [-1, 1]: VADER word valences summed (flipped after a negator), normalized
    as VADER normalizes its compound score."""
    valences = _valences()
    total = 0.0
    previous: tuple[str, ...] = ()
    for token in _TOKEN.findall(text):
        valence = valences.get(token)
        if valence is not None:
            total += -0.74 * valence if _NEGATORS.intersection(previous) else valence
        previous = (*previous[-2:], token)
    return total / math.sqrt(total * total + 15.0)


def _scores(text: str, sentiment: float, event: str | None) -> dict[str, float]:
    # Noisy-OR: each piece of evidence w leaves (1 - w) of the doubt; the score is 1 - doubt.
    doubt = dict.fromkeys(INTENTS, 1.0)
    for scan in _SCANS:
        if (scan.needs is not None and scan.needs not in text) or (
            scan.non_ascii and text.isascii()
        ):
            continue
        for name in {match.lastgroup for match in scan.pattern.finditer(text)}:
            intent, weight = scan.rules[int(str(name)[1:])]
            doubt[intent] *= 1.0 - weight
    if event is not None and event.split(" after ")[0].split(" ", 1)[-1] in NEGATIVE_STATES:
        doubt["complain"] *= 1.0 - 0.65
    if sentiment < -0.25:
        doubt["complain"] *= 1.0 - min(0.7, -sentiment * 0.75)
    if sentiment > 0.25:
        doubt["praise"] *= 1.0 - min(0.6, sentiment * 0.6)
    if doubt["threaten_to_leave"] <= 1.0 - THRESHOLD:
        doubt["complain"] *= 0.5  # nobody threatens to leave a company they are happy with
    scores = {intent: 1.0 - value for intent, value in doubt.items()}
    if sentiment < -0.5:
        scores["praise"] *= 0.6  # praise words in a very negative message are mostly sarcasm
    return scores


def _main_intent(present: tuple[str, ...], scores: dict[str, float]) -> str | None:
    # A question that also complains (or praises...) is that first: "why is my refund late?"
    # is a complaint to staff; "ask" is the main intent only of a plain question.
    others = [intent for intent in present if intent != "ask"]
    if others:
        return max(others, key=scores.__getitem__)
    return present[0] if present else None


def read_experience(
    texts: Sequence[str], *, sentiment: Sequence[float] | None = None
) -> list[Experience]:
    """Intents, their confidences and the event phrase of each message.

    Parameters
    ----------
    texts : the raw messages (social-media text: mentions, URLs and emoji are fine).
    sentiment : optional score in [-1, 1] per message, e.g. the fast tier's
        ``Analysis.sentiment_score``; without it a VADER word-list score is used.

    Raises
    ------
    ValueError : when ``sentiment`` has another length than ``texts`` or a value outside
        [-1, 1], or when a text is not a string.

    Examples
    --------
    >>> first, second = read_experience(
    ...     ["The installer was a no-show, I'm switching to Brightly", "Would you recommend it?"]
    ... )
    >>> first.intents, first.event
    (('complain', 'threaten_to_leave'), 'installer no-show')
    >>> second.intent, second.event is None
    ('ask', True)
    """
    if isinstance(texts, str):
        raise ValueError("texts must be a sequence of messages, not one string")
    if sentiment is not None:
        if len(sentiment) != len(texts):
            raise ValueError(f"sentiment has {len(sentiment)} scores for {len(texts)} texts")
        if any(not -1.0 <= score <= 1.0 for score in sentiment):
            raise ValueError("sentiment scores must lie in [-1, 1]")
    experiences = []
    for index, text in enumerate(texts):
        if not isinstance(text, str):
            raise ValueError(f"text {index} is a {type(text).__name__}, not a string")
        cleaned = clean(text)
        score = _lexicon_sentiment(cleaned) if sentiment is None else float(sentiment[index])
        event = extract_event(cleaned)
        scores = _scores(cleaned, score, event)
        present = tuple(intent for intent in INTENTS if scores[intent] >= THRESHOLD)
        experiences.append(
            Experience(
                intents=present,
                intent=_main_intent(present, scores),
                intent_scores={intent: round(value, 4) for intent, value in scores.items()},
                event=event,
            )
        )
    return experiences
