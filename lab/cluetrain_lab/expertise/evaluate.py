"""`cluetrain eval experts`: rank who will give a question's accepted answer, on a Stack
Exchange dump split into a train folder and a test folder.

Learned from the train folder only. From the test folder, each question's title, body, tags,
date and asker, and who commented on the question itself before its first answer (who is
already looking at it while it is still unanswered); never its answers (their dates serve only
as that cut-off). Scored on every test question whose accepted
answer's author answered at least once in train (the candidates are the train answerers).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cluetrain_analytics.expertise import (
    Contribution,
    ExpertFinder,
    Query,
    fit_on_history,
    rank_of,
)
from cluetrain_lab.expertise.stackexchange import Dump


@dataclass(frozen=True, slots=True)
class Case:
    query: Query
    truth: str


def contributions(dump: Dump, *, skip: frozenset[str] = frozenset()) -> list[Contribution]:
    """Every train answer as a contribution, with the question it answered (`skip` leaves out
    those questions' answers)."""
    found = []
    for answer in dump.answers.values():
        question = dump.questions.get(answer.question)
        if question is None or answer.owner is None or question.id in skip:
            continue
        found.append(
            Contribution(
                person=answer.owner,
                kind="answer",
                text=answer.body,
                context=question.text,
                context_id=question.id,
                context_person=question.owner,
                context_at=question.at,
                tags=question.tags,
                at=answer.at,
                accepted=question.accepted_answer == answer.id,
                votes=dump.votes.get(answer.id, 0),
                ref=answer.id,
            )
        )
    return found


def _commenters(dump: Dump) -> dict[str, list[tuple[Any, str]]]:
    engaged: dict[str, list[tuple[Any, str]]] = {}
    for comment in dump.comments:
        if comment.user is not None:
            engaged.setdefault(comment.post, []).append((comment.at, comment.user))
    return engaged


def cases(dump: Dump) -> list[Case]:
    """Questions with an accepted answer in the same dump, as queries with their truth."""
    engaged = _commenters(dump)
    first: dict[str, Any] = {}
    for reply in dump.answers.values():
        if reply.question not in first or reply.at < first[reply.question]:
            first[reply.question] = reply.at
    found = []
    for question in sorted(dump.questions.values(), key=lambda q: int(q.id)):
        answer = dump.answers.get(question.accepted_answer or "")
        if answer is None or answer.owner is None:
            continue
        # What the product knows while the question is open: comments before its first answer.
        before = tuple(
            dict.fromkeys(
                user for at, user in engaged.get(question.id, []) if at < first[question.id]
            )
        )
        query = Query(
            text=question.text,
            tags=question.tags,
            at=question.at,
            asker=question.owner,
            engaged=before,
            query_id=question.id,
        )
        found.append(Case(query, answer.owner))
    return found


def fitted_finder(train: Dump) -> ExpertFinder:
    """The finder over all of train, its ranker fitted on the train questions with an accepted
    answer, each from what came before it (`fit_on_history`, the code the platform fits its
    ranker with)."""
    train_cases = [(case.query, (case.truth,)) for case in cases(train)]
    return fit_on_history(contributions(train), train_cases)


def _metrics(ranks: Sequence[int]) -> dict[str, float | None]:
    n = len(ranks)
    if not n:  # no question scored: the figures are undefined, not zero
        return {"p_at_1": None, "mrr": None, "ndcg_at_10": None, "hit_at_10": None}
    return {
        "p_at_1": round(sum(r == 1 for r in ranks) / n, 4),
        "mrr": round(sum(1 / r for r in ranks) / n, 4),
        "ndcg_at_10": round(sum(1 / math.log2(r + 1) for r in ranks if r <= 10) / n, 4),
        "hit_at_10": round(sum(r <= 10 for r in ranks) / n, 4),
    }


def evaluate_experts(train: Dump, test: Dump) -> dict[str, Any]:
    finder = fitted_finder(train)
    index = {person: i for i, person in enumerate(finder.people)}
    scored = [case for case in cases(test) if case.truth in index]
    ranks: dict[str, list[int]] = {"ours": [], "tag_overlap": [], "bm25": []}
    for case in scored:
        truth = index[case.truth]
        by_method = {
            # Self-answers are accepted answers too: the asker stays a candidate here.
            "ours": finder.scores(case.query, exclude_asker=False),
            "tag_overlap": finder.tag_counts(case.query.tags)[0].copy(),
            "bm25": finder.bm25_scores(case.query.text).copy(),
        }
        for name, scores in by_method.items():
            ranks[name].append(rank_of(scores, truth))
    ours = _metrics(ranks["ours"])
    return {
        "n": len(scored),
        **ours,
        "baselines": {
            "tag_overlap": _metrics(ranks["tag_overlap"]),
            "bm25": _metrics(ranks["bm25"]),
        },
    }
