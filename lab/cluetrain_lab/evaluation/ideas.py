"""`cluetrain eval ideas`: rank each test challenge's concepts before the decision, against its
winners (OpenIDEO layout: ../shared/data/ideas_openideo).

The snapshot's applause, views, comment counts and evaluations were taken after the winners
were picked, so the ranking reads only what existed before a decision:

- the platform's idea ranking (cluetrain_analytics.ideas.rank_ideas) over the replies dated
  before the challenge's last concept was posted: each commenter other than the author
  supports a concept once, commenters who only act together count once;
- that same early conversation's size (comments, the author's own replies, the comments the
  author gave on other concepts);
- the text (length of title and description) and the "built upon" links between concepts
  (every linked concept exists before the last concept). Titles were edited after the
  decision ("[UPDATED]", "(Refined)", "People's Radio - now with sound!" on shortlisted
  concepts), so the title read is the one the concept was posted under: its id, the URL slug
  made from the first title (`original_title`);
- whether the platform featured the concept before the cut-off (OpenIDEO's house account
  replied "Congrats on this post being today's Featured Concept!"): early replies that say
  "featured";
- the author's history: concepts and wins in challenges decided before this one's cut-off
  (their last concept at least DECIDED_AFTER earlier: the winners were announced weeks
  after a challenge's last concept).

A challenge that appears twice in the folder (the same concepts under two numbers) is read
once, so that it can never be on both sides of a split.

These are combined by a logistic regression fitted on the --train challenges (features are
ranks within their challenge). Applause and comment count (both leaky) are the baselines, in
the same run. When --train and --test are the same folder, its challenges are split
(a salted hash keeps 20 % for the test) so that development never sees the hold-out.
"""

import argparse
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import rankdata  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.metrics import roc_auc_score  # type: ignore[import-untyped]
from tqdm import tqdm

from cluetrain_analytics.ideas import Support, rank_ideas
from cluetrain_lab.files import csv_dicts, find_file, jsonl_rows

__all__ = [
    "FEATURES",
    "Challenge",
    "clean_title",
    "evaluate",
    "features",
    "original_title",
    "read_challenges",
    "run",
]

FEATURES = (
    "platform_score",
    "early_comments",
    "author_replies",
    "author_comments_given",
    "built_upon",
    "builds_on",
    "title_chars",
    "description_chars",
    "author_past_concepts",
    "author_past_wins",
    "staff_commenters",
    "veteran_commenters",
    "peer_commenters",
    "early_comment_chars",
    "days_open",
    "author_concepts_here",
    "author_inspirations_here",
    "featured",
)
SPLIT_SALT = "openideo-dev"
TEST_SHARE = 0.2
# A challenge's winners count as the author's history only in challenges whose last concept
# came this long before the cut-off (OpenIDEO announced winners weeks after concepting closed).
DECIDED_AFTER = timedelta(days=60)

# Marks that authors added to their titles after the cut-off, in refinement: a bracketed
# group that says "updated" or "refined", then loose "updated", "refined", "final", "v2",
# "version 2.0" and dates such as 12/26.
_EDIT_GROUP = re.compile(
    r"[\[(<{*]+[^\[\](){}<>*]*(?:updat|refine)[^\[\](){}<>*]*[\])>}*]+", re.IGNORECASE
)
_EDIT_WORD = re.compile(
    r"\b(?:updated?\w*|refined|refinement|refine|final)\b"
    r"|\b\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?\b|\b(?:version|v)\s*\d[\d.]*",
    re.IGNORECASE,
)


# A reply announcing that the platform featured the concept ("Congrats on this post being
# today's onsite Featured Concept!"), posted during concepting by OpenIDEO's house account.
_FEATURED = re.compile(r"\bfeatured\b", re.IGNORECASE)


@dataclass
class People:
    """From users.csv.gz: each user's company (hashed) and the date they joined OpenIDEO."""

    company: dict[str, str]
    joined: dict[str, str]

    @property
    def staff_company(self) -> str:
        """The company with the most users: OpenIDEO's own team (the README's "staff")."""
        counts = Counter(c for c in self.company.values() if c)
        return counts.most_common(1)[0][0] if counts else ""


