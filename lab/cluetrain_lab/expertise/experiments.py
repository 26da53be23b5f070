"""Feature experiments for `cluetrain eval experts`, chosen on the train part only.

`python -m cluetrain_lab.expertise.experiments SPLITS` reads split folders (`SPLITS/NAME/train`,
`SPLITS/NAME/test`, made with `stackexchange.split_dump`) and prints, per variant, the inner
cross-validation on each split's train questions (the out-of-fold features of the command's
own fit: 5 random folds, then two forward blocks by date: fit on the first 60 % and score the
next 20 %, fit on the first 80 % and score the last 20 %), averaged over the splits. Only the
variants named with `--outer` are then scored on the test folders.

The extra signals are what a product knows before a question's first answer (recency of the
candidate's answers and of any activity, time-decayed shares of the question's tags, MiniLM
similarity of the question to the questions the candidate answered), plus two settings: a
candidate pool limited to people active lately, and a pairwise objective instead of the
conditional logit. MiniLM needs the `accurate` extra (the shipped all-MiniLM-L6-v2).
"""

import argparse
import json
import math
import random
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.preprocessing import StandardScaler, normalize  # type: ignore[import-untyped]

from cluetrain_analytics.expertise import (
    FEATURES,
    L2,
    Contribution,
    ExpertFinder,
    Query,
    fit_conditional_logit,
    rank_of,
)
from cluetrain_lab.expertise.evaluate import cases, contributions
from cluetrain_lab.expertise.stackexchange import Dump, read_dump

#: Folds of the inner cross-validation over a split's train questions.
FOLDS = 5

FloatArray = npt.NDArray[np.float64]
Model = tuple[StandardScaler, FloatArray]
DAY = 86400.0
EXTRA = (
    "since_answer",  # -log(1 + days since their last answer before the question)
    "since_any",  # the same for any answer, comment or question
    "prev7",  # answers in the 7 days before
    "prev30",  # and in the 30 days before
    "tag_share_dec",  # their share of the answers on these tags before, decayed over 90 days
    "tag_rate_dec",  # the share of their own answers on these tags, decayed likewise
    "tag_acc_dec",  # accepted answers on these tags before, decayed
    "acc_rate_prior",  # accepted / answers before (smoothed)
    "prev_answers",  # answers before
    "tag_prev",  # answers on these tags before
    "mini_max",  # MiniLM cosine to the closest question they answered
    "mini_cent",  # to the mean of the questions they answered
    "mini_top3",  # mean of the three closest
    "tfidf_cent",  # TF-IDF cosine to the mean of the questions they answered
    "mini_near",  # MiniLM similarity x closeness in time (14 days), summed over their answers
)
NAMES = (*FEATURES, *EXTRA)
COLUMN = {name: i for i, name in enumerate(NAMES)}


@dataclass(frozen=True, slots=True)
class Group:
    x: FloatArray  # one row per candidate, one column per name in NAMES
    truth: list[int]
    at: float
    fold: int = -1


def embed(texts: Sequence[str]) -> FloatArray:
    """Unit-length all-MiniLM-L6-v2 sentence vectors (the shipped model, as published)."""
    from cluetrain_analytics.text._minilm import (
        FrozenBase,
        length_sorted_batches,
        mean_pool,
        torch,
    )

    base = FrozenBase(1)
    out = np.zeros((len(texts), 384))
    with torch.inference_mode():
        for batch in length_sorted_batches(base.lengths(texts), 32):
            encoded = base.tokenize([texts[i] for i in batch])
            hidden = base.model(**encoded).last_hidden_state
            vectors = torch.nn.functional.normalize(
                mean_pool(hidden, encoded["attention_mask"]), dim=1
            )
            out[batch] = vectors.numpy()
    return out


