"""Team formation: a small team that covers the skills a prospect needs, works well together and
resonates with the prospect.

Framework-free. The platform (or the lab) hands over a collaboration graph (people who answered
the same questions, commented on each other's posts, are connected or referred each other;
each edge has a ``cost``: short means they work together easily) and, per required skill, the
people qualified for it with an expertise in [0, 1] (1: the best for it). The established
formulations of team formation in social networks:

- ``"diameter"``: Lappas, Liu and Terzi (KDD 2009), RarestFirst: for each holder of the rarest
  skill, the nearest holder of every other skill; the team whose largest distance between two
  members (the diameter) is smallest.
- ``"steiner"``: Lappas, Liu and Terzi, EnhancedSteiner: one extra node per skill joined to its
  holders by a long edge, a Steiner tree over the skill nodes (networkx's approximation); the
  team is the holders the tree uses, ``mst_cost`` the cost of the tree between them.
- ``"sum_distance"``: Kargar and An (CIKM 2011): for each candidate as the team's centre, the
  nearest holder of every other skill; the team whose sum of distances between its members is
  smallest.

Expertise and the prospect enter the same objective: each member adds ``expertise_weight`` x
(1 - expertise) for each skill they cover and ``resonance_weight`` x (1 - resonance) once (shared
interests, place, an existing good relationship with the customer, as a score in [0, 1] the
caller computes). Only the ``top`` most expert holders of each skill are considered.

Distances are shortest paths in the graph (the ``weight`` edge attribute; None: hops). Two
people with no path between them are ``unreachable`` apart (by default one more than the
longest shortest path the graph has), and the team's ``disconnected`` counts such pairs.
"""

import itertools
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx  # type: ignore[import-untyped]
from networkx.algorithms.approximation import steiner_tree  # type: ignore[import-untyped]

__all__ = [
    "METHODS",
    "Candidate",
    "Costs",
    "Distances",
    "Member",
    "Swap",
    "Team",
    "TeamBuilder",
    "build_team",
    "reason_in_words",
    "round_distance",
    "swap_cost",
    "team_costs",
]

Person = Hashable
DistanceFn = Callable[[Person, Person], float]
METHODS = ("sum_distance", "diameter", "steiner")


@dataclass(frozen=True, slots=True)
class Candidate:
    """Someone qualified for a skill: `expertise` in [0, 1], `why` the evidence in words."""

    person: Person
    expertise: float = 1.0
    why: str = ""


@dataclass(frozen=True, slots=True)
class Costs:
    """Communication cost of a set of people in the graph.

    `diameter`: the largest distance between two of them; `sum_distance`: the sum over pairs;
    `mst_cost`: the minimum spanning tree over their pairwise distances; `disconnected`: the
    pairs with no path, counted at the unreachable distance in the three figures.
    """

    diameter: float
    sum_distance: float
    mst_cost: float
    disconnected: int


@dataclass(slots=True)
class Member:
    person: Person
    skills: tuple[str, ...]
    expertise: float  # mean over the skills they cover
    resonance: float
    reasons: list[str] = field(default_factory=list)
    #: The same reasons as (kind, values), for a caller that words them itself (in another
    #: language): ("covers", {"skill", "why"}), ("backs_up", {"skill", "why"}), ("added", {}),
    #: ("no_path", {}), ("nearest", {"distance"}), ("resonance", {"reason"}) and
    #: ("resonates", {"score"}); `reasons` is their English wording, in the same order.
    notes: list[tuple[str, dict[str, object]]] = field(default_factory=list)


@dataclass(slots=True)
class Team:
    method: str
    members: list[Member]
    covers: dict[str, Person]  # skill -> who covers it
    uncovered: tuple[str, ...]  # skills nobody qualified could be found for
    costs: Costs
    objective: float  # communication cost + expertise and resonance terms (lower is better)
    builder: "TeamBuilder" = field(repr=False, compare=False)

    @property
    def people(self) -> list[Person]:
        return [member.person for member in self.members]

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True, slots=True)
class Swap:
    """The team after a swap, and how each figure moved (after minus before)."""

    team: Team
    diameter: float
    sum_distance: float
    mst_cost: float
    objective: float
    uncovered: tuple[str, ...]