def read_people(*folders: Path) -> People:
    people = People({}, {})
    for folder in folders:
        path = find_file(folder, "users.csv")
        if path is None:
            continue
        for row in csv_dicts(path):
            if row.get("user"):
                if row.get("company"):
                    people.company[row["user"]] = row["company"]
                if row.get("joined"):
                    known = people.joined.get(row["user"], row["joined"])
                    people.joined[row["user"]] = min(known, row["joined"])
    return people


@dataclass
class Challenge:
    id: int
    concepts: list[dict[str, Any]]
    comments: list[dict[str, Any]]
    links: list[tuple[str, str]]
    inspirations: Counter[str] = field(default_factory=Counter)  # by author

    @property
    def first(self) -> str:
        return str(min(c["created"] for c in self.concepts))

    @property
    def last(self) -> str:
        return str(max(c["created"] for c in self.concepts))


def clean_title(title: str) -> str:
    """The title without the marks of later edits ("Voting Vans --- REFINEMENT" is
    "Voting Vans")."""
    text = _EDIT_WORD.sub(" ", _EDIT_GROUP.sub(" ", title))
    text = re.sub(r"[\[(<{][\W_]*[\])>}]", " ", text)
    text = re.sub(r"^[\W_]+|[\W_]+$", "", text)
    return re.sub(r"\s+", " ", text)


def original_title(concept: dict[str, Any]) -> str:
    """The title the concept was posted under: its id is the URL slug made from the first
    title ("people_s_radio" for "People's Radio - now with sound!", edited in refinement), so
    later edits of the title are not read."""
    slug = str(concept.get("id") or "")
    return re.sub(r"\s+", " ", re.sub(r"[_-]+", " ", slug)).strip()


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    for _, row in jsonl_rows(path):
        yield row


def _needed(path: Path, fields: tuple[str, ...], row: dict[str, Any]) -> dict[str, Any]:
    missing = [name for name in fields if name not in row]
    if missing:
        raise ValueError(f"{path}: a row lacks the field(s) {', '.join(missing)}: {row!r:.120}")
    return row


def _comment_time(text: str) -> str:
    """ "July 02, 2010, 10:30AM" as ISO text, comparable with the concepts' "created"."""
    # The snapshot's times are all naive, on one clock: comparing them needs no zone.
    return datetime.strptime(text, "%B %d, %Y, %I:%M%p").isoformat()  # noqa: DTZ007


def read_challenges(folder: Path) -> dict[int, Challenge]:
    """Challenges with at least one concept (inspirations are left out: they cannot win)."""
    paths = {}
    for name in ("concepts.jsonl", "comments.jsonl", "concept_links.csv"):
        found = find_file(folder, name)
        if found is None:
            raise FileNotFoundError(
                f"{folder} has no {name}.gz (or {name}): the ideas_openideo layout"
            )
        paths[name] = found
    challenges: dict[int, Challenge] = {}
    inspirations: dict[int, Counter[str]] = {}
    path = paths["concepts.jsonl"]
    for row in _lines(path):
        _needed(path, ("type", "challenge", "id", "creator"), row)
        if row["type"] == "concept":
            _needed(path, ("created", "winner"), row)
            challenges.setdefault(row["challenge"], Challenge(row["challenge"], [], [], []))
            challenges[row["challenge"]].concepts.append(row)
        else:
            inspirations.setdefault(row["challenge"], Counter())[row["creator"]] += 1
    seen: dict[frozenset[str], int] = {}
    for number in sorted(challenges):
        ids = frozenset(c["id"] for c in challenges[number].concepts)
        if ids in seen:  # the folder has challenge 21 as a copy of 15
            del challenges[number]
        else:
            seen[ids] = number
    for number, counts in inspirations.items():
        if number in challenges:
            challenges[number].inspirations = counts
    path = paths["comments.jsonl"]
    for row in _lines(path):
        _needed(path, ("challenge", "date", "concept_id", "user"), row)
        if row["challenge"] in challenges:
            try:
                row["time"] = _comment_time(row["date"])
            except ValueError as error:
                raise ValueError(f"{path}: {error}") from None
            challenges[row["challenge"]].comments.append(row)
    path = paths["concept_links.csv"]
    for link in csv_dicts(path):
        _needed(path, ("challenge", "source_concept", "target_concept"), link)
        if int(link["challenge"]) in challenges:
            challenges[int(link["challenge"])].links.append(
                (link["source_concept"], link["target_concept"])
            )
    return challenges


