"""Spam scoring for contributions (posts, reviews, profiles, ideas, requests), with reasons.

No public labelled spam of the platform's kind exists here, so the scorer starts as a
transparent logistic model over a dozen named cues with documented weights
(:data:`DEFAULT_WEIGHTS`; docs/spam-and-deception.md says why each has its weight). Each cue
is a number in [0, 1]; the score is ``sigmoid(bias + sum(weight * cue))`` and every cue that
adds at least :data:`REASON_MIN` to the sum is named in the reasons the moderation queue
shows. Moderators' decisions retrain it: :func:`fit_from_decisions` fits the same model on
(contribution, held or not) pairs, pulled towards the documented weights so that a handful of
decisions nudges it rather than overturns it.

What the caller knows and the text does not (the author's account age and post count, how
often the same text was seen lately, a review's deception probability) comes in on the
:class:`Contribution`; :func:`content_hash` is the key for counting repeats.
"""

import hashlib
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from scipy.optimize import minimize  # type: ignore[import-untyped]

__all__ = [
    "CUES",
    "DEFAULT_BIAS",
    "DEFAULT_WEIGHTS",
    "HOLD_THRESHOLD",
    "REASON_MIN",
    "REPEAT_MIN_WORDS",
    "SPAM_PHRASES",
    "Contribution",
    "SpamScorer",
    "SpamVerdict",
    "content_hash",
    "cue_values",
    "fit_from_decisions",
]

Kind = Literal["post", "review", "profile", "idea", "request"]

#: A contribution is held for moderation at or above this score.
HOLD_THRESHOLD = 0.5
#: A cue is named as a reason when it adds at least this much to the logit.
REASON_MIN = 0.5
#: Repeats of texts shorter than this (in words outside links) are not held against them.
REPEAT_MIN_WORDS = 6

#: Phrases of commercial and scam spam; each counts once however often it appears.
SPAM_PHRASES: tuple[str, ...] = (
    "buy now",
    "click here",
    "click the link",
    "order now",
    "limited time",
    "act now",
    "free money",
    "100% free",
    "risk free",
    "risk-free",
    "make money",
    "earn money",
    "earn $",
    "work from home",
    "double your",
    "cheap pills",
    "viagra",
    "cialis",
    "casino",
    "bitcoin investment",
    "crypto investment",
    "forex",
    "payday loan",
    "weight loss",
    "lose weight fast",
    "miracle",
    "guaranteed income",
    "no credit check",
    "dm me",
    "whatsapp me",
    "contact me on telegram",
    "visit my profile",
    "check out my",
    "promo code",
    "discount code",
    "follow for follow",
    "seo services",
    "backlinks",
)
_PHRASE_RE = re.compile("|".join(re.escape(p) for p in SPAM_PHRASES))
#: Link shorteners hide where a link goes. Not t.co: Twitter wraps every link in it.
SHORTENERS = (
    "bit.ly",
    "tinyurl.com",
    "goo.gl",
    "ow.ly",
    "is.gd",
    "buff.ly",
    "cutt.ly",
    "rebrand.ly",
    "shorturl.at",
    "rb.gy",
    "tiny.cc",
)
_URL_RE = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|net|org|info|biz|ru|xyz|top)\b/?\S*", re.IGNORECASE
)
_PHONE_RE = re.compile(r"(?<![\w.])\+?\d[\d ()-]{8,}\d(?![\w.])")
_EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_MONEY_RE = re.compile(r"[$€£]\s?\d[\d,.]*\s?(?:k|m|million|thousand)?\b|\$\$+", re.IGNORECASE)
_WORD_RE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_RUN_RE = re.compile(r"(.)\1{5,}")


@dataclass(frozen=True)
class Contribution:
    """One contribution to score, and what the platform knows around it."""

    text: str
    kind: Kind = "post"
    #: Days since the author's account was created; None when unknown.
    account_age_days: float | None = None
    #: The author's earlier contributions; None when unknown.
    author_post_count: int | None = None
    #: How often the same :func:`content_hash` was seen lately (other authors or the same one).
    times_seen_before: int = 0
    #: For reviews: the deception model's probability that it was invented.
    deception_probability: float | None = None


