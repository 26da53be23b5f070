"""Expert finding: who has solved something like this before, ranked, with the evidence.

Framework-free. The platform (or the lab's Stack Exchange reader) hands over what people did as
`Contribution`s: answers with the question they answered, accepted or not, questions they
asked, comments, reviews, and the expertise they declared. `ExpertFinder` indexes them and
ranks people for a `Query` (a question, a thread, a root issue or free text) from features a
person can read back:

- on these tags: answers, accepted answers and the votes those answers received;
- similar problems solved: how close the query is to the questions the person answered
  (TF-IDF cosine, best match) and to their answers' own words (BM25, as one document);
- activity: answers overall, answers near the query's time (people come and go);
- already engaged: commented on this very question;
- declared expertise on these tags (counts, but less than what was demonstrated).

A conditional logit over those features (a softmax per question over its candidates) is
fitted on past questions whose accepted answer is known (`fit`); the lab computes them out of
fold so that a question never helps rank itself.
"""

import math
import random
import re
from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import bm25s  # type: ignore[import-untyped]
import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.preprocessing import StandardScaler  # type: ignore[import-untyped]

__all__ = [
    "FEATURES",
    "Contribution",
    "Evidence",
    "Expert",
    "ExpertFinder",
    "Query",
    "answered_cases",
    "fit_conditional_logit",
    "fit_out_of_fold",
]

Person = Hashable
FloatArray = npt.NDArray[np.float64]

FEATURES = (
    "tag_answers",
    "tag_accepted",
    "tag_votes",
    "similar_solved",
    "answer_words",
    "answers",
    "accepted",
    "active_near",
    "engaged",
    "declared",
    "near_share",
    "tag_near",
    "helped_asker",
    "is_asker",
    "active_after",
)
#: Readable names for the reasons shown beside each expert.
FEATURE_LABELS = {
    "tag_answers": "answers on these topics",
    "tag_accepted": "accepted answers on these topics",
    "tag_votes": "votes on answers on these topics",
    "similar_solved": "solved a similar problem",
    "answer_words": "has written about this",
    "answers": "answers overall",
    "accepted": "accepted answers overall",
    "active_near": "active around this time",
    "engaged": "already in this conversation",
    "declared": "declares this expertise",
    "near_share": "answers much of what is asked these days",
    "tag_near": "active on these topics lately",
    "helped_asker": "has helped this person before",
    "is_asker": "asked it (and may answer it)",
    "active_after": "answering these days",
}
#: L2 penalty of the fitted ranker (on standardized features).
L2 = 1.0
#: Folds of the out-of-fold fit: a question never helps rank itself.
FOLDS = 5
#: Answers this many days from the query count as "near" at weight 1/e.
NEAR_DAYS = 14.0
#: Hand-set weights (standardized features) used before `fit`, or when there is nothing to fit.
DEFAULT_WEIGHTS = dict(
    zip(
        FEATURES,
        (0.6, 0.6, 0.2, 0.8, 0.5, 0.3, 0.3, 0.6, 0.8, 0.3, 0.5, 0.5, 0.5, -1.0, 0.6),
        strict=True,
    )
)
_TOKEN = re.compile(r"(?u)\b\w[\w+#.-]*\w\b|\b\w\b")


@dataclass(frozen=True, slots=True)
class Contribution:
    """One thing a person did. For an answer, `context` is the question it answered."""

    person: Person
    kind: str  # "answer", "question", "comment", "review" or "post"
    text: str
    at: datetime
    tags: tuple[str, ...] = ()
    context: str = ""
    context_id: Hashable | None = None
    context_person: Person | None = None  # who asked what this answered
    context_at: datetime | None = None  # when what this answered was asked
    accepted: bool = False
    votes: int = 0
    ref: Hashable | None = None  # the platform's id for it, to link the evidence


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    tags: tuple[str, ...] = ()
    at: datetime | None = None
    asker: Person | None = None
    # People who already took part (commented on the question): they are looking at it.
    engaged: tuple[Person, ...] = ()
    query_id: Hashable | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    ref: Hashable | None
    kind: str
    text: str
    at: datetime
    accepted: bool
    similarity: float


@dataclass(slots=True)
class Expert:
    person: Person
    score: float
    reasons: list[tuple[str, float]] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


