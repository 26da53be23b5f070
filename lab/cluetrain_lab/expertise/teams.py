"""`cluetrain eval teams`: propose a team for each test question of a Stack Exchange dump, its
tags as the skills, in the collaboration graph of the train dump.

The collaboration graph (train only): an edge between the asker and each answerer of a
question, between two answerers of the same question, and between a commenter and the owner of
the post they commented on; distances are hops. A person is qualified for a tag when they
answered a train question carrying it; their expertise for the tag blends the expert finder's
score for the test question (fitted on train, as in `eval experts`) relative to the best
qualified person, exp(score - best score), with their answers on the tag relative to the most,
log(1 + answers) / log(1 + most). The asker is never on their own question's team.

Baselines in the same run: `top_expert_per_skill`, for each tag the person with the most answers
on it in train (then accepted answers, then votes), no cost term; `random_qualified`, as many
people as our team drawn (seeded) from those qualified for at least one of the tags.

Scored on every test question with at least one tag somebody in train is qualified for and at
least one answer by a train answerer (nobody else can be on a team, so no team could hit it).
Per team: `coverage` (share of the question's coverable tags for which a member is qualified),
`diameter` and `sum_distance` (largest and summed distance between two members; a pair with no
path counts as one more than the longest shortest path in the graph), `size`, `hit` (a member
answered the question in the test dump).
"""

import random
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx  # type: ignore[import-untyped]
import numpy as np

from cluetrain_analytics.expertise import ExpertFinder, Query
from cluetrain_analytics.teams import Candidate, Distances, TeamBuilder
from cluetrain_lab.expertise.evaluate import fitted_finder
from cluetrain_lab.expertise.stackexchange import Dump

Person = Hashable
KEYS = ("coverage", "diameter", "sum_distance", "size", "hit")


def collaboration_graph(dump: Dump) -> nx.Graph:
    """People as nodes; `interactions` counts what joined two people, `cost` is one hop."""
    together: Counter[tuple[str, str]] = Counter()

    def join(a: str | None, b: str | None) -> None:
        if a is not None and b is not None and a != b:
            together[(a, b) if a < b else (b, a)] += 1

    answerers: dict[str, list[str]] = {}
    for answer in dump.answers.values():
        if answer.owner is not None:
            answerers.setdefault(answer.question, []).append(answer.owner)
    for question_id, people in answerers.items():
        question = dump.questions.get(question_id)
        for i, person in enumerate(people):
            join(question.owner if question else None, person)
            for other in people[i + 1 :]:
                join(person, other)
    owners = {q.id: q.owner for q in dump.questions.values()}
    owners.update({a.id: a.owner for a in dump.answers.values()})
    for comment in dump.comments:
        join(comment.user, owners.get(comment.post))
    graph = nx.Graph()
    for (a, b), n in together.items():
        graph.add_edge(a, b, interactions=n, cost=1.0)
    return graph


@dataclass(frozen=True, slots=True)
class Case:
    query: Query
    answerers: frozenset[str]


def cases(test: Dump) -> list[Case]:
    """Each test question as a query (the commenters before its first answer are engaged),
    with the people who answered it."""
    answers: dict[str, list[tuple[Any, str]]] = {}
    for answer in test.answers.values():
        if answer.owner is not None:
            answers.setdefault(answer.question, []).append((answer.at, answer.owner))
    comments: dict[str, list[tuple[Any, str]]] = {}
    for comment in test.comments:
        if comment.user is not None:
            comments.setdefault(comment.post, []).append((comment.at, comment.user))
    found = []
    for question in sorted(test.questions.values(), key=lambda q: int(q.id)):
        given = answers.get(question.id, [])
        if not given:
            continue
        first = min(at for at, _ in given)
        engaged = tuple(
            dict.fromkeys(u for at, u in sorted(comments.get(question.id, [])) if at < first)
        )
        query = Query(
            text=question.text,
            tags=question.tags,
            at=question.at,
            asker=question.owner,
            engaged=engaged,
            query_id=question.id,
        )
        found.append(Case(query, frozenset(owner for _, owner in given)))
    return found


def _team_figures(
    people: Sequence[Person],
    skills: Sequence[str],
    qualified: dict[str, set[Person]],
    answerers: frozenset[str],
    distances: Distances,
) -> dict[str, float]:
    costs = TeamBuilder(distances.graph, {}, distances=distances).costs(people)
    covered = sum(any(p in qualified[s] for p in people) for s in skills)
    return {
        "coverage": covered / len(skills),
        "diameter": costs.diameter,
        "sum_distance": costs.sum_distance,
        "size": float(len(people)),
        "hit": float(any(p in answerers for p in people)),
        "disconnected": float(costs.disconnected > 0),
    }


def _mean(rows: list[dict[str, float]]) -> dict[str, float | None]:
    """Each figure's mean; null when no question was scored (undefined, not zero)."""
    return {key: round(float(np.mean([r[key] for r in rows])), 4) if rows else None for key in KEYS}