class ExtendedFinder(ExpertFinder):
    """The shipped finder with the extra columns of EXTRA after its own."""

    def __init__(
        self,
        contribs: Sequence[Contribution],
        activity: dict[str, list[float]],
        vectors: dict[str, FloatArray],
    ) -> None:
        super().__init__(contribs)
        n = len(self.people)
        self.vectors = vectors
        # One TF-IDF space over every answered question (not time-aware, as these experiments
        # were run before the finder became so; the product builds no such space).
        self._vectorizer = TfidfVectorizer(
            sublinear_tf=True, min_df=1, ngram_range=(1, 2), stop_words="english"
        )
        self._solved = self._vectorizer.fit_transform(
            [a.context or a.text for _, a in self._answered]
        )
        self.activity = {
            i: np.sort(np.array(activity.get(str(p), []))) for i, p in enumerate(self.people)
        }
        self.owner = np.array([i for i, _ in self._answered], dtype=int)
        self.answered_vectors = np.array([vectors[str(a.context_id)] for _, a in self._answered])
        self.times = np.array([a.at.timestamp() for _, a in self._answered])
        self.accepted = np.array([float(a.accepted) for _, a in self._answered])
        self.answer_tags = [{t.lower() for t in a.tags} for _, a in self._answered]
        centroid = np.zeros((n, self.answered_vectors.shape[1]))
        np.add.at(centroid, self.owner, self.answered_vectors)
        self.centroid = normalize(centroid)
        membership = sparse.csr_matrix(
            (np.ones(len(self.owner)), (self.owner, np.arange(len(self.owner)))),
            shape=(n, len(self.owner)),
        )
        self.tfidf_centroid = normalize(membership @ self._solved)

    def all_features(self, query: Query) -> FloatArray:
        return np.hstack([self.features(query), self.extra_columns(query)])

    def extra_columns(self, query: Query) -> FloatArray:
        assert query.at is not None
        n, now = len(self.people), query.at.timestamp()
        out = np.zeros((n, len(EXTRA)))
        days = (now - self.times) / DAY
        prior = days > 0
        last = np.full(n, np.inf)
        np.minimum.at(last, self.owner[prior], days[prior])
        out[:, 0] = -np.log1p(np.minimum(last, 3650))
        out[:, 2] = np.log1p(np.bincount(self.owner[prior & (days <= 7)], minlength=n))
        out[:, 3] = np.log1p(np.bincount(self.owner[prior & (days <= 30)], minlength=n))
        for i, times in self.activity.items():
            k = int(np.searchsorted(times, now)) - 1
            if k >= 0:
                last[i] = min(last[i], (now - times[k]) / DAY)
        out[:, 1] = -np.log1p(np.minimum(last, 3650))
        tags = {t.lower() for t in query.tags}
        on_tags = np.array([bool(tags & t) for t in self.answer_tags])
        decay = np.where(prior, np.exp(-days / 90.0), 0.0)
        tag_decayed = np.bincount(self.owner, weights=decay * on_tags, minlength=n)
        all_decayed = np.bincount(self.owner, weights=decay, minlength=n)
        out[:, 4] = tag_decayed / max(float(tag_decayed.sum()), 1e-9)
        out[:, 5] = tag_decayed / (all_decayed + 1.0)
        out[:, 6] = np.log1p(
            np.bincount(self.owner, weights=decay * on_tags * self.accepted, minlength=n)
        )
        answered = np.bincount(self.owner[prior], minlength=n)
        accepted = np.bincount(self.owner[prior], weights=self.accepted[prior], minlength=n)
        out[:, 7] = (accepted + 0.5) / (answered + 2)
        out[:, 8] = np.log1p(answered)
        out[:, 9] = np.log1p(np.bincount(self.owner[prior & on_tags], minlength=n))
        sims = self.answered_vectors @ self.vectors[str(query.query_id)]
        best = np.full(n, -1.0)
        np.maximum.at(best, self.owner, sims)
        out[:, 10] = np.maximum(best, 0)
        out[:, 11] = self.centroid @ self.vectors[str(query.query_id)]
        top, taken = np.zeros(n), np.zeros(n)
        for row in np.argsort(-sims):
            if taken[self.owner[row]] < 3:
                top[self.owner[row]] += sims[row]
                taken[self.owner[row]] += 1
        out[:, 12] = top / 3
        text = self._vectorizer.transform([query.text])
        out[:, 13] = (self.tfidf_centroid @ text.T).toarray().ravel()
        near = np.exp(-np.abs(days) / 14.0)
        out[:, 14] = np.log1p(
            np.bincount(self.owner, weights=np.maximum(sims, 0) * near, minlength=n)
        )
        return out