class Distances:
    """Shortest-path distances in a graph, computed per source on demand and kept."""

    def __init__(
        self, graph: nx.Graph, *, weight: str | None = "cost", unreachable: float | None = None
    ) -> None:
        self.graph = graph
        self.weight = weight
        self._unreachable = unreachable
        self._lengths: dict[Person, dict[Person, float]] = {}

    @property
    def unreachable(self) -> float:
        """The distance between people with no path between them."""
        if self._unreachable is None:
            self._unreachable = 1.0 + _longest_shortest_path(self.graph, self.weight)
        return self._unreachable

    def __call__(self, a: Person, b: Person) -> float:
        if a == b:
            return 0.0
        if a not in self.graph or b not in self.graph:
            return self.unreachable
        if a not in self._lengths:
            self._lengths[a] = nx.single_source_dijkstra_path_length(
                self.graph, a, weight=self.weight
            )
        return float(self._lengths[a].get(b, self.unreachable))


class TeamBuilder:
    """A collaboration graph and the qualified people per skill, ready to propose teams."""

    def __init__(
        self,
        graph: nx.Graph,
        experts_per_skill: Mapping[str, Sequence[Candidate]],
        *,
        weight: str | None = "cost",
        expertise_weight: float = 1.0,
        resonance: Mapping[Person, float] | None = None,
        resonance_reasons: Mapping[Person, str] | None = None,
        resonance_weight: float = 1.0,
        top: int = 10,
        unreachable: float | None = None,
        distances: "Distances | None" = None,
    ) -> None:
        self.graph = graph
        self.weight = weight
        self.expertise_weight = expertise_weight
        self.resonance = dict(resonance or {})
        self.resonance_reasons = dict(resonance_reasons or {})
        self.resonance_weight = resonance_weight
        # Per skill, its best holders: {person: Candidate}, most expert first.
        self.holders: dict[str, dict[Person, Candidate]] = {}
        self.supply: dict[str, int] = {}
        for skill, candidates in experts_per_skill.items():
            best: dict[Person, Candidate] = {}
            for candidate in sorted(candidates, key=lambda c: -c.expertise):
                if candidate.person not in best:
                    best[candidate.person] = candidate
            self.holders[skill] = dict(itertools.islice(best.items(), top))
            self.supply[skill] = len(best)  # before the cut: how rare the skill really is
        self.distances = distances or Distances(graph, weight=weight, unreachable=unreachable)

    # -- distances ------------------------------------------------------------------------

    @property
    def unreachable(self) -> float:
        return self.distances.unreachable

    def distance(self, a: Person, b: Person) -> float:
        return self.distances(a, b)

    def costs(self, people: Iterable[Person]) -> Costs:
        return team_costs(people, self.distances, self.unreachable)

    # -- the objective ----------------------------------------------------------------------

    def _skill_cost(self, skill: str, person: Person) -> float:
        candidate = self.holders[skill].get(person)
        if candidate is None:
            return float("inf")
        return self.expertise_weight * (1.0 - candidate.expertise)

    def _resonance_cost(self, person: Person) -> float:
        return self.resonance_weight * (1.0 - self.resonance.get(person, 0.0))

    def _backup_cost(self, person: Person) -> float:
        """A member beyond the cover pays for the skill they know best (staff added: 0)."""
        known = [c.expertise for h in self.holders.values() if (c := h.get(person))]
        return self.expertise_weight * (1.0 - max(known, default=1.0))

    def _objective(
        self, method: str, covers: Mapping[str, Person], extra: Sequence[Person], costs: Costs
    ) -> float:
        communication = {
            "diameter": costs.diameter,
            "sum_distance": costs.sum_distance,
            "steiner": costs.mst_cost,
        }[method]
        people = {*covers.values(), *extra}
        return (
            communication
            + sum(self._skill_cost(skill, person) for skill, person in covers.items())
            + sum(self._backup_cost(p) for p in extra)
            + (sum(self._resonance_cost(p) for p in people) if self.resonance else 0.0)
        )

    def _nearest(self, skill: str, anchor: Person) -> Person:
        """The holder of `skill` cheapest to add next to `anchor` (distance and expertise)."""
        return min(
            self.holders[skill],
            key=lambda p: (
                self.distance(anchor, p)
                + self._skill_cost(skill, p)
                + (self._resonance_cost(p) if self.resonance and p != anchor else 0.0),
                repr(p),
            ),
        )

    # -- building ---------------------------------------------------------------------------

    def build(
        self,
        skills: Sequence[str],
        *,
        method: str = "sum_distance",
        min_size: int | None = None,
        max_size: int | None = None,
    ) -> Team:
        """The team for `skills` by `method` (see the module's docstring).

        With `max_size`, at most that many members: the ones covering the most skills, a kept
        member taking over a dropped one's skill where qualified, the rest left `uncovered`.
        With `min_size`, at least that many (as far as there are holders): the holders cheapest
        to add (communication cost and expertise) join as backups.
        """
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
        if min_size is not None and max_size is not None and min_size > max_size:
            raise ValueError(f"min_size {min_size} is above max_size {max_size}")
        team = self._cover(list(dict.fromkeys(skills)), method)
        if max_size is not None and team.size > max_size:
            team = self._trim(team, max_size)
        if min_size is not None:
            while team.size < min_size and (grown := self._grow(team)) is not None:
                team = grown
        return team

    def _cover(self, wanted: list[str], method: str) -> Team:
        coverable = [s for s in wanted if self.holders.get(s)]
        uncovered = tuple(s for s in wanted if s not in coverable)
        if not coverable:
            return self.team(method, {}, uncovered)
        if method == "steiner":
            return self.team(method, self._steiner(coverable), uncovered)
        if method == "diameter":
            # RarestFirst: the team grows around the holders of the rarest skill.
            rarest = min(coverable, key=lambda s: (self.supply[s], s))
            anchors: Iterable[Person] = self.holders[rarest]
        else:
            anchors = dict.fromkeys(p for s in coverable for p in self.holders[s])
        best: Team | None = None
        for anchor in anchors:
            covers = {
                skill: anchor if anchor in self.holders[skill] else self._nearest(skill, anchor)
                for skill in coverable
            }
            team = self.team(method, covers, uncovered)
            if best is None or (team.objective, team.size) < (best.objective, best.size):
                best = team
        assert best is not None
        return best

    def _steiner(self, skills: Sequence[str]) -> dict[str, Person]:
        """EnhancedSteiner: skill nodes joined to their holders by edges longer than any path,
        so the tree enters each skill once; its holders there are the team."""
        augmented = nx.Graph()
        for a, b, data in self.graph.edges(data=True):
            augmented.add_edge(a, b, cost=float(data.get(self.weight, 1.0)) if self.weight else 1.0)
        long_edge = self.unreachable * (len(skills) + 1)
        for skill in skills:
            for person in self.holders[skill]:
                augmented.add_edge(
                    ("skill", skill), person, cost=long_edge + self._skill_cost(skill, person)
                )
        # The tree spans the component holding the most skill nodes.
        terminals = [("skill", s) for s in skills]
        reachable = max(
            (_component(augmented, t) for t in terminals),
            key=lambda nodes: sum(t in nodes for t in terminals),
        )
        tree_terminals = [t for t in terminals if t in reachable]
        covers: dict[str, Person] = {}
        if len(tree_terminals) > 1:
            tree = steiner_tree(augmented.subgraph(reachable), tree_terminals, weight="cost")
            for skill in skills:
                node = ("skill", skill)
                if node in tree:
                    covers[skill] = min(
                        tree.neighbors(node), key=lambda p: (self._skill_cost(skill, p), repr(p))
                    )
        # A skill outside the tree (a lone skill, or one in another component): its best
        # holder, nearest to the team so far.
        for skill in skills:
            if skill not in covers:
                anchor = next(iter(covers.values()), None)
                covers[skill] = (
                    self._nearest(skill, anchor)
                    if anchor is not None
                    else min(
                        self.holders[skill], key=lambda p: (self._skill_cost(skill, p), repr(p))
                    )
                )
        return covers

    def team(
        self,
        method: str,
        covers: Mapping[str, Person],
        uncovered: tuple[str, ...] = (),
        extra: Sequence[Person] = (),
    ) -> Team:
        """The team in which `covers[skill]` covers each skill, and `extra` people back them
        up (or were added by staff), with its costs and each member's reasons."""
        people = list(dict.fromkeys([*covers.values(), *extra]))
        costs = self.costs(people)
        members = []
        for person in people:
            skills = tuple(s for s, p in covers.items() if p == person)
            backs = tuple(
                s for s in covers if s not in skills and person in self.holders.get(s, {})
            )
            expertise = [self.holders[s][person].expertise for s in skills or backs]
            notes: list[tuple[str, dict[str, object]]] = []
            for kind, held in (("covers", skills), ("backs_up", backs)):
                notes += [
                    (kind, {"skill": skill, "why": self.holders[skill][person].why})
                    for skill in held
                ]
            if not skills and not backs:
                notes.append(("added", {}))
            others = [p for p in people if p != person]
            if others:
                nearest = min(others, key=lambda p: self.distance(person, p))
                d = self.distance(person, nearest)
                notes.append(
                    ("no_path", {}) if d >= self.unreachable else ("nearest", {"distance": d})
                )
            resonance = self.resonance.get(person, 0.0)
            if person in self.resonance_reasons:
                notes.append(("resonance", {"reason": self.resonance_reasons[person]}))
            elif resonance > 0:
                notes.append(("resonates", {"score": resonance}))
            members.append(
                Member(
                    person=person,
                    skills=skills,
                    expertise=sum(expertise) / len(expertise) if expertise else 0.0,
                    resonance=resonance,
                    reasons=[reason_in_words(kind, values) for kind, values in notes],
                    notes=notes,
                )
            )
        return Team(
            method=method,
            members=members,
            covers=dict(covers),
            uncovered=uncovered,
            costs=costs,
            objective=self._objective(method, covers, people[len(set(covers.values())) :], costs),
            builder=self,
        )

    def _extra(self, team: Team) -> list[Person]:
        return [p for p in team.people if p not in team.covers.values()]

    def _grow(self, team: Team) -> Team | None:
        """`team` and the holder of a wanted skill cheapest to add, or None if none is left."""
        options = dict.fromkeys(
            p for skill in team.covers for p in self.holders[skill] if p not in team.people
        )
        grown = [
            self.team(team.method, team.covers, team.uncovered, [*self._extra(team), p])
            for p in options
        ]
        return min(grown, key=lambda t: (t.objective, repr(t.people[-1])), default=None)

    def _trim(self, team: Team, max_size: int) -> Team:
        kept = sorted(team.members, key=lambda m: (-len(m.skills), -m.expertise))[:max_size]
        kept_people = [m.person for m in kept]
        covers: dict[str, Person] = {}
        lost = list(team.uncovered)
        for skill, person in team.covers.items():
            if person in kept_people:
                covers[skill] = person
            elif qualified := [p for p in kept_people if p in self.holders[skill]]:
                covers[skill] = min(qualified, key=lambda p: (self._skill_cost(skill, p), repr(p)))
            else:
                lost.append(skill)
        return self.team(team.method, covers, tuple(lost))

    def swap(self, team: Team, out: Person, in_: Person) -> Swap:
        """`team` with `in_` in place of `out`: `in_` takes the skills of `out` they hold, other
        members the rest where they can; what nobody left can cover is `uncovered`."""
        if out not in team.people:
            raise ValueError(f"{out!r} is not in the team")
        if in_ in team.people:
            raise ValueError(f"{in_!r} is already in the team")
        covers: dict[str, Person] = {}
        stay = [p for p in team.people if p != out]
        lost = list(team.uncovered)
        for skill, person in team.covers.items():
            if person != out:
                covers[skill] = person
            elif in_ in self.holders.get(skill, {}):
                covers[skill] = in_
            elif qualified := [p for p in stay if p in self.holders.get(skill, {})]:
                covers[skill] = min(qualified, key=lambda p: (self._skill_cost(skill, p), repr(p)))
            else:
                lost.append(skill)
        extra = [p for p in self._extra(team) if p != out]
        if in_ not in covers.values():  # covers nothing, but staff want them there
            extra.append(in_)
        after = self.team(team.method, covers, tuple(lost), extra)
        return Swap(
            team=after,
            diameter=after.costs.diameter - team.costs.diameter,
            sum_distance=after.costs.sum_distance - team.costs.sum_distance,
            mst_cost=after.costs.mst_cost - team.costs.mst_cost,
            objective=after.objective - team.objective,
            uncovered=after.uncovered,
        )


