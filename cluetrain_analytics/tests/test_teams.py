"""Team formation on small graphs built here, checked against brute force where it can be."""

import itertools
import random
from collections.abc import Hashable

import networkx as nx  # type: ignore[import-untyped]
import pytest

from cluetrain_analytics.teams import (
    Candidate,
    Distances,
    TeamBuilder,
    build_team,
    round_distance,
    swap_cost,
    team_costs,
)


def path_graph(*people: str) -> nx.Graph:
    graph = nx.Graph()
    for a, b in itertools.pairwise(people):
        graph.add_edge(a, b, cost=1.0)
    return graph


def holders(**skills: str) -> dict[str, list[Candidate]]:
    """`qubit="a b"`: a and b hold qubit, both fully expert."""
    return {skill: [Candidate(p) for p in people.split()] for skill, people in skills.items()}


def brute_force(
    graph: nx.Graph, experts: dict[str, list[Candidate]], figure: str
) -> tuple[float, set[Hashable]]:
    """The best `figure` over every choice of one holder per skill."""
    distances = Distances(graph)
    best: tuple[float, set[Hashable]] = (float("inf"), set())
    for choice in itertools.product(*([c.person for c in cs] for cs in experts.values())):
        costs = team_costs(choice, distances, distances.unreachable)
        value = getattr(costs, figure)
        if value < best[0]:
            best = (value, set(choice))
    return best


def test_every_skill_is_covered_by_someone_qualified() -> None:
    graph = path_graph("a", "b", "c", "d", "e")
    experts = holders(qubit="a e", gate="b", noise="d e")
    for method in ("sum_distance", "diameter", "steiner"):
        team = build_team(["qubit", "gate", "noise"], graph, experts, method=method)
        assert set(team.covers) == {"qubit", "gate", "noise"}
        for skill, person in team.covers.items():
            assert person in {c.person for c in experts[skill]}
        assert team.uncovered == ()
        assert set(team.people) == set(team.covers.values())


def test_a_skill_nobody_holds_is_reported_uncovered() -> None:
    team = build_team(["qubit", "crypto"], path_graph("a", "b"), holders(qubit="a"))
    assert team.covers == {"qubit": "a"}
    assert team.uncovered == ("crypto",)


def test_one_person_holding_every_skill_is_the_whole_team() -> None:
    graph = path_graph("a", "b", "c")
    team = build_team(["qubit", "gate"], graph, holders(qubit="a b", gate="b c"))
    assert team.people == ["b"]
    assert team.costs.diameter == team.costs.sum_distance == 0


def test_the_team_members_are_close_together() -> None:
    # gate is held at both ends; the team takes the holder next to the qubit holder.
    graph = path_graph("g1", "x", "x2", "x3", "q", "g2")
    team = build_team(["qubit", "gate"], graph, holders(qubit="q", gate="g1 g2"))
    assert set(team.people) == {"q", "g2"}
    assert team.costs.diameter == 1


def test_team_costs_match_shortest_paths() -> None:
    graph = nx.cycle_graph(7)
    people = [0, 2, 5]
    costs = team_costs(people, Distances(graph, weight=None), 99)
    pairs = [nx.shortest_path_length(graph, a, b) for a, b in itertools.combinations(people, 2)]
    assert costs.diameter == max(pairs) == 3
    assert costs.sum_distance == sum(pairs) == 7
    assert costs.mst_cost == 2 + 2  # 5-0 and 0-2
    assert costs.disconnected == 0


@pytest.mark.parametrize("seed", range(6))
def test_diameter_and_sum_distance_against_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    graph = nx.connected_watts_strogatz_graph(14, 4, 0.3, seed=seed)
    nx.set_edge_attributes(graph, 1.0, "cost")
    experts = {
        skill: [Candidate(p) for p in rng.sample(sorted(graph), 3)]
        for skill in ("qubit", "gate", "noise")
    }
    for method, figure in (("diameter", "diameter"), ("sum_distance", "sum_distance")):
        optimum, _ = brute_force(graph, experts, figure)
        team = build_team(list(experts), graph, experts, method=method, expertise_weight=0)
        found = getattr(team.costs, figure)
        assert optimum <= found <= 2 * optimum  # both are 2-approximations
    # On this tiny instance RarestFirst finds the best diameter itself.
    if seed == 0:
        optimum, _ = brute_force(graph, experts, "diameter")
        team = build_team(list(experts), graph, experts, method="diameter", expertise_weight=0)
        assert team.costs.diameter == optimum


def test_steiner_connects_the_skills_through_the_cheapest_tree() -> None:
    # q and n sit on a short branch; the far gate holder would need a long path.
    graph = path_graph("g_far", "a", "b", "c", "q", "g_near", "n")
    experts = holders(qubit="q", gate="g_far g_near", noise="n")
    team = build_team(["qubit", "gate", "noise"], graph, experts, method="steiner")
    assert set(team.people) == {"q", "g_near", "n"}
    assert team.costs.mst_cost == 2


def test_expertise_trades_off_against_distance() -> None:
    graph = path_graph("q", "near", "x", "far")
    experts = {
        "qubit": [Candidate("q")],
        "gate": [Candidate("near", expertise=0.2), Candidate("far", expertise=1.0)],
    }
    cheap = build_team(["qubit", "gate"], graph, experts, expertise_weight=1.0)
    assert cheap.covers["gate"] == "near"  # 1 hop + 0.8 beats 3 hops + 0
    expert = build_team(["qubit", "gate"], graph, experts, expertise_weight=5.0)
    assert expert.covers["gate"] == "far"  # 1 hop + 4 loses to 3 hops + 0


