"""Experience: the intents of a message and the event it reports, from rules and sentiment.

Intents are multi-label. Each intent has a few written rules (``_intent_rules``), each with a
weight; the rules that fire, plus the sentiment score and the event found, are combined with a
noisy-OR into a rule score in [0, 1]. A logistic regression per intent (``_intent_model``,
trained on hand-labelled messages) reads the words and those rule scores and gives the
probability of each intent; an intent is present at 0.5 or more. Events are "object state
[after X]" phrases from lexicons (``_events``), each with a confidence by how it was found.
Both confidences feed abstention (``abstain``): below a threshold chosen on labelled dev data
the platform shows "unsure". The labelling guideline, the method and the measured precision
and recall are in docs/experience.md.

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

import numpy as np

from cluetrain_analytics.text._events import (
    NEGATIVE_STATES,
    context_object,
    fallback_event,
    find_event,
    problem_cue,
)
from cluetrain_analytics.text._intent_model import IntentModel, load_intent_model, rule_features
from cluetrain_analytics.text._intent_rules import compile_rules

__all__ = [
    "EVENT_CONFIDENCE",
    "FALLBACK_FROM",
    "INTENTS",
    "Experience",
    "clean",
    "read_experience",
    "rule_evidence",
]

INTENTS: Final = ("complain", "praise", "ask", "recommend", "threaten_to_leave", "intend_to_buy")

#: An intent is present when its confidence reaches this.
THRESHOLD: Final = 0.5
#: The confidence of an event phrase by how it was found (``_events.EVENT_KINDS``): the share
#: of such events whose object matched the label, out of fold by labelled set over the 1,180
#: labelled messages (`python -m cluetrain_lab.evaluation.intent_model`, docs/experience.md 7).
EVENT_CONFIDENCE: Final[dict[str, float]] = {
    "where": 1.0,  # 2 of 2
    "state": 0.52,  # 186 events
    "implied": 0.46,  # 52: by the state or by the company addressed
    "persists": 0.52,  # 44
    "fallback": 0.30,  # 359
    "context": 0.08,  # 63
}
#: A message this likely to complain, with a word of a concrete problem (``_events.problem_cue``),
#: gets an event even when no state was found and complain stays under its threshold (the
#: fallback: "*object* problem", or the company's object). Out of fold by labelled set, object
#: recall +0.8 points on average (3 sets of 4 up, one equal) for 0.8 of object precision
#: (docs/experience.md section 7). Such events are shown as unsure (their confidence is under
#: the event threshold of docs/abstention.md).
FALLBACK_FROM: Final = 0.2

_SCANS: Final = compile_rules()
_URL: Final = re.compile(r"https?://\S+|www\.\S+")
_MENTION: Final = re.compile(r"(?<!\w)[@.]?@\w+")
_SPACES: Final = re.compile(r"\s+")
_TOKEN: Final = re.compile(r"[a-z']+")
#: Anger said outright: the thanks beside it is not praise ("Thanks, so it is the update.
#: Really angry"), whatever the words of thanks weigh.
_ANGER: Final = re.compile(r"\b(?:angry|livid|fuming|pissed|furious|fed up|sick of)\b")
_NEGATORS: Final = frozenset(
    {"not", "no", "never", "don't", "doesn't", "didn't", "isn't", "can't", "won't", "wasn't"}
)


@dataclass(frozen=True)
class Experience:
    """What one message says happened and what its writer wants or will do."""

    #: Every intent present, in the order of :data:`INTENTS` (may be empty: none of them).
    intents: tuple[str, ...]
    #: A threat to leave, a wish to buy or a recommendation when present (the most confident),
    #: else the most confident of ``intents`` other than "ask" (a question that complains is a
    #: complaint first); "ask" for a plain question; None when ``intents`` is empty.
    intent: str | None
    #: Confidence per intent, in [0, 1], for all six intents.
    intent_scores: dict[str, float]
    #: "object state [after X]" ("delivery late", "wifi drops after update"), or None.
    event: str | None
    #: How likely ``intent`` is right: its probability, or for a message with no intent, one
    #: minus the highest intent probability.
    confidence: float = 1.0
    #: How likely ``event`` names the right object (by how it was found); 0 without an event.
    event_confidence: float = 0.0


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


#: Intents that outrank the others as the main intent: rarer, and what staff act on first
#: ("Cancelling if this is not fixed today" is a threat to leave before it is a complaint).
_FIRST: Final = ("threaten_to_leave", "intend_to_buy", "recommend")


def _main_intent(present: tuple[str, ...], scores: dict[str, float]) -> str | None:
    # A question that also complains (or praises...) is that first: "why is my refund late?"
    # is a complaint to staff; "ask" is the main intent only of a plain question.
    first = [intent for intent in present if intent in _FIRST]
    if first:
        return max(first, key=scores.__getitem__)
    others = [intent for intent in present if intent != "ask"]
    if others:
        return max(others, key=scores.__getitem__)
    return present[0] if present else None


Evidence = tuple[
    list[str], list[tuple[str | None, str | None]], list[dict[str, float]], list[list[float]]
]


def rule_evidence(texts: Sequence[str], sentiment: Sequence[float] | None) -> Evidence:
    """What the rules say of each message: the cleaned text, (event, how it was found), the
    noisy-OR score per intent, and the features the learned model reads."""
    cleaned_texts, found, all_scores, features = [], [], [], []
    for index, text in enumerate(texts):
        if not isinstance(text, str):
            raise ValueError(f"text {index} is a {type(text).__name__}, not a string")
        cleaned = clean(text)
        score = _lexicon_sentiment(cleaned) if sentiment is None else float(sentiment[index])
        event, kind = find_event(cleaned, context_object(text))
        scores = _scores(cleaned, score, event)
        cleaned_texts.append(cleaned)
        found.append((event, kind))
        all_scores.append(scores)
        features.append(rule_features(scores, INTENTS, score, event is not None, "?" in cleaned))
    return cleaned_texts, found, all_scores, features


def read_experience(
    texts: Sequence[str],
    *,
    sentiment: Sequence[float] | None = None,
    learned: bool = True,
    model: IntentModel | None = None,
) -> list[Experience]:
    """Intents, their confidences and the event phrase of each message.

    Parameters
    ----------
    texts : the raw messages (social-media text: mentions, URLs and emoji are fine).
    sentiment : optional score in [-1, 1] per message, e.g. the fast tier's
        ``Analysis.sentiment_score``; without it a VADER word-list score is used.
    learned : combine the rules with the shipped logistic regression (when its file is
        there); False gives the rules' noisy-OR scores alone.
    model : a learned layer to use instead of the shipped one (for evaluation: one trained
        without the messages being scored).

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
    cleaned_texts, found, all_scores, features = rule_evidence(texts, sentiment)
    if model is None and learned:
        model = load_intent_model()
    if model is not None and texts:
        for intent, proba in model.predict_proba(cleaned_texts, np.asarray(features)).items():
            for scores, value in zip(all_scores, proba, strict=True):
                scores[intent] = float(value)
    for cleaned, scores in zip(cleaned_texts, all_scores, strict=True):
        if _ANGER.search(cleaned):
            scores["praise"] *= 0.5
            scores["complain"] = max(scores["complain"], 0.85)
    cut = dict.fromkeys(INTENTS, THRESHOLD) | (model.thresholds if model else {})
    experiences = []
    for text, cleaned, (event, kind), scores in zip(
        texts, cleaned_texts, found, all_scores, strict=True
    ):
        present = tuple(intent for intent in INTENTS if scores[intent] >= cut[intent])
        main = _main_intent(present, scores)
        if event is None and (
            "complain" in present or (scores["complain"] >= FALLBACK_FROM and problem_cue(cleaned))
        ):
            # A (likely) complaint in words no state pattern knows: about a thing the lexicon
            # names, or else what complaints to the company it addresses are most often about.
            event, kind = fallback_event(cleaned, text)
        experiences.append(
            Experience(
                intents=present,
                intent=main,
                intent_scores={intent: round(value, 4) for intent, value in scores.items()},
                event=event,
                confidence=round(
                    scores[main] if main is not None else 1.0 - max(scores.values()), 4
                ),
                event_confidence=EVENT_CONFIDENCE[kind] if kind is not None else 0.0,
            )
        )
    return experiences