def reason_in_words(kind: str, values: Mapping[str, object]) -> str:
    """A member's reason (`Member.notes`) in English; distances to one decimal ("1.1")."""
    why = values.get("why")
    if kind == "covers":
        return f"covers {values['skill']}" + (f": {why}" if why else "")
    if kind == "backs_up":
        return f"backs up {values['skill']}" + (f": {why}" if why else "")
    if kind == "added":
        return "added by staff"
    if kind == "no_path":
        return "no path to the rest of the team"
    if kind == "nearest":
        distance = values["distance"]
        assert isinstance(distance, int | float)
        return f"{round_distance(distance)} from the nearest teammate"
    if kind == "resonance":
        return str(values["reason"])
    if kind == "resonates":
        score = values["score"]
        assert isinstance(score, int | float)
        return f"resonates with the prospect ({score:.2f})"
    raise ValueError(f"unknown reason {kind!r}")


def round_distance(distance: float) -> str:
    """A distance for people to read: one decimal, none when whole ("1.1", "2")."""
    return f"{round(distance, 1):g}"


def build_team(
    skills: Sequence[str],
    graph: nx.Graph,
    experts_per_skill: Mapping[str, Sequence[Candidate]],
    *,
    method: str = "sum_distance",
    resonance: Mapping[Person, float] | None = None,
    resonance_reasons: Mapping[Person, str] | None = None,
    min_size: int | None = None,
    max_size: int | None = None,
    weight: str | None = "cost",
    expertise_weight: float = 1.0,
    resonance_weight: float = 1.0,
    top: int = 10,
    unreachable: float | None = None,
) -> Team:
    """The team covering `skills` (see `TeamBuilder` and `TeamBuilder.build`)."""
    builder = TeamBuilder(
        graph,
        experts_per_skill,
        weight=weight,
        expertise_weight=expertise_weight,
        resonance=resonance,
        resonance_reasons=resonance_reasons,
        resonance_weight=resonance_weight,
        top=top,
        unreachable=unreachable,
    )
    return builder.build(skills, method=method, min_size=min_size, max_size=max_size)