def test_resonance_picks_the_holder_the_prospect_knows_and_says_so() -> None:
    graph = nx.star_graph(["q", "g1", "g2"])
    nx.set_edge_attributes(graph, 1.0, "cost")
    team = build_team(
        ["qubit", "gate"],
        graph,
        holders(qubit="q", gate="g1 g2"),
        resonance={"g2": 0.9},
        resonance_reasons={"g2": "worked with the customer last year"},
    )
    assert team.covers["gate"] == "g2"
    member = next(m for m in team.members if m.person == "g2")
    assert "worked with the customer last year" in member.reasons
    assert any(reason.startswith("covers gate") for reason in member.reasons)


def test_each_member_says_why_they_are_there() -> None:
    experts = {"qubit": [Candidate("q", why="12 answers on qubit")], "gate": [Candidate("g")]}
    team = build_team(["qubit", "gate"], path_graph("q", "x", "g"), experts)
    reasons = {m.person: m.reasons for m in team.members}
    assert reasons["q"] == ["covers qubit: 12 answers on qubit", "2 from the nearest teammate"]
    assert reasons["g"] == ["covers gate", "2 from the nearest teammate"]


def test_swapping_a_member_shows_the_cost_change() -> None:
    graph = path_graph("g_far", "a", "b", "q", "g_near")
    team = build_team(["qubit", "gate"], graph, holders(qubit="q", gate="g_far g_near"))
    assert set(team.people) == {"q", "g_near"}
    swap = swap_cost(team, "g_near", "g_far")
    assert swap.team.covers == {"qubit": "q", "gate": "g_far"}
    assert swap.diameter == 3 - 1
    assert swap.sum_distance == 3 - 1
    assert swap.objective == pytest.approx(swap.team.objective - team.objective)
    assert swap.objective > 0
    assert swap.uncovered == ()
    back = swap_cost(swap.team, "g_far", "g_near")
    assert back.diameter == -2


def test_swapping_in_someone_without_the_skill_leaves_it_uncovered() -> None:
    graph = path_graph("q", "g", "x")
    team = build_team(["qubit", "gate"], graph, holders(qubit="q", gate="g"))
    swap = swap_cost(team, "g", "x")
    assert swap.uncovered == ("gate",)
    assert set(swap.team.people) == {"q", "x"}
    assert swap.diameter == 1
    with pytest.raises(ValueError, match="not in the team"):
        swap_cost(team, "x", "g")
    with pytest.raises(ValueError, match="already in the team"):
        swap_cost(team, "q", "g")


def test_people_with_no_path_count_at_the_unreachable_distance() -> None:
    graph = path_graph("q", "a", "b")
    graph.add_edge("g", "h", cost=1.0)
    team = build_team(["qubit", "gate"], graph, holders(qubit="q", gate="g"))
    assert team.costs.disconnected == 1
    # The longest shortest path in the graph is 2 (q to b): unreachable is one more.
    assert team.costs.diameter == 3
    assert any("no path" in reason for reason in team.members[0].reasons)


def test_size_limits() -> None:
    graph = nx.complete_graph(["q", "g", "n", "q2", "g2"])
    nx.set_edge_attributes(graph, 1.0, "cost")
    experts = holders(qubit="q q2", gate="g g2", noise="n q")
    small = build_team(["qubit", "gate", "noise"], graph, experts, max_size=1)
    assert small.size == 1
    assert small.people == ["q"]  # q holds two of the three skills
    assert small.uncovered == ("gate",)
    big = build_team(["qubit", "gate"], graph, experts, min_size=4)
    assert big.size == 4
    backups = [m for m in big.members if not m.skills]
    assert backups
    assert all(m.reasons[0].startswith("backs up") for m in backups)
    with pytest.raises(ValueError, match="above max_size"):
        TeamBuilder(graph, experts).build(["qubit"], min_size=3, max_size=2)


def test_an_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown method"):
        build_team(["qubit"], path_graph("q", "a"), holders(qubit="q"), method="fastest")


def test_rarest_first_grows_around_the_rarest_skill_before_the_cut() -> None:
    # gate has three holders, qubit twelve; with top=2 both lists are cut to two, yet gate
    # stays the rarest: the team is built around a gate holder.
    graph = nx.path_graph(["g1", "q1", "q2", "g2", "g3", *[f"q{i}" for i in range(3, 13)]])
    nx.set_edge_attributes(graph, 1.0, "cost")
    experts = {
        "gate": [Candidate("g1"), Candidate("g2"), Candidate("g3", expertise=0.5)],
        "qubit": [Candidate(f"q{i}", expertise=1 - i / 100) for i in range(1, 13)],
    }
    builder = TeamBuilder(graph, experts, top=2, expertise_weight=0)
    assert builder.supply == {"gate": 3, "qubit": 12}
    team = builder.build(["qubit", "gate"], method="diameter")
    assert team.costs.diameter == 1


def test_reasons_round_distances_for_people_and_keep_their_values() -> None:
    graph = nx.Graph()
    graph.add_edge("a", "b", cost=1.13348)
    experts = {"x": [Candidate("a", 1.0, "answers on x")], "y": [Candidate("b", 1.0)]}
    team = build_team(["x", "y"], graph, experts)
    reasons = {m.person: m.reasons for m in team.members}
    assert reasons["a"] == ["covers x: answers on x", "1.1 from the nearest teammate"]
    notes = {m.person: m.notes for m in team.members}
    assert notes["b"] == [("covers", {"skill": "y", "why": ""}), ("nearest", {"distance": 1.13348})]
    assert round_distance(2.0) == "2"
