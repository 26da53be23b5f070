"""Stance of a reply toward what it answers: support, deny, query or comment (RumourEval).

Sentiment is not stance: "I can't believe they fixed it in an hour" is negative in tone and
supportive in stance, and a question is neither. The reader looks at the reply, the post it
answers and the conversation's opening post:

- the reply's word 1-2-grams and in-word character 2-5-grams, TF-IDF with sublinear counts;
- cues a person would name: whether it is the opening post itself (an opening post states its
  claim: it "supports" it), how deep in the conversation it is, question marks, words of
  denial ("fake", "not true"), of confirmation ("confirmed", "official") and of asking
  ("source?", "is this real"), a link, its length, and how close its words are to the post it
  answers;
- one logistic regression, then one offset per class added to the log-probabilities, chosen
  by cross-validation over whole conversations to maximise accuracy plus macro-F1: without
  them the rare classes (deny, query) are almost never predicted, which is what a majority
  baseline does too.

>>> reader = load_stance_reader()  # doctest: +SKIP
>>> reader.predict([Reply("Source?", parent="They fixed it.")])  # doctest: +SKIP
['query']
"""

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Self

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.metrics import accuracy_score, f1_score  # type: ignore[import-untyped]
from sklearn.model_selection import GroupKFold  # type: ignore[import-untyped]
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from cluetrain_analytics.artifacts import load_artifact, save_artifact

__all__ = [
    "MODEL_PATH",
    "STANCES",
    "Reply",
    "StanceReader",
    "load_stance_reader",
    "save_stance_reader",
]

STANCES: tuple[str, ...] = ("support", "deny", "query", "comment")
MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "stance.joblib"
RETRAIN = "python -m cluetrain_lab.evaluation.stance --train PATH --save"

_MENTION = re.compile(r"@\w+")
_LINK = re.compile(r"https?://\S+|www\.\S+")
_DENY = re.compile(
    r"\b(fake|false|not true|hoax|lies?|lying|bs|bullshit|untrue|debunked?|wrong|no evidence"
    r"|nope|stop spreading|not|isn'?t|wasn'?t|never|doubt|misleading|made up)\b"
)
_SUPPORT = re.compile(
    r"\b(confirmed|confirms?|breaking|reports?|according to|official(ly)?|true|yes|indeed"
    r"|exactly|agreed?|right|fixed|works?)\b"
)
_QUERY = re.compile(
    r"\b(really|is this|is it|are you sure|source|sources|proof|evidence|confirm|why|how"
    r"|what|who|where|when|any (news|update|word))\b"
)
#: Offsets tried for each class's log-probability (0 for "comment", the reference).
_OFFSET_GRID = (0.0, 0.3, 0.6, 1.0, 1.5)


@dataclass(frozen=True, slots=True)
class Reply:
    """A message in a conversation; ``parent`` is None for the conversation's opening post."""

    text: str
    parent: str | None = None
    opening: str = ""
    depth: int = 0

    @property
    def is_opening(self) -> bool:
        return self.parent is None


def _clean(text: str) -> str:
    return _LINK.sub(" url ", _MENTION.sub(" @user ", text.lower()))


def _cues(reply: Reply) -> list[float]:
    text = reply.text.lower()
    stripped = text.strip()
    return [
        float(reply.is_opening),
        min(reply.depth, 5) / 5,
        float("?" in text),
        float(stripped.endswith("?")),
        float(len(_DENY.findall(text))),
        float(len(_SUPPORT.findall(text))),
        float(len(_QUERY.findall(text))),
        float(bool(_LINK.search(text))),
        min(len(text), 280) / 140,
        float("!" in text),
    ]