def swap_cost(team: Team, out: Person, in_: Person) -> Swap:
    """How the team's costs change when staff put `in_` in place of `out`."""
    return team.builder.swap(team, out, in_)


def team_costs(
    people: Iterable[Person],
    distance: DistanceFn,
    unreachable: float,
) -> Costs:
    """Diameter, sum of pairwise distances and MST cost of `people` under `distance`."""
    people = list(dict.fromkeys(people))
    if len(people) < 2:
        return Costs(0.0, 0.0, 0.0, 0)
    closure = nx.Graph()
    disconnected = 0
    for a, b in itertools.combinations(people, 2):
        d = distance(a, b)
        disconnected += d >= unreachable
        closure.add_edge(a, b, d=d)
    lengths = [d for _, _, d in closure.edges(data="d")]
    tree = nx.minimum_spanning_tree(closure, weight="d")
    return Costs(
        diameter=max(lengths),
        sum_distance=sum(lengths),
        mst_cost=float(tree.size(weight="d")),
        disconnected=disconnected,
    )


def _component(graph: nx.Graph, node: Person) -> set[Person]:
    return set(nx.node_connected_component(graph, node))


def _longest_shortest_path(graph: nx.Graph, weight: str | None) -> float:
    """The longest shortest path: exact on small components, on larger ones the double-sweep
    lower bound (the farthest node from the farthest node of any node)."""
    longest = 0.0
    for nodes in nx.connected_components(graph):
        if len(nodes) < 2:
            continue
        component = graph.subgraph(nodes)
        if len(nodes) <= 200:
            longest = max(longest, float(nx.diameter(component, weight=weight)))
            continue
        start = min(nodes, key=repr)
        for _ in range(2):
            lengths = nx.single_source_dijkstra_path_length(component, start, weight=weight)
            start = max(lengths, key=lambda n: (lengths[n], repr(n)))
        longest = max(longest, float(lengths[start]))
    return longest