def _activity(dump: Dump) -> dict[str, list[float]]:
    found: dict[str, list[float]] = defaultdict(list)
    for comment in dump.comments:
        if comment.user:
            found[comment.user].append(comment.at.timestamp())
    for question in dump.questions.values():
        if question.owner:
            found[question.owner].append(question.at.timestamp())
    for answer in dump.answers.values():
        if answer.owner:
            found[answer.owner].append(answer.at.timestamp())
    return found


def split_groups(train: Dump, test: Dump, vectors: dict[str, FloatArray]) -> dict[str, list[Group]]:
    """Out-of-fold train groups (as the finder was fitted before it became time-aware, same
    seed) and test groups."""
    contribs = contributions(train)
    train_cases = [(case.query, case.truth) for case in cases(train)]
    activity = _activity(train)
    order = list(range(len(train_cases)))
    random.Random(0).shuffle(order)
    oof = []
    for fold in range(FOLDS):
        held_cases = [train_cases[i] for i in order[fold::FOLDS]]
        held = {query.query_id for query, _ in held_cases}
        finder = ExtendedFinder(
            [c for c in contribs if c.context_id not in held], activity, vectors
        )
        for query, truth in held_cases:
            if truth in finder._index:
                assert query.at is not None
                oof.append(
                    Group(
                        finder.all_features(query),
                        [finder._index[truth]],
                        query.at.timestamp(),
                        fold,
                    )
                )
    finder = ExtendedFinder(contribs, activity, vectors)
    tested = []
    for case in cases(test):
        if case.truth in finder._index:
            assert case.query.at is not None
            tested.append(
                Group(
                    finder.all_features(case.query),
                    [finder._index[case.truth]],
                    case.query.at.timestamp(),
                )
            )
    return {"oof": oof, "test": tested}