def content_hash(text: str) -> str:
    """A key equal for the same text up to case, spacing, digits and links.

    Spam is posted many times with small changes: another link, another number.

    >>> content_hash("Buy NOW: http://a.example/1") == content_hash("buy now:  https://b.example")
    True
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _URL_RE.sub(" ", folded)
    folded = re.sub(r"\d+", "0", folded)
    folded = " ".join(folded.split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def _links(text: str) -> list[str]:
    return _URL_RE.findall(text)


def _words(text: str) -> list[str]:
    """The words of ``text`` outside its links."""
    return _WORD_RE.findall(_URL_RE.sub(" ", text))


def _cue_link_density(c: Contribution) -> float:
    words = max(len(_words(c.text)), 1)
    return min(len(_links(c.text)) * 10 / words, 1.0)


def _cue_many_links(c: Contribution) -> float:
    return min(max(len(_links(c.text)) - 1, 0) / 4, 1.0)


def _cue_shortened_link(c: Contribution) -> float:
    lowered = c.text.lower()
    return 1.0 if any(s in lowered for s in SHORTENERS) else 0.0


def _cue_spam_phrases(c: Contribution) -> float:
    return min(len(set(_PHRASE_RE.findall(c.text.lower()))) / 2, 1.0)


def _cue_shouting(c: Contribution) -> float:
    words = [w for w in _words(c.text) if len(w) >= 3]
    if len(words) < 4:
        return 0.0
    share = sum(w.isupper() for w in words) / len(words)
    return max(share - 0.3, 0.0) / 0.7


def _cue_repetition(c: Contribution) -> float:
    words = [w.lower() for w in _words(c.text)]
    # "!!!!!!!" and "NOOOOOO" are how upset customers write too: a small push only.
    runs = 0.3 if _RUN_RE.search(c.text) else 0.0
    if len(words) < 12:
        return runs
    repeated = 1 - len(set(words)) / len(words)
    # Ordinary prose repeats about half of its words in a long text; spam far more.
    expected = 0.35 + 0.1 * math.log10(len(words) / 12)
    return max(runs, min(max(repeated - expected, 0.0) / 0.3, 1.0))


def _cue_contact_details(c: Contribution) -> float:
    # Nine digits or more: a date or an order number with dashes is not a phone number.
    phones = [m for m in _PHONE_RE.findall(c.text) if sum(ch.isdigit() for ch in m) >= 9]
    found = len(phones) + len(_EMAIL_RE.findall(c.text))
    return min(found / 2, 1.0)


def _cue_money(c: Contribution) -> float:
    return min(len(_MONEY_RE.findall(c.text)) / 2, 1.0)


def _cue_new_account(c: Contribution) -> float:
    if c.account_age_days is None:
        return 0.0
    return 1.0 if c.account_age_days < 1 else 0.5 if c.account_age_days < 7 else 0.0


def _cue_first_contribution(c: Contribution) -> float:
    return 1.0 if c.author_post_count == 0 else 0.0


def _cue_seen_before(c: Contribution) -> float:
    # Short messages ("thanks!", a mention and a photo) repeat innocently; spam has a pitch.
    if len(_words(c.text)) < REPEAT_MIN_WORDS:
        return 0.0
    return min(c.times_seen_before / 3, 1.0)


def _cue_invented_review(c: Contribution) -> float:
    if c.kind != "review" or c.deception_probability is None:
        return 0.0
    return max(2 * c.deception_probability - 1, 0.0)


Cue = Callable[[Contribution], float]
Values = dict[str, int | float | str]


def _no_values(c: Contribution) -> Values:
    return {}


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


#: Name -> (cue function, the values its reason names). The platform words a reason in the
#: reader's language from the cue's name and these values; :data:`ENGLISH` words it here.
CUES: dict[str, tuple[Cue, Callable[[Contribution], Values]]] = {
    "link_density": (
        _cue_link_density,
        lambda c: {"links": len(_links(c.text)), "words": len(_words(c.text))},
    ),
    "many_links": (_cue_many_links, lambda c: {"links": len(_links(c.text))}),
    "shortened_link": (_cue_shortened_link, _no_values),
    "spam_phrases": (
        _cue_spam_phrases,
        lambda c: {
            "phrases": ", ".join(f'"{p}"' for p in sorted(set(_PHRASE_RE.findall(c.text.lower()))))
        },
    ),
    "shouting": (_cue_shouting, _no_values),
    "repetition": (_cue_repetition, _no_values),
    "contact_details": (_cue_contact_details, _no_values),
    "money": (_cue_money, _no_values),
    "new_account": (_cue_new_account, lambda c: {"days": round(c.account_age_days or 0)}),
    "first_contribution": (_cue_first_contribution, _no_values),
    "seen_before": (_cue_seen_before, lambda c: {"times": c.times_seen_before}),
    "invented_review": (
        _cue_invented_review,
        lambda c: {"probability": round(c.deception_probability or 0.0, 2)},
    ),
}

#: Name -> the reason in English, from its values (the record kept with a verdict).
ENGLISH: dict[str, Callable[[Values], str]] = {
    "link_density": lambda v: (
        f"{v['links']} {_plural(int(v['links']), 'link', 'links')} in {v['words']} words"
    ),
    "many_links": lambda v: f"{v['links']} links",
    "shortened_link": lambda v: "a shortened link hides its target",
    "spam_phrases": lambda v: f"spam phrases: {v['phrases']}",
    "shouting": lambda v: "mostly in capital letters",
    "repetition": lambda v: "the same words or characters over and over",
    "contact_details": lambda v: "phone numbers or e-mail addresses in the text",
    "money": lambda v: "sums of money",
    "new_account": lambda v: f"account {v['days']} {_plural(int(v['days']), 'day', 'days')} old",
    "first_contribution": lambda v: "the author's first contribution",
    "seen_before": lambda v: (
        f"the same text was posted {v['times']} {_plural(int(v['times']), 'time', 'times')} before"
    ),
    "invented_review": lambda v: (
        f"reads like an invented review (deception probability {v['probability']:.2f})"
    ),
}

#: Logit weights of the cues (each cue is in [0, 1]); docs/spam-and-deception.md explains them.
DEFAULT_WEIGHTS: dict[str, float] = {
    "link_density": 3.0,
    "many_links": 2.0,
    "shortened_link": 1.5,
    "spam_phrases": 4.0,
    "shouting": 1.5,
    "repetition": 2.5,
    "contact_details": 2.0,
    "money": 1.0,
    "new_account": 1.0,
    "first_contribution": 0.5,
    "seen_before": 4.5,
    "invented_review": 5.0,
}
#: sigmoid(-4) = 0.018: a contribution without any cue.
DEFAULT_BIAS = -4.0


def cue_values(contribution: Contribution) -> dict[str, float]:
    """Every cue's value in [0, 1], by name."""
    return {name: float(cue(contribution)) for name, (cue, _) in CUES.items()}