class ExpertFinder:
    """An index of what people did, and a ranker over it."""

    def __init__(
        self,
        contributions: Iterable[Contribution],
        *,
        declared: dict[Person, set[str]] | None = None,
        candidates: Iterable[Person] | None = None,
    ) -> None:
        self.contributions = list(contributions)
        self.declared = {p: {t.lower() for t in tags} for p, tags in (declared or {}).items()}
        answers = [c for c in self.contributions if c.kind == "answer"]
        people = {c.person for c in answers} | set(self.declared)
        if candidates is not None:
            people &= set(candidates)
        self.people: list[Person] = sorted(people, key=repr)
        self._index = {person: i for i, person in enumerate(self.people)}
        n = len(self.people)
        self._answers = np.zeros(n)
        self._accepted = np.zeros(n)
        self._by_tag: dict[str, FloatArray] = defaultdict(lambda: np.zeros((3, n)))
        self._times: dict[int, list[float]] = defaultdict(list)
        self._tag_times: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self._helped: dict[Person, FloatArray] = defaultdict(lambda: np.zeros(n))
        self._answered: list[tuple[int, Contribution]] = []
        docs: dict[int, list[str]] = defaultdict(list)
        for answer in answers:
            i = self._index.get(answer.person)
            if i is None:
                continue
            self._answers[i] += 1
            self._accepted[i] += answer.accepted
            for tag in {t.lower() for t in answer.tags}:
                block = self._by_tag[tag]
                block[0, i] += 1
                block[1, i] += answer.accepted
                block[2, i] += max(answer.votes, 0)
                self._tag_times[tag].append((i, answer.at.timestamp()))
            self._times[i].append(answer.at.timestamp())
            if answer.context_person is not None:
                self._helped[answer.context_person][i] += 1
            self._answered.append((i, answer))
            docs[i].append(answer.text)
        self._times_arr = {i: np.array(ts) for i, ts in self._times.items()}
        self._tag_times_arr = {
            tag: (np.array([i for i, _ in rows]), np.array([t for _, t in rows]))
            for tag, rows in self._tag_times.items()
        }
        # "Solved a similar problem": the questions each person answered, in one TF-IDF space.
        self._vectorizer: TfidfVectorizer | None = None
        if self._answered:
            self._vectorizer = TfidfVectorizer(
                sublinear_tf=True, min_df=1, ngram_range=(1, 2), stop_words="english"
            )
            self._solved = self._vectorizer.fit_transform(
                [a.context or a.text for _, a in self._answered]
            )
            self._solved_owner = np.array([i for i, _ in self._answered])
        # "Has written about this": each person's answers as one BM25 document.
        self._bm25: bm25s.BM25 | None = None
        if n:
            corpus = [tokenize(" ".join(docs.get(i, []))) or ["_"] for i in range(n)]
            self._bm25 = bm25s.BM25()
            self._bm25.index(corpus, show_progress=False)
        self.weights = dict(DEFAULT_WEIGHTS)
        self._scaler: StandardScaler | None = None
        self._coef: FloatArray | None = None

    # -- features ---------------------------------------------------------------------------

    def bm25_scores(self, text: str) -> FloatArray:
        """Each person's answers, as one document, against `text` (the BM25 baseline too)."""
        if self._bm25 is None:
            return np.zeros(len(self.people))
        tokens = tokenize(text)
        if not tokens:
            return np.zeros(len(self.people))
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float64)

    def tag_counts(self, tags: Sequence[str]) -> FloatArray:
        """Answers each person gave on these tags (the tag-overlap baseline too)."""
        total = np.zeros((3, len(self.people)))
        for tag in {t.lower() for t in tags}:
            if tag in self._by_tag:
                total += self._by_tag[tag]
        return total

    def _similar_solved(self, text: str) -> FloatArray:
        """Per person, the cosine of `text` with the closest question they answered."""
        best = np.zeros(len(self.people))
        if self._vectorizer is None:
            return best
        sims = (self._solved @ self._vectorizer.transform([text]).T).toarray().ravel()
        order = np.argsort(sims)  # ascending: the last write per owner is its best
        best[self._solved_owner[order]] = sims[order]
        return best

    def _near(self, at: datetime | None, *, after_days: float = 0.0) -> FloatArray:
        """Answers near `at` (decaying over NEAR_DAYS both ways), or with `after_days`, only
        those in the days right after it (decaying over that many days)."""
        n = len(self.people)
        near = np.zeros(n)
        if at is None:
            return near
        now = at.timestamp()
        for i, times in self._times_arr.items():
            days = (times - now) / 86400
            if after_days:
                ahead = days[days >= 0]
                near[i] = float(np.exp(-ahead / after_days).sum())
            else:
                near[i] = float(np.exp(-np.abs(days) / NEAR_DAYS).sum())
        return near

    def _tag_near(self, tags: Sequence[str], at: datetime | None) -> FloatArray:
        near = np.zeros(len(self.people))
        if at is None:
            return near
        for tag in {t.lower() for t in tags}:
            if tag in self._tag_times_arr:
                owners, times = self._tag_times_arr[tag]
                weights = np.exp(-np.abs(times - at.timestamp()) / 86400 / (2 * NEAR_DAYS))
                np.add.at(near, owners, weights)
        return near

    def features(self, query: Query) -> FloatArray:
        """One row per person in `self.people`, one column per name in FEATURES."""
        n = len(self.people)
        tags = self.tag_counts(query.tags)
        similar = self._similar_solved(query.text)
        words = self.bm25_scores(query.text)
        if words.max(initial=0) > 0:
            words = words / words.max()
        engaged = np.zeros(n)
        for person in query.engaged:
            if person in self._index:
                engaged[self._index[person]] = 1
        query_tags = {t.lower() for t in query.tags}
        declared = np.array(
            [len(self.declared.get(p, set()) & query_tags) for p in self.people], dtype=float
        )
        near = self._near(query.at)
        asker = np.zeros(n)
        if query.asker in self._index:
            asker[self._index[query.asker]] = 1
        helped = self._helped.get(query.asker) if query.asker is not None else None
        columns = [
            np.log1p(tags[0]),
            np.log1p(tags[1]),
            np.log1p(tags[2]),
            similar,
            words,
            np.log1p(self._answers),
            np.log1p(self._accepted),
            np.log1p(near),
            engaged,
            declared,
            near / near.sum() if near.sum() > 0 else near,
            np.log1p(self._tag_near(query.tags, query.at)),
            np.log1p(helped) if helped is not None else np.zeros(n),
            asker,
            np.log1p(self._near(query.at, after_days=3.0)),
        ]
        return np.column_stack(columns) if n else np.zeros((0, len(FEATURES)))

    # -- ranking ----------------------------------------------------------------------------

    def scores(self, query: Query, *, exclude_asker: bool = True) -> FloatArray:
        x = self.features(query)
        if self._coef is not None and self._scaler is not None:
            s = self._scaler.transform(x) @ self._coef
        else:
            s = x @ np.array([self.weights[f] for f in FEATURES])
        if exclude_asker and query.asker in self._index:
            s[self._index[query.asker]] = -np.inf  # suggesting the asker helps nobody
        return np.asarray(s, dtype=np.float64)

    def contributions_of_weights(self, query: Query) -> tuple[FloatArray, FloatArray]:
        """Per person and feature, how much it added to the score (for the reasons)."""
        x = self.features(query)
        if self._coef is not None and self._scaler is not None:
            return self._scaler.transform(x) * self._coef, x
        return x * np.array([self.weights[f] for f in FEATURES]), x

    def rank(
        self,
        query: Query,
        *,
        k: int = 10,
        penalty: dict[Person, tuple[float, str]] | None = None,
        evidence: int = 3,
        among: Collection[Person] | None = None,
    ) -> list[Expert]:
        """The `k` best people, each with the reasons and the contributions behind the rank.

        `penalty` lowers someone's score by an amount, with the reason shown (away, overloaded);
        `among` keeps only those people (e.g. the company's staff).
        """
        if not self.people:
            return []
        scores = self.scores(query)
        if among is not None:
            allowed = {self._index[p] for p in among if p in self._index}
            scores[[i for i in range(len(scores)) if i not in allowed]] = -np.inf
        parts, raw = self.contributions_of_weights(query)
        extra: dict[int, str] = {}
        for person, (amount, why) in (penalty or {}).items():
            if person in self._index:
                scores[self._index[person]] -= amount
                extra[self._index[person]] = why
        order = [i for i in np.argsort(-scores, kind="stable") if np.isfinite(scores[i])][:k]
        # The query's words once, for every candidate's evidence.
        vector = None if self._vectorizer is None else self._vectorizer.transform([query.text])
        experts = []
        for i in order:
            reasons = sorted(
                ((FEATURE_LABELS[f], float(parts[i, j])) for j, f in enumerate(FEATURES)),
                key=lambda item: -item[1],
            )
            expert = Expert(
                person=self.people[i],
                score=float(scores[i]),
                reasons=[r for r in reasons if r[1] > 0][:3],
                features={f: float(raw[i, j]) for j, f in enumerate(FEATURES)},
            )
            if i in extra:
                expert.reasons.append((extra[i], -1.0))
            expert.evidence = self._evidence(i, query, evidence, vector)
            experts.append(expert)
        return experts

    def _evidence(self, i: int, query: Query, limit: int, vector: Any) -> list[Evidence]:
        if self._vectorizer is None or vector is None:
            return []
        rows = np.flatnonzero(self._solved_owner == i)
        if not len(rows):
            return []
        sims = (self._solved[rows] @ vector.T).toarray().ravel()
        query_tags = {t.lower() for t in query.tags}
        picked = []
        for row, sim in sorted(zip(rows, sims, strict=True), key=lambda item: -item[1]):
            answer = self._answered[row][1]
            if sim <= 0 and not query_tags & {t.lower() for t in answer.tags}:
                continue
            picked.append(
                Evidence(
                    ref=answer.ref,
                    kind="accepted answer" if answer.accepted else "answer",
                    text=(answer.context or answer.text)[:200],
                    at=answer.at,
                    accepted=answer.accepted,
                    similarity=float(sim),
                )
            )
            if len(picked) == limit:
                break
        return picked

    # -- learning ---------------------------------------------------------------------------

    def fit(self, queries: Sequence[tuple[Query, Person]], *, l2: float = L2) -> "ExpertFinder":
        """Fit the ranker on past queries whose right person is known (see `fit_groups`)."""
        return self.fit_groups(self.training_groups(queries), l2=l2)

    def fit_groups(
        self, groups: Sequence[tuple[FloatArray, int | Sequence[int]]], *, l2: float = L2
    ) -> "ExpertFinder":
        """A conditional logit: per query, a softmax over its candidates, fitted to put the
        right person (or any of the right people) first; L2-regularized on standardized
        features. Each group is (feature rows of one query's candidates, the row of the right
        person or the rows of the right people)."""
        if not groups:
            return self
        self._scaler, self._coef = fit_conditional_logit(groups, l2=l2)
        self.weights = dict(zip(FEATURES, self._coef.tolist(), strict=True))
        return self

    def ranked_like(self, other: "ExpertFinder") -> "ExpertFinder":
        """This finder's index with `other`'s ranker (its fitted weights and scaling): refitting
        is the slow part, and a few new answers do not change the weights much."""
        self._scaler, self._coef = other._scaler, other._coef
        self.weights = dict(other.weights)
        return self

    def training_groups(
        self, queries: Sequence[tuple[Query, Person]]
    ) -> list[tuple[FloatArray, int]]:
        """Feature rows and the right person's row, for queries whose person is indexed."""
        return [
            (self.features(query), self._index[truth])
            for query, truth in queries
            if truth in self._index
        ]

    def answered_groups(
        self, cases: Sequence[tuple[Query, Collection[Person]]]
    ) -> list[tuple[FloatArray, list[int]]]:
        """Feature rows and the rows of the right people, for cases with one of them indexed."""
        groups = []
        for query, people in cases:
            rows = sorted({self._index[p] for p in people if p in self._index})
            if rows:
                groups.append((self.features(query), rows))
        return groups

    def describe(self) -> dict[str, Any]:
        return {
            "people": len(self.people),
            "answers": int(self._answers.sum()),
            "fitted": self._coef is not None,
            "weights": {f: round(w, 4) for f, w in self.weights.items()},
        }