def _without_copies(
    test: dict[int, Challenge], train: dict[int, Challenge]
) -> dict[int, Challenge]:
    """The test challenges that are not a train challenge under another number (the shared
    folder has challenge 21 as a copy of 15: a split by number can put one on each side)."""
    seen = {frozenset(c["id"] for c in challenge.concepts) for challenge in train.values()}
    kept = {
        number: challenge
        for number, challenge in test.items()
        if frozenset(c["id"] for c in challenge.concepts) not in seen
    }
    if len(kept) < len(test):
        copies = sorted(set(test) - set(kept))
        sys.stderr.write(f"left out test challenge(s) {copies}: copies of train challenges\n")
    return kept


def split(challenges: dict[int, Challenge], seed: int = 0) -> tuple[list[int], list[int]]:
    """Development split of one folder: a salted hash of the challenge id, 20 % to the test;
    another `seed` draws another split."""
    salt = SPLIT_SALT if seed == 0 else f"{SPLIT_SALT}-{seed}"
    ordered = sorted(challenges, key=lambda c: hashlib.sha256(f"{salt}:{c}".encode()).hexdigest())
    n_test = max(1, round(len(ordered) * TEST_SHARE))
    return sorted(ordered[n_test:]), sorted(ordered[:n_test])


def _history(all_challenges: list[Challenge]) -> dict[str, list[tuple[str, bool]]]:
    """Each author's concepts as (the end of their challenge, won)."""
    history: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for challenge in all_challenges:
        end = challenge.last
        for concept in challenge.concepts:
            history[concept["creator"]].append((end, bool(concept["winner"])))
    return history


def features(
    challenge: Challenge, history: dict[str, list[tuple[str, bool]]], people: People
) -> tuple[np.ndarray, dict[str, list[float]]]:
    """One row per concept (in file order): FEATURES as ranks within the challenge, then the
    same as log(1 + value). Nothing dated after the challenge's last concept is read."""
    deadline, start = challenge.last, challenge.first
    decided = (datetime.fromisoformat(deadline) - DECIDED_AFTER).isoformat()
    ids = [c["id"] for c in challenge.concepts]
    author = {c["id"]: c["creator"] for c in challenge.concepts}
    early = [m for m in challenge.comments if m["time"] <= deadline and m["concept_id"] in author]
    support = [
        Support(m["user"], m["concept_id"], "reply")
        for m in early
        if m["user"] != author[m["concept_id"]]
    ]
    ranked = {r.idea: r.score for r in rank_ideas(support, ideas=ids)}
    comments = Counter(m["concept_id"] for m in early)
    own = Counter(m["concept_id"] for m in early if m["user"] == author[m["concept_id"]])
    given = Counter(m["user"] for m in early)
    staff = people.staff_company
    authors = set(author.values())
    by_others = [m for m in early if m["user"] != author[m["concept_id"]]]
    pairs = {(m["concept_id"], m["user"]) for m in by_others}
    staff_commenters = Counter(
        cid for cid, user in pairs if staff and people.company.get(user) == staff
    )
    veterans = Counter(cid for cid, user in pairs if people.joined.get(user, "9") < start)
    peers = Counter(cid for cid, user in pairs if user in authors)
    concepts_by = Counter(author.values())
    chars: Counter[str] = Counter()
    for m in by_others:
        chars[m["concept_id"]] += len(m.get("text") or "")
    featured = Counter(m["concept_id"] for m in early if _FEATURED.search(m.get("text") or ""))
    built_upon = Counter(target for _, target in challenge.links)
    builds_on = Counter(source for source, _ in challenge.links)
    raw: dict[str, list[float]] = defaultdict(list)
    for concept in challenge.concepts:
        cid, who = concept["id"], concept["creator"]
        past = [won for end, won in history.get(who, []) if end < decided]
        raw["platform_score"].append(ranked.get(cid, 0.0))
        raw["early_comments"].append(comments[cid])
        raw["author_replies"].append(own[cid])
        raw["author_comments_given"].append(given[who])
        raw["built_upon"].append(built_upon[cid])
        raw["builds_on"].append(builds_on[cid])
        raw["title_chars"].append(len(original_title(concept)))
        raw["description_chars"].append(len(concept.get("description") or ""))
        raw["author_past_concepts"].append(len(past))
        raw["author_past_wins"].append(sum(past))
        raw["staff_commenters"].append(staff_commenters[cid])
        raw["veteran_commenters"].append(veterans[cid])
        raw["peer_commenters"].append(peers[cid])
        raw["early_comment_chars"].append(chars[cid])
        opened = datetime.fromisoformat(concept["created"])
        raw["days_open"].append((datetime.fromisoformat(deadline) - opened).days)
        raw["author_concepts_here"].append(concepts_by[who])
        raw["author_inspirations_here"].append(challenge.inspirations[who])
        raw["featured"].append(featured[cid])
    n = len(ids)
    ranks = [rankdata(raw[name]) / n for name in FEATURES]
    logs = [np.log1p(np.asarray(raw[name], dtype=float)) for name in FEATURES]
    matrix = np.column_stack(ranks + logs)
    return matrix, raw