def pairwise(groups: Sequence[tuple[FloatArray, list[int]]], *, l2: float = L2) -> Model:
    """Logistic regression on (right person - each other candidate), scaled as the logit."""
    scaler = StandardScaler().fit(np.vstack([x for x, _ in groups]))
    differences = []
    for x, truth in groups:
        scaled = scaler.transform(x)
        differences.append(scaled[truth[0]] - np.delete(scaled, truth, axis=0))
    pairs = np.vstack(differences)
    model = LogisticRegression(C=1 / l2, fit_intercept=False, max_iter=2000)
    model.fit(np.vstack([pairs, -pairs]), np.r_[np.ones(len(pairs)), np.zeros(len(pairs))])
    return scaler, np.asarray(model.coef_.ravel(), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class Variant:
    columns: tuple[str, ...]
    l2: float = L2
    pool_days: float | None = None  # candidates with no activity in that many days drop out
    objective: str = "logit"

    def fit(self, groups: Sequence[Group]) -> Model:
        rows = [(self.select(g.x), g.truth) for g in groups]
        if self.objective == "pairwise":
            return pairwise(rows, l2=self.l2)
        return fit_conditional_logit([(x, t) for x, t in rows], l2=self.l2)

    def select(self, x: FloatArray) -> FloatArray:
        return x[:, [COLUMN[c] for c in self.columns]]

    def metrics(self, model: Model, groups: Sequence[Group]) -> dict[str, float]:
        scaler, weights = model
        ranks = []
        for group in groups:
            scores = scaler.transform(self.select(group.x)) @ weights
            if self.pool_days is not None:
                gone = group.x[:, COLUMN["since_any"]] < -math.log1p(self.pool_days) - 1e-12
                scores = np.where(gone, -1e6, scores)
            ranks.append(rank_of(scores, group.truth[0]))
        r = np.array(ranks, dtype=float)
        return {
            "p_at_1": float(np.mean(r == 1)),
            "mrr": float(np.mean(1 / r)),
            "ndcg_at_10": float(np.mean(np.where(r <= 10, 1 / np.log2(r + 1), 0))),
            "hit_at_10": float(np.mean(r <= 10)),
        }


def inner(variant: Variant, oof: Sequence[Group]) -> dict[str, dict[str, float]]:
    """Cross-validation on one split's train questions only: random folds, forward blocks."""
    folds = [
        variant.metrics(
            variant.fit([g for g in oof if g.fold != f]), [g for g in oof if g.fold == f]
        )
        for f in range(FOLDS)
    ]
    by_date = sorted(oof, key=lambda g: g.at)
    n = len(by_date)
    blocks = [
        variant.metrics(variant.fit(by_date[: int(a * n)]), by_date[int(a * n) : int(b * n)])
        for a, b in ((0.6, 0.8), (0.8, 1.0))
    ]
    return {"random": _mean(folds), "forward": _mean(blocks)}


def _mean(rows: Sequence[dict[str, float]]) -> dict[str, float]:
    return {k: round(float(np.mean([r[k] for r in rows])), 4) for k in rows[0]}


BASE = tuple(FEATURES)
RECENCY = ("since_answer", "since_any")
MINILM = ("mini_cent", "mini_top3")
VARIANTS: dict[str, Variant] = {
    "shipped (15 features, L2 1)": Variant(BASE),
    **{f"+ {e}": Variant((*BASE, e)) for e in EXTRA},
    "+ since_answer, prev7, prev30": Variant((*BASE, "since_answer", "prev7", "prev30")),
    "+ mini_max, mini_cent, mini_top3": Variant((*BASE, "mini_max", *MINILM)),
    "+ tag_share_dec, tag_rate_dec, tag_acc_dec": Variant(
        (*BASE, "tag_share_dec", "tag_rate_dec", "tag_acc_dec")
    ),
    "all 30 features": Variant(NAMES),
    **{f"pool: active in {d} days": Variant(BASE, pool_days=d) for d in (30, 90, 365)},
    **{
        f"+ recency + MiniLM, L2 {l2:g}": Variant((*BASE, *RECENCY, *MINILM), l2=l2)
        for l2 in (0.3, 1, 3, 10, 30)
    },
    "pairwise, 15 features": Variant(BASE, objective="pairwise"),
    "pairwise, + recency + MiniLM": Variant((*BASE, *RECENCY, *MINILM), objective="pairwise"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cluetrain_lab.expertise.experiments")
    parser.add_argument("splits", type=Path, help="folder of NAME/train and NAME/test")
    parser.add_argument("--data", type=Path, required=True, help="the dump the splits come from")
    parser.add_argument("--outer", action="append", default=[], help="variant to score on test")
    options = parser.parse_args(argv)
    source = read_dump(options.data)
    ids = sorted(source.questions)
    vectors = dict(zip(ids, embed([source.questions[i].text for i in ids]), strict=True))
    names = sorted(p.name for p in options.splits.iterdir() if (p / "train").is_dir())
    data = {
        name: split_groups(
            read_dump(options.splits / name / "train"),
            read_dump(options.splits / name / "test"),
            vectors,
        )
        for name in names
    }
    report: dict[str, Any] = {"splits": names, "inner": {}, "outer": {}}
    for label, variant in VARIANTS.items():
        per = {name: inner(variant, data[name]["oof"]) for name in names}
        report["inner"][label] = {
            kind: _mean([per[name][kind] for name in names]) for kind in ("random", "forward")
        }
        sys.stderr.write(f"{label}: {report['inner'][label]}\n")
    for label in options.outer:
        variant = VARIANTS[label]
        report["outer"][label] = {
            name: variant.metrics(variant.fit(data[name]["oof"]), data[name]["test"])
            for name in names
        }
    sys.stdout.write(json.dumps(report) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