def fit_conditional_logit(
    groups: Sequence[tuple[FloatArray, int | Sequence[int]]], *, l2: float = L2
) -> tuple[StandardScaler, FloatArray]:
    """The conditional logit of `ExpertFinder.fit_groups` on any number of feature columns:
    the scaler and the weights on the scaled features (score = scaler.transform(x) @ weights).
    """
    scaler = StandardScaler().fit(np.vstack([x for x, _ in groups]))
    scaled = [
        (scaler.transform(x), np.atleast_1d(np.asarray(truth, dtype=int))) for x, truth in groups
    ]

    # All groups in one matrix; per-group log-sum-exps by segment (one pass per step).
    x_all = np.vstack([x for x, _ in scaled])
    sizes = np.array([len(x) for x, _ in scaled])
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    group_of = np.repeat(np.arange(len(scaled)), sizes)
    right = np.concatenate(
        [start + truth for start, (_, truth) in zip(starts, scaled, strict=True)]
    )
    right_group = np.repeat(np.arange(len(scaled)), [len(t) for _, t in scaled])

    def segment_lse(values: FloatArray, segments: npt.NDArray[np.int64], count: int) -> FloatArray:
        top = np.full(count, -np.inf)
        np.maximum.at(top, segments, values)
        sums = np.zeros(count)
        np.add.at(sums, segments, np.exp(values - top[segments]))
        return np.asarray(top + np.log(sums), dtype=np.float64)

    def loss(w: FloatArray) -> tuple[float, FloatArray]:
        s = x_all @ w
        lse = segment_lse(s, group_of, len(scaled))
        lse_right = segment_lse(s[right], right_group, len(scaled))
        p_all = np.exp(s - lse[group_of])
        p_right = np.exp(s[right] - lse_right[right_group])
        total = float(np.sum(lse) - np.sum(lse_right))
        grad = p_all @ x_all - p_right @ x_all[right]
        return total + l2 * float(w @ w), grad + 2 * l2 * w

    result = minimize(loss, np.zeros(x_all.shape[1]), jac=True, method="L-BFGS-B")
    return scaler, np.asarray(result.x, dtype=np.float64)