def _scores(y: np.ndarray, score: np.ndarray) -> tuple[float, float]:
    k = int(y.sum())
    top = np.argsort(-score, kind="stable")[:k]
    return float(roc_auc_score(y, score)), float(y[top].mean())


def _mean(rows: list[tuple[float, float]]) -> dict[str, float]:
    return {
        "auc": round(float(np.mean([r[0] for r in rows])), 3),
        "p_at_k": round(float(np.mean([r[1] for r in rows])), 3),
    }


def _texts(challenge: Challenge) -> list[str]:
    return [f"{original_title(c)}\n{c.get('description') or ''}" for c in challenge.concepts]


def _winners(challenge: Challenge) -> np.ndarray:
    return np.array([bool(c["winner"]) for c in challenge.concepts], dtype=float)


class TextModel:
    """Words of winning concepts (TF-IDF + logistic regression) learned on other challenges."""

    def __init__(self, challenges: list[Challenge]) -> None:
        self.vectorizer = TfidfVectorizer(stop_words="english", min_df=3, sublinear_tf=True)
        matrix = self.vectorizer.fit_transform([t for c in challenges for t in _texts(c)])
        self.model = LogisticRegression(C=0.3, max_iter=2000, class_weight="balanced")
        self.model.fit(matrix, np.concatenate([_winners(c) for c in challenges]))

    def columns(self, challenge: Challenge) -> np.ndarray:
        """Its score of each concept, as a rank within the challenge and as is."""
        score = self.model.decision_function(self.vectorizer.transform(_texts(challenge)))
        return np.column_stack([rankdata(score) / len(score), score])


Rows = list[tuple[float, float]]


def _rank_tests(
    train: dict[int, Challenge], test: dict[int, Challenge], people: People
) -> tuple[Rows, Rows, Rows, list[float]]:
    """(AUC, precision@k) per test challenge for ours, applause and comment count; weights."""
    history = _history([*train.values(), *test.values()])
    xs, ys = [], []
    fitting = tqdm(train.items(), desc="fitting", leave=False, file=sys.stderr)
    for number, challenge in fitting:
        matrix, _ = features(challenge, history, people)
        # The text model's column for a train challenge comes from the other train challenges,
        # so that the blend learns how much text is worth on challenges it did not see.
        others = TextModel([c for n, c in train.items() if n != number])
        xs.append(np.hstack([matrix, others.columns(challenge)]))
        ys.append(_winners(challenge))
    text = TextModel(list(train.values()))
    model = LogisticRegression(C=0.3, max_iter=3000)
    model.fit(np.vstack(xs), np.concatenate(ys))
    ours, applause, comment_count = [], [], []
    for challenge in test.values():
        y = _winners(challenge)
        if not 0 < y.sum() < len(y):
            continue
        matrix, _ = features(challenge, history, people)
        matrix = np.hstack([matrix, text.columns(challenge)])
        ours.append(_scores(y, model.predict_proba(matrix)[:, 1]))
        applause.append(_scores(y, np.array([c["applause"] or 0 for c in challenge.concepts])))
        comment_count.append(
            _scores(y, np.array([c["comment_count"] or 0 for c in challenge.concepts]))
        )
    return ours, applause, comment_count, model.coef_[0].tolist()


