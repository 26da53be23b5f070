"""Expert finding: who has solved something like this before, ranked, with the evidence.

Framework-free. The platform (or the lab's Stack Exchange reader) hands over what people did as
`Contribution`s: answers with the question they answered, accepted or not, questions they
asked, comments, reviews, and the expertise they declared. `ExpertFinder` indexes them and
ranks people for a `Query` (a question, a thread, a root issue or free text) from features a
person can read back:

- on these tags: answers, accepted answers and the votes those answers received;
- similar problems solved: how close the query is to the questions the person answered
  (TF-IDF cosine, best match) and to their answers' own words (BM25, as one document);
- activity: answers overall, answers in the weeks and days before the query (people come
  and go);
- already engaged: commented on this very question;
- declared expertise on these tags (counts, but less than what was demonstrated).

Every feature of a query with a time (`Query.at`) is computed from what existed before that
time only: the answers posted before it (never the query's own answers), so that a past
question is seen in training exactly as an open question is seen when the product ranks for it.
A query without a time (free text) sees everything indexed. What is not time-aware: the TF-IDF
vocabulary and weights of "similar_solved" and BM25's statistics are recomputed from the
answers before the query; only declared expertise has no date.

A conditional logit over those features (a softmax per question over its candidates) is
fitted on past questions whose accepted answer is known (`fit`).
"""