def answered_cases(
    contributions: Iterable[Contribution],
) -> list[tuple[Query, tuple[Person, ...]]]:
    """Past questions with an accepted answer as training cases, from the answers alone: the
    question (its text, tags, time and asker, as the answers carry them) and the accepted
    answer's author."""
    by_question: dict[Hashable, list[Contribution]] = defaultdict(list)
    for c in contributions:
        if c.kind == "answer" and c.context_id is not None:
            by_question[c.context_id].append(c)
    cases = []
    for question_id, answers in by_question.items():
        first = answers[0]
        accepted = [a.person for a in answers if a.accepted]
        if not accepted:
            continue
        query = Query(
            text=first.context,
            tags=first.tags,
            at=first.context_at,
            asker=first.context_person,
            query_id=question_id,
        )
        cases.append((query, tuple(dict.fromkeys(accepted))))
    return cases


def fit_out_of_fold(
    contributions: Sequence[Contribution],
    cases: Sequence[tuple[Query, Collection[Person]]],
    *,
    declared: dict[Person, set[str]] | None = None,
    folds: int = FOLDS,
    seed: int = 0,
    l2: float = L2,
) -> ExpertFinder:
    """The finder over all `contributions`, its ranker fitted on `cases` (a query and who
    answered it right) with features computed out of fold: for the cases of each fold, a finder
    without the contributions whose `context_id` is one of those cases' `query_id`."""
    order = list(range(len(cases)))
    random.Random(seed).shuffle(order)
    groups: list[tuple[FloatArray, int | Sequence[int]]] = []
    for fold in range(folds):
        held_cases = [cases[i] for i in order[fold::folds]]
        held = {query.query_id for query, _ in held_cases}
        finder = ExpertFinder(
            [c for c in contributions if c.context_id not in held], declared=declared
        )
        groups += finder.answered_groups(held_cases)
    return ExpertFinder(contributions, declared=declared).fit_groups(groups, l2=l2)


def rank_of(scores: FloatArray, truth_index: int) -> int:
    """1-based rank of `truth_index` when sorted by score, ties counted pessimistically half."""
    target = scores[truth_index]
    higher = int(np.sum(scores > target))
    tied = int(np.sum(scores == target)) - 1
    return higher + 1 + math.floor(tied / 2)