@dataclass
class StanceReader:
    """TF-IDF words and characters, readable cues, logistic regression, class offsets."""

    C: float = 2.0
    max_char_features: int = 50_000
    tune_offsets: bool = True
    folds: int = 4
    #: Added to each class's log-probability, in the order of ``classes_``.
    offsets: tuple[float, ...] = ()
    version: str = ""
    report: dict[str, Any] = field(default_factory=dict)

    def fit(
        self, replies: Sequence[Reply], stances: Sequence[str], groups: Sequence[str] = ()
    ) -> Self:
        """Fit on labelled replies; ``groups`` (a conversation id per reply) keeps whole
        conversations apart when the class offsets are chosen."""
        labels = np.asarray(stances)
        unknown = set(labels.tolist()) - set(STANCES)
        if unknown:
            raise ValueError(f"stances must be among {STANCES}, not {sorted(unknown)}")
        if len(replies) != len(labels):
            raise ValueError("replies and stances differ in length")
        # One BLAS thread: on a shared two-core machine a multi-threaded BLAS made each
        # logistic regression about 100 times slower (75 s against 0.8 s for one fold).
        with threadpool_limits(1):
            self._fit_once(replies, labels)
            self.offsets = (0.0,) * len(self.classes_)
            if self.tune_offsets and groups and len(set(groups)) >= self.folds:
                self.offsets = self._tuned_offsets(replies, labels, np.asarray(groups))
        return self

    def _fit_once(self, replies: Sequence[Reply], labels: npt.NDArray[Any]) -> None:
        texts = [reply.text for reply in replies]
        self.words_ = TfidfVectorizer(
            ngram_range=(1, 2), min_df=2, sublinear_tf=True, preprocessor=_clean
        )
        self.chars_ = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(2, 5),
            min_df=2,
            sublinear_tf=True,
            preprocessor=_clean,
            max_features=self.max_char_features,
        )
        self.words_.fit(texts)
        self.chars_.fit(texts)
        # The pruned terms are only kept for inspection and would make the file far larger.
        self.words_.stop_words_ = None
        self.chars_.stop_words_ = None
        self.regression_ = LogisticRegression(C=self.C, max_iter=3000)
        self.regression_.fit(self._features(replies), labels)
        self.classes_: list[str] = [str(c) for c in self.regression_.classes_]

    def _features(self, replies: Sequence[Reply]) -> sparse.csr_matrix:
        texts = [reply.text for reply in replies]
        words = self.words_.transform(texts)
        parents = self.words_.transform([reply.parent or "" for reply in replies])
        # Rows are L2-normalised, so the row-wise product is the cosine similarity.
        closeness = np.asarray(words.multiply(parents).sum(axis=1))
        cues = np.hstack([np.array([_cues(reply) for reply in replies]), closeness])
        return sparse.hstack([words, self.chars_.transform(texts), sparse.csr_matrix(cues)]).tocsr()

    def _tuned_offsets(
        self, replies: Sequence[Reply], labels: npt.NDArray[Any], groups: npt.NDArray[Any]
    ) -> tuple[float, ...]:
        log_proba = np.zeros((len(replies), len(self.classes_)))
        for train, test in GroupKFold(self.folds).split(labels, labels, groups):
            fold = StanceReader(C=self.C, max_char_features=self.max_char_features)
            fold._fit_once([replies[i] for i in train], labels[train])
            log_proba[np.ix_(test, [self.classes_.index(c) for c in fold.classes_])] = (
                fold._log_proba([replies[i] for i in test])
            )
        reference = self.classes_.index("comment") if "comment" in self.classes_ else 0
        best: tuple[float, tuple[float, ...]] = (-1.0, (0.0,) * len(self.classes_))
        for trial in itertools.product(_OFFSET_GRID, repeat=len(self.classes_) - 1):
            offsets = list(trial)
            offsets.insert(reference, 0.0)
            predicted = np.array(self.classes_)[(log_proba + offsets).argmax(axis=1)]
            score = accuracy_score(labels, predicted) + f1_score(labels, predicted, average="macro")
            if score > best[0]:
                best = (score, tuple(offsets))
        self.report["offset_cv_score"] = round(best[0], 4)
        return best[1]

    def _log_proba(self, replies: Sequence[Reply]) -> npt.NDArray[np.float64]:
        proba = self.regression_.predict_proba(self._features(replies))
        return np.asarray(np.log(np.clip(proba, 1e-9, 1.0)))

    def probabilities(self, replies: Sequence[Reply]) -> npt.NDArray[np.float64]:
        """Each reply's probability of each stance, columns in ``classes_`` order, with the
        class offsets applied (rows sum to 1)."""
        if not replies:
            return np.zeros((0, len(self.classes_)))
        shifted = self._log_proba(replies) + np.asarray(self.offsets)
        shifted -= shifted.max(axis=1, keepdims=True)
        weights = np.exp(shifted)
        return np.asarray(weights / weights.sum(axis=1, keepdims=True))

    def predict(self, replies: Sequence[Reply]) -> list[str]:
        """The most likely stance of each reply."""
        if not replies:
            return []
        best = self.probabilities(replies).argmax(axis=1)
        return [self.classes_[i] for i in best]


def save_stance_reader(reader: StanceReader, path: Path = MODEL_PATH) -> Path:
    """Write the reader and the manifest of the library versions it was made with."""
    return save_artifact(reader, path, compress=("zlib", 6))


@lru_cache(maxsize=2)
def load_stance_reader(path: Path = MODEL_PATH) -> StanceReader:
    """The shipped stance reader, loaded once per process."""
    return load_artifact(path, StanceReader, retrain=RETRAIN)


#: How far a reply's agreement moves its stance toward the company, against its own tone.
AGREEMENT_WEIGHT = 0.5


def toward_company(sentiment: float, stance: str, answered: float | None) -> float | None:
    """A message's stance toward the company in [-1, 1], from its tone and its stance.

    ``answered`` is the stance toward the company of the message it replies to (+1 for a staff
    answer, the tone of a customer's post otherwise; None for an opening post). Agreeing with
    a complaint is a complaint and denying it a defence; a question says neither (None), and a
    comment or an opening post is read by its tone alone.

    >>> toward_company(-0.6, "support", 1.0)  # "can't believe they fixed it so fast" to staff
    0.2
    >>> toward_company(0.1, "support", -0.8)  # "same here" under a complaint
    -0.45
    >>> toward_company(0.0, "query", 1.0) is None
    True
    """
    if stance == "query":
        return None
    if stance not in ("support", "deny") or not answered:
        return sentiment
    agreement = 1.0 if stance == "support" else -1.0
    direction = 1.0 if answered > 0 else -1.0
    value = (1 - AGREEMENT_WEIGHT) * sentiment + AGREEMENT_WEIGHT * agreement * direction
    return round(max(-1.0, min(1.0, value)), 6)