def evaluate(
    train: dict[int, Challenge],
    test: dict[int, Challenge],
    people: People,
    *,
    leave_one_out: bool = False,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Fit on `train`, rank `test`; with `leave_one_out`, rank every challenge of both with a
    model fitted on all the others (a steadier estimate than a few test challenges)."""
    if leave_one_out:
        everything = {**train, **test}
        ours, applause, comment_count, weights = [], [], [], []
        for number in tqdm(sorted(everything), desc="left out", file=sys.stderr):
            rest = {n: c for n, c in everything.items() if n != number}
            rows = _rank_tests(rest, {number: everything[number]}, people)
            ours += rows[0]
            applause += rows[1]
            comment_count += rows[2]
            weights.append(rows[3])
        coef = np.mean(weights, axis=0).tolist()
    else:
        ours, applause, comment_count, coef = _rank_tests(train, test, people)
    if not ours:
        raise ValueError("no test challenge has both winners and other concepts")
    # A challenge whose concepts all won, or none did, has no AUC: left out, and counted.
    skipped = len({**train, **test} if leave_one_out else test) - len(ours)
    result = {
        "n_challenges": len(ours),
        **_mean(ours),
        "baselines": {"applause": _mean(applause), "comment_count": _mean(comment_count)},
    }
    names = [f"{name}_rank" for name in FEATURES] + [f"{name}_log" for name in FEATURES]
    details = {
        "train_challenges": "all others" if leave_one_out else sorted(train),
        "test_challenges": sorted({**train, **test}) if leave_one_out else sorted(test),
        "skipped_without_winners_and_others": skipped,
        "weights": dict(
            zip(
                [*names, "text_rank", "text_score"],
                np.round(coef, 3).tolist(),
                strict=True,
            )
        ),
    }
    return result, details


def evaluate_splits(
    challenges: dict[int, Challenge], people: People, seeds: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """`seeds` different 80/20 splits of one folder's challenges: every test challenge of every
    split is one row of the means; the details give each split's AUC and their spread."""
    ours: Rows = []
    applause: Rows = []
    comment_count: Rows = []
    per_split: list[dict[str, Any]] = []
    aucs: list[float] = []
    for seed in tqdm(range(seeds), desc="splits", file=sys.stderr):
        train_ids, test_ids = split(challenges, seed)
        rows = _rank_tests(
            {c: challenges[c] for c in train_ids}, {c: challenges[c] for c in test_ids}, people
        )
        ours += rows[0]
        applause += rows[1]
        comment_count += rows[2]
        aucs.append(_mean(rows[0])["auc"])
        per_split.append(
            {
                "seed": seed,
                "test_challenges": test_ids,
                "auc": _mean(rows[0])["auc"],
                "applause_auc": _mean(rows[1])["auc"],
            }
        )
    result = {
        "n_challenges": len(ours),
        **_mean(ours),
        "baselines": {"applause": _mean(applause), "comment_count": _mean(comment_count)},
    }
    details = {"splits": per_split, "auc_sd_across_splits": round(float(np.std(aucs)), 3)}
    return result, details


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="cluetrain eval ideas",
        description="Rank each --test challenge's concepts with what existed before the decision "
        "(the platform's idea ranking over early replies, text, author history), fitted on the "
        "--train challenges, and print one JSON line: n_challenges, mean auc and p_at_k against "
        "the winners, and the same for applause and comment count (leaky baselines). The same "
        "folder for both splits its challenges 80/20 by a salted hash.",
    )
    parser.add_argument("--train", required=True, metavar="DIR", type=Path)
    parser.add_argument("--test", required=True, metavar="DIR", type=Path)
    parser.add_argument(
        "--leave-one-out",
        action="store_true",
        help="rank every challenge of both folders with a model fitted on all the others",
    )
    parser.add_argument(
        "--seeds",
        type=int,
        default=1,
        metavar="N",
        help="with the same folder for both: N different 80/20 splits of its challenges, every "
        "test challenge of every split counted once in the means",
    )
    options = parser.parse_args(argv)
    try:
        train = read_challenges(options.train)
        test = None
        if options.train.resolve() != options.test.resolve():
            test = _without_copies(read_challenges(options.test), train)
        people = read_people(options.train, options.test)
        if options.seeds > 1:
            if test is not None:
                raise ValueError("--seeds needs the same folder as --train and --test")
            result, details = evaluate_splits(train, people, options.seeds)
        else:
            if test is None:
                train_ids, test_ids = split(train)
                test = {c: train.pop(c) for c in test_ids}
                train = {c: train[c] for c in train_ids}
            result, details = evaluate(train, test, people, leave_one_out=options.leave_one_out)
    except (OSError, ValueError, KeyError) as error:
        sys.stderr.write(f"cluetrain eval ideas: {error}\n")
        return 2
    sys.stderr.write(json.dumps(details) + "\n")
    sys.stdout.write(json.dumps(result) + "\n")
    return 0