def evaluate_teams(
    train: Dump,
    test: Dump,
    *,
    method: str = "sum_distance",
    expertise_weight: float = 2.0,
    top: int = 10,
    tag_share: float = 0.5,
    match_size: bool = True,
    seed: int = 0,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The JSON result, and details for the log (graph, unreachable distance, coverable tags,
    teams with a disconnected pair).

    `method`, `expertise_weight` and `top` go to `TeamBuilder`; `tag_share` is the part of a
    candidate's expertise that comes from their answers on the tag (the rest from the expert
    finder's score for the question). With `match_size`, each of our teams has as many members
    as the top-expert-per-skill team for the same question (hit grows with team size: the
    comparison is at equal size); without, the builder's own size.
    """
    finder = fitted_finder(train)
    graph = collaboration_graph(train)
    distances = Distances(graph, weight="cost")
    index = {person: i for i, person in enumerate(finder.people)}
    qualified: dict[str, set[Person]] = {}
    rng = random.Random(seed)
    rows: dict[str, list[dict[str, float]]] = {
        "ours": [],
        "top_expert_per_skill": [],
        "random_qualified": [],
    }
    tags_seen = tags_coverable = 0
    for case in cases(test):
        query = case.query
        skills = list(dict.fromkeys(t.lower() for t in query.tags))
        for skill in skills:
            if skill not in qualified:
                counts = finder.tag_counts([skill])[0]
                qualified[skill] = {finder.people[i] for i in np.flatnonzero(counts > 0)}
        coverable = [s for s in skills if qualified[s] - {query.asker}]
        if not coverable or not case.answerers & index.keys():
            continue
        tags_seen += len(skills)
        tags_coverable += len(coverable)
        scores = finder.scores(query)  # the asker at -inf: never on their own team
        experts = {
            s: _candidates(finder, index, scores, s, qualified[s], tag_share) for s in coverable
        }
        builder = TeamBuilder(
            graph,
            experts,
            expertise_weight=expertise_weight,
            top=top,
            distances=distances,
        )
        top_per_skill = list(
            dict.fromkeys(_top_answerer(finder, s, query.asker) for s in coverable)
        )
        size = len(top_per_skill) if match_size else None
        ours = builder.build(coverable, method=method, min_size=size, max_size=size).people
        pool = sorted(set().union(*(qualified[s] for s in coverable)) - {query.asker}, key=str)
        random_team = rng.sample(pool, min(len(ours), len(pool)))
        teams: tuple[tuple[str, Sequence[Person]], ...] = (
            ("ours", ours),
            ("top_expert_per_skill", top_per_skill),
            ("random_qualified", random_team),
        )
        for name, people in teams:
            rows[name].append(
                _team_figures(people, coverable, qualified, case.answerers, distances)
            )
    result = {
        "n": len(rows["ours"]),
        **_mean(rows["ours"]),
        "baselines": {
            "top_expert_per_skill": _mean(rows["top_expert_per_skill"]),
            "random_qualified": _mean(rows["random_qualified"]),
        },
    }
    paired = [
        (o["hit"], t["hit"])
        for o, t in zip(rows["ours"], rows["top_expert_per_skill"], strict=True)
    ]
    details = {
        "method": method,
        "graph": {"people": graph.number_of_nodes(), "edges": graph.number_of_edges()},
        "unreachable_distance": distances.unreachable,
        "tags": tags_seen,
        "tags_coverable": tags_coverable,
        # Paired: questions only our team hits, and only the top-expert-per-skill team hits.
        "hit_only_ours": sum(o > t for o, t in paired),
        "hit_only_top_expert_per_skill": sum(o < t for o, t in paired),
        "disconnected_teams": {
            name: int(sum(r["disconnected"] for r in team_rows)) for name, team_rows in rows.items()
        },
    }
    return result, details


def _candidates(
    finder: ExpertFinder,
    index: dict[Person, int],
    scores: np.ndarray[Any, np.dtype[np.float64]],
    skill: str,
    qualified: set[Person],
    tag_share: float,
) -> list[Candidate]:
    """The qualified people with their expertise in [0, 1]: the finder's score relative to the
    best, exp(score - best), blended with their answers on the tag relative to the most."""
    people = [p for p in qualified if np.isfinite(scores[index[p]])]
    if not people:
        return []
    best = max(scores[index[p]] for p in people)
    counts = finder.tag_counts([skill])[0]
    most = max(counts[index[p]] for p in people)
    return [
        Candidate(
            person=p,
            expertise=float(
                (1 - tag_share) * np.exp(scores[index[p]] - best)
                + tag_share * np.log1p(counts[index[p]]) / np.log1p(most)
            ),
            why=f"{int(counts[index[p]])} answers on {skill}",
        )
        for p in people
    ]


def _top_answerer(finder: ExpertFinder, skill: str, asker: Person) -> Person:
    """Most answers on the tag, then most accepted, then most votes (the asker excluded)."""
    answers, accepted, votes = finder.tag_counts([skill])
    order = np.lexsort((-votes, -accepted, -answers))
    for i in order.tolist():
        person: Person = finder.people[i]
        if person != asker and answers[i] > 0:
            return person
    raise ValueError(f"nobody qualified for {skill}")