@dataclass(frozen=True)
class SpamVerdict:
    """A contribution's score, whether it is held, and why."""

    score: float
    held: bool
    #: Human-readable (English), strongest first; empty when nothing stood out.
    reasons: list[str]
    cues: dict[str, float]
    #: The same reasons as (cue name, the values it names), for wording in another language.
    named: list[tuple[str, Values]] = field(default_factory=list)


@dataclass(frozen=True)
class SpamScorer:
    """A logistic model over :data:`CUES`: the documented one or one refit by moderators."""

    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    bias: float = DEFAULT_BIAS
    threshold: float = HOLD_THRESHOLD
    #: How many moderators' decisions the weights were fitted on (0: the documented weights).
    decisions: int = 0

    def logit(self, cues: Mapping[str, float]) -> float:
        return self.bias + sum(self.weights.get(name, 0.0) * v for name, v in cues.items())

    def score(self, contribution: Contribution) -> SpamVerdict:
        cues = cue_values(contribution)
        score = 1.0 / (1.0 + math.exp(-self.logit(cues)))
        pushes = {name: self.weights.get(name, 0.0) * value for name, value in cues.items()}
        strongest = sorted((n for n in pushes if pushes[n] >= REASON_MIN), key=lambda n: -pushes[n])
        named = [(name, CUES[name][1](contribution)) for name in strongest]
        return SpamVerdict(
            score=score,
            held=score >= self.threshold,
            reasons=[ENGLISH[name](values) for name, values in named],
            cues=cues,
            named=named,
        )


def fit_from_decisions(
    contributions: Sequence[Contribution],
    held: Sequence[bool],
    *,
    prior: SpamScorer | None = None,
    prior_strength: float = 1.0,
) -> SpamScorer:
    """Refit the weights on moderators' decisions (True: they kept it held as spam).

    A logistic regression on the cue values, with a Gaussian prior centred on ``prior``'s
    weights (the documented ones by default): the penalty is ``prior_strength`` times the
    squared distance from them. With few decisions the documented weights barely move; with
    many, the moderators' own standard wins. The threshold is kept.
    """
    if len(contributions) != len(held):
        raise ValueError("contributions and decisions differ in length")
    if not contributions:
        raise ValueError("no decisions to learn from")
    prior = prior or SpamScorer()
    names = list(CUES)
    features = np.array([[cue_values(c)[n] for n in names] for c in contributions])
    target = np.asarray(held, dtype=float)
    start = np.array([prior.bias, *(prior.weights.get(n, 0.0) for n in names)])

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        logits = params[0] + features @ params[1:]
        probs = 1.0 / (1.0 + np.exp(-logits))
        # log(1 + e^z) - y z, computed without overflow.
        nll = float(np.sum(np.logaddexp(0.0, logits) - target * logits))
        gap = params - start
        value = nll + prior_strength * float(gap @ gap)
        error = probs - target
        grad = np.concatenate([[error.sum()], features.T @ error]) + 2 * prior_strength * gap
        return value, grad

    fitted = minimize(loss, start, jac=True, method="L-BFGS-B").x
    return SpamScorer(
        weights={n: float(w) for n, w in zip(names, fitted[1:], strict=True)},
        bias=float(fitted[0]),
        threshold=prior.threshold,
        decisions=len(contributions) + prior.decisions,
    )