import math
import re
from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped]
from scipy.optimize import minimize  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import CountVectorizer  # type: ignore[import-untyped]
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
    "fit_on_history",
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
    "active_recent",
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
    "active_near": "active in recent weeks",
    "engaged": "already in this conversation",
    "declared": "declares this expertise",
    "near_share": "answers much of what is asked these days",
    "tag_near": "active on these topics lately",
    "helped_asker": "has helped this person before",
    "is_asker": "asked it (and may answer it)",
    "active_recent": "answered in the last few days",
}
#: L2 penalty of the fitted ranker (on standardized features).
L2 = 1.0
#: Answers this many days before the query count as "near" at weight 1/e.
NEAR_DAYS = 14.0
#: "active_recent": answers this many days before the query count at weight 1/e.
RECENT_DAYS = 3.0
#: BM25 parameters of "answer_words" (Lucene's variant, as bm25s computes it).
BM25_K1 = 1.5
BM25_B = 0.75
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
        # One row per indexed answer; features mask them by time ("before the query").
        self._answered: list[tuple[int, Contribution]] = [
            (self._index[a.person], a) for a in answers if a.person in self._index
        ]
        rows = self._answered
        self._owner = np.array([i for i, _ in rows], dtype=np.int64)
        self._time = np.array([a.at.timestamp() for _, a in rows], dtype=np.float64)
        self._is_accepted = np.array([float(a.accepted) for _, a in rows])
        self._votes = np.array([float(max(a.votes, 0)) for _, a in rows])
        self._context_id = [a.context_id for _, a in rows]
        self._rows_by_tag: dict[str, npt.NDArray[np.int64]] = {}
        self._rows_by_asker: dict[Person, npt.NDArray[np.int64]] = {}
        self._rows_by_context: dict[Hashable, npt.NDArray[np.int64]] = {}
        by_tag: dict[str, list[int]] = defaultdict(list)
        by_asker: dict[Person, list[int]] = defaultdict(list)
        by_context: dict[Hashable, list[int]] = defaultdict(list)
        for row, (_, answer) in enumerate(rows):
            for tag in {t.lower() for t in answer.tags}:
                by_tag[tag].append(row)
            if answer.context_person is not None:
                by_asker[answer.context_person].append(row)
            if answer.context_id is not None:
                by_context[answer.context_id].append(row)
        self._rows_by_tag = {k: np.array(v, dtype=np.int64) for k, v in by_tag.items()}
        self._rows_by_asker = {k: np.array(v, dtype=np.int64) for k, v in by_asker.items()}
        self._rows_by_context = {k: np.array(v, dtype=np.int64) for k, v in by_context.items()}
        # "Solved a similar problem": the questions each person answered, in a TF-IDF space
        # whose weights are those of the answers before the query (`_similarities`).
        self._counter: CountVectorizer | None = None
        if rows:
            questions = [a.context or a.text for _, a in rows]
            self._counter = CountVectorizer(ngram_range=(1, 2), stop_words="english")
            solved = sparse.csr_matrix(self._counter.fit_transform(questions), dtype=np.float64)
            solved.data = 1 + np.log(solved.data)  # sublinear tf, as TfidfVectorizer's
            self._solved_tf = solved
            self._solved_tf_squared = solved.multiply(solved).tocsr()
            self._solved_present = (solved > 0).astype(np.float64).tocsc()
            self._solved_owner = self._owner
        # "Has written about this": each person's answers (those before the query) as one BM25
        # document; the words of each answer are counted once here and summed per query.
        self._vocabulary: dict[str, int] = {}
        counts: dict[tuple[int, int], int] = defaultdict(int)
        lengths = np.zeros(len(rows))
        for row, (_, answer) in enumerate(rows):
            tokens = tokenize(answer.text)
            lengths[row] = len(tokens)
            for token in tokens:
                column = self._vocabulary.setdefault(token, len(self._vocabulary))
                counts[row, column] += 1
        self._words = sparse.csc_matrix(
            (
                np.array(list(counts.values()), dtype=np.float64),
                (
                    np.array([r for r, _ in counts], dtype=np.int64),
                    np.array([c for _, c in counts], dtype=np.int64),
                ),
            ),
            shape=(len(rows), len(self._vocabulary)),
        )
        self._lengths = lengths
        self.weights = dict(DEFAULT_WEIGHTS)
        self._scaler: StandardScaler | None = None
        self._coef: FloatArray | None = None

    # -- features ---------------------------------------------------------------------------

    def _before(self, at: datetime | None, query_id: Hashable | None = None) -> FloatArray:
        """Per indexed answer, 1.0 if it existed before `at` (all of them without a time) and
        does not answer `query_id` itself, else 0.0."""
        keep = np.ones(len(self._answered))
        if at is not None:
            keep[self._time >= at.timestamp()] = 0.0
        if query_id is not None and query_id in self._rows_by_context:
            keep[self._rows_by_context[query_id]] = 0.0
        return keep

    def _per_person(self, values: FloatArray) -> FloatArray:
        """Per-answer `values` summed per person."""
        total = np.zeros(len(self.people))
        np.add.at(total, self._owner, values)
        return total

    def bm25_scores(self, text: str, *, before: datetime | None = None) -> FloatArray:
        """Each person's answers, as one document, against `text` (the BM25 baseline too);
        with `before`, only the answers posted before then."""
        return self._bm25(text, self._before(before))

    def _bm25(self, text: str, keep: FloatArray) -> FloatArray:
        n = len(self.people)
        columns = [self._vocabulary[t] for t in tokenize(text) if t in self._vocabulary]
        if not n or not columns:
            return np.zeros(n)
        # The documents are the people with an answer kept (with every answer kept and no
        # declared-only people, exactly bm25s's figures over one document per person).
        lengths = self._per_person(self._lengths * keep)
        present = self._per_person(keep) > 0
        if not present.any():
            return np.zeros(n)
        documents = int(present.sum())
        average = max(float(lengths[present].mean()), 1.0)
        unique, repeats = np.unique(columns, return_counts=True)
        tf = np.zeros((n, len(unique)))
        block = self._words[:, unique].multiply(keep[:, None]).tocoo()
        np.add.at(tf, (self._owner[block.row], block.col), block.data)
        df = (tf > 0).sum(axis=0)
        idf = np.log(1 + (documents - df + 0.5) / (df + 0.5))
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths / average)
        scores = (tf / (tf + norm[:, None])) @ (idf * repeats)
        return np.asarray(np.where(present, scores, 0.0), dtype=np.float64)

    def tag_counts(self, tags: Sequence[str], *, before: datetime | None = None) -> FloatArray:
        """Answers, accepted answers and votes each person got on these tags (answers: the
        tag-overlap baseline too); with `before`, only the answers posted before then."""
        return self._tag_counts(tags, self._before(before))

    def _tag_counts(self, tags: Sequence[str], keep: FloatArray) -> FloatArray:
        total = np.zeros((3, len(self.people)))
        # Tags in the query's order, not a set's: float sums then do not depend on the hash
        # seed (a set's order made MRR move in the fourth decimal from run to run).
        for tag in dict.fromkeys(t.lower() for t in tags):
            rows = self._rows_by_tag.get(tag)
            if rows is None:
                continue
            owners, kept = self._owner[rows], keep[rows]
            np.add.at(total[0], owners, kept)
            np.add.at(total[1], owners, kept * self._is_accepted[rows])
            np.add.at(total[2], owners, kept * self._votes[rows])
        return total

    def _similarities(self, text: str, keep: FloatArray) -> FloatArray:
        """Per indexed answer, the TF-IDF cosine (sublinear tf, smoothed idf, l2 norm: as
        TfidfVectorizer) of `text` with the question it answered, the weights and vocabulary
        being those of the answers kept only; 0 for the others."""
        if self._counter is None or not keep.any():
            return np.zeros(len(self._answered))
        kept = float(keep.sum())
        df = np.asarray(self._solved_present.T @ keep).ravel()
        idf = np.where(df > 0, np.log((1 + kept) / (1 + df)) + 1, 0.0)
        query = sparse.csr_matrix(self._counter.transform([text]), dtype=np.float64)
        columns, counts = query.indices, query.data
        weights = (1 + np.log(counts)) * idf[columns]
        query_norm = float(np.sqrt(weights @ weights))
        if query_norm == 0:
            return np.zeros(len(self._answered))
        norms = np.sqrt(np.asarray(self._solved_tf_squared @ (idf * idf)).ravel())
        dots = np.asarray(self._solved_tf[:, columns] @ (weights * idf[columns])).ravel()
        with np.errstate(divide="ignore", invalid="ignore"):
            sims = np.where(norms > 0, dots / (norms * query_norm), 0.0)
        return np.asarray(sims * keep, dtype=np.float64)

    def _similar_solved(self, sims: FloatArray) -> FloatArray:
        """Per person, the best of `sims` (per answer) over the questions they answered."""
        best = np.zeros(len(self.people))
        np.maximum.at(best, self._owner, sims)
        return best

    def _decayed(self, at: datetime | None, keep: FloatArray, days: float) -> FloatArray:
        """Per answer kept, exp(-age / days), its age in days before `at`; without a time,
        nothing is recent."""
        if at is None:
            return np.zeros(len(self._answered))
        age = np.maximum(at.timestamp() - self._time, 0.0) / 86400
        return np.exp(-age / days) * keep

    def _tag_near(self, tags: Sequence[str], at: datetime | None, keep: FloatArray) -> FloatArray:
        near = np.zeros(len(self.people))
        if at is None:
            return near
        weights = self._decayed(at, keep, 2 * NEAR_DAYS)
        rows = [
            self._rows_by_tag[t]
            for t in dict.fromkeys(t.lower() for t in tags)
            if t in self._rows_by_tag
        ]
        for tag_rows in rows:
            np.add.at(near, self._owner[tag_rows], weights[tag_rows])
        return near

    def features(self, query: Query) -> FloatArray:
        """One row per person in `self.people`, one column per name in FEATURES, from the
        answers posted before `query.at` (all, without a time), never the query's own."""
        n = len(self.people)
        keep = self._before(query.at, query.query_id)
        tags = self._tag_counts(query.tags, keep)
        similar = self._similar_solved(self._similarities(query.text, keep))
        words = self._bm25(query.text, keep)
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
        near = self._per_person(self._decayed(query.at, keep, NEAR_DAYS))
        recent = self._per_person(self._decayed(query.at, keep, RECENT_DAYS))
        asker = np.zeros(n)
        if query.asker in self._index:
            asker[self._index[query.asker]] = 1
        helped = np.zeros(n)
        asker_rows = self._rows_by_asker.get(query.asker) if query.asker is not None else None
        if asker_rows is not None:
            np.add.at(helped, self._owner[asker_rows], keep[asker_rows])
        columns = [
            np.log1p(tags[0]),
            np.log1p(tags[1]),
            np.log1p(tags[2]),
            similar,
            words,
            np.log1p(self._per_person(keep)),
            np.log1p(self._per_person(keep * self._is_accepted)),
            np.log1p(near),
            engaged,
            declared,
            near / near.sum() if near.sum() > 0 else near,
            np.log1p(self._tag_near(query.tags, query.at, keep)),
            np.log1p(helped),
            asker,
            np.log1p(recent),
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
        sims = self._similarities(query.text, self._before(query.at, query.query_id))
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
            expert.evidence = self._evidence(i, query, evidence, sims)
            experts.append(expert)
        return experts

    def _evidence(self, i: int, query: Query, limit: int, sims: FloatArray) -> list[Evidence]:
        """Person `i`'s answers closest to the query (`sims`, per answer), among those posted
        before it."""
        keep = self._before(query.at, query.query_id)
        rows = np.flatnonzero((self._owner == i) & (keep > 0))
        if not len(rows):
            return []
        sims = sims[rows]
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
            "answers": len(self._answered),
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


def fit_on_history(
    contributions: Sequence[Contribution],
    cases: Sequence[tuple[Query, Collection[Person]]],
    *,
    declared: dict[Person, set[str]] | None = None,
    l2: float = L2,
) -> ExpertFinder:
    """The finder over all `contributions`, its ranker fitted on `cases` (a query and who
    answered it right). Each case's features come from the answers posted before its question
    (`ExpertFinder.features`), never its own answers, so a question never helps rank itself
    and nothing after it is seen: one finder does it (this replaced a 5-fold out-of-fold fit,
    whose features still counted answers posted after the training question)."""
    finder = ExpertFinder(contributions, declared=declared)
    return finder.fit_groups(finder.answered_groups(cases), l2=l2)


def rank_of(scores: FloatArray, truth_index: int) -> int:
    """1-based rank of `truth_index` when sorted by score, ties counted pessimistically half."""
    target = scores[truth_index]
    higher = int(np.sum(scores > target))
    tied = int(np.sum(scores == target)) - 1
    return higher + 1 + math.floor(tied / 2)
