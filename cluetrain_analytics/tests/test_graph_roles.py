import doctest

import networkx as nx  # type: ignore[import-untyped]
import pytest

from cluetrain_analytics.graph import roles, word_of_mouth
from cluetrain_analytics.graph.build import Interaction, interaction_graph
from cluetrain_analytics.graph.exceptions import GraphError
from cluetrain_analytics.graph.roles import (
    advocates_and_detractors,
    influencer_roles,
    role_evidence,
)
from cluetrain_analytics.graph.word_of_mouth import TimelineMessage
from cluetrain_analytics.graph.word_of_mouth import word_of_mouth as measure_word_of_mouth

HOUR = 3600.0


@pytest.mark.parametrize("module", [roles, word_of_mouth])
def test_docstring_examples_run(module: object) -> None:
    failures, tried = doctest.testmod(module)  # type: ignore[arg-type]
    assert tried > 0
    assert failures == 0


def test_expert_is_heard_for_answers_on_few_topics() -> None:
    answers = [
        Interaction(f"asker{i}", "guru", "accepted_answer", i, topic="wifi") for i in range(3)
    ]
    answers.append(Interaction("asker9", "guru", "reply", 9.0, topic="wifi"))
    # Heard as much, but for shares on four topics: not an expert.
    shares = [
        Interaction(f"fan{i}", "pundit", "share", i, topic=topic)
        for i, topic in enumerate(["wifi", "tv", "billing", "phones"])
    ]
    found = influencer_roles(interaction_graph(answers + shares))
    assert "expert" in found["guru"]
    assert "expert" not in found.get("pundit", [])
    assert "connector" in found["pundit"]  # heard on four topics bridges them


def test_connector_rule_follows_betweenness_on_the_kite() -> None:
    kite = nx.krackhardt_kite_graph()
    G = interaction_graph(
        (Interaction(u, v, "connect", 0.0) for u, v in kite.edges), nodes=range(10)
    )
    found = influencer_roles(G)
    assert {node for node, r in found.items() if "connector" in r} == {5, 6, 7, 8}
    expected = nx.betweenness_centrality(kite)
    evidence = role_evidence(G)
    assert all(evidence[node]["betweenness"] == pytest.approx(expected[node]) for node in kite)
    assert influencer_roles(G, min_betweenness=0.3) == {7: ["connector"]}


def test_amplifier_needs_shares_that_draw_reactions() -> None:
    records = []
    for i in range(5):
        at = i * 100 * HOUR
        records.append(Interaction("booster", f"author{i}", "share", at))
        records.append(Interaction("echo_only_later", f"author{i}", "share", at))
        records.append(Interaction(f"reader{i}", "booster", "reply", at + HOUR))
        # Reactions to the other sharer come two days late: outside the echo window.
        records.append(Interaction(f"reader{i}", "echo_only_later", "reply", at + 48 * HOUR))
    G = interaction_graph(records)
    evidence = role_evidence(G)
    assert evidence["booster"]["echoes"] == 5.0
    assert evidence["echo_only_later"]["echoes"] == 0.0
    found = influencer_roles(G)
    assert "amplifier" in found["booster"]
    assert "amplifier" not in found["echo_only_later"]
    assert "amplifier" not in influencer_roles(G, min_amplifications=6)["booster"]


def test_advocates_and_detractors_rank_by_influence_times_stance() -> None:
    influence = {"loud_fan": 0.5, "quiet_fan": 0.05, "loud_critic": 0.4, "neutral": 0.9}
    stance = {"loud_fan": 0.6, "quiet_fan": 1.0, "loud_critic": -0.5, "neutral": 0.0, "x": 1.0}
    result = advocates_and_detractors(influence, stance)
    assert [e["node"] for e in result["advocates"]] == ["loud_fan", "quiet_fan"]
    assert [e["node"] for e in result["detractors"]] == ["loud_critic"]
    assert result["detractors"][0]["score"] == pytest.approx(-0.2)
    assert advocates_and_detractors(influence, stance, top=1)["advocates"][0]["node"] == "loud_fan"
    with pytest.raises(GraphError, match=r"must be in \[-1, 1\]"):
        advocates_and_detractors({"a": 1.0}, {"a": 1.5})


def _reached(*names: str) -> frozenset[str]:
    return frozenset(names)


def test_word_of_mouth_on_a_hand_built_timeline() -> None:
    timeline = [
        # happy: one positive message reaching one person
        TimelineMessage("hana", 1.0, 0.8, reached=_reached("p1")),
        # unhappy: a complaint nobody answered, reaching five; a later neutral one reaches p6 too
        TimelineMessage("ugo", 1.0, -0.9, reached=_reached("p1", "p2", "p3", "p4", "p5")),
        TimelineMessage("ugo", 2.0, 0.0, reached=_reached("p5", "p6", "ugo")),
        # unhappy although staff answered: never spoke positively afterwards
        TimelineMessage("una", 1.0, -0.4, staff_responded=True, reached=_reached("p1", "p2")),
        # recovered: complaint answered by staff, then praise reaching ten people
        TimelineMessage("rita", 1.0, -0.7, staff_responded=True, reached=_reached("p1")),
        TimelineMessage("rita", 3.0, 0.9, reached=frozenset(f"q{i}" for i in range(10))),
        # positive BEFORE the answered complaint does not make a recovery
        TimelineMessage("pat", 0.0, 0.9, reached=_reached("p1")),
        TimelineMessage("pat", 1.0, -0.5, staff_responded=True, reached=_reached("p2", "p3")),
        # only neutral: unclassified
        TimelineMessage("ned", 1.0, 0.01, reached=_reached("p1")),
    ]
    result = measure_word_of_mouth(reversed(timeline))  # order of input does not matter
    assert result["happy"] == {"authors": 1, "mean_reach": 1.0, "median_reach": 1.0}
    assert result["unhappy"] == {"authors": 3, "mean_reach": 10 / 3, "median_reach": 2.0}
    assert result["recovered"] == {"authors": 1, "mean_reach": 10.0, "median_reach": 10.0}
    assert result["unclassified"] == {"authors": 1}


def test_word_of_mouth_empty_groups_and_bad_sentiment() -> None:
    result = measure_word_of_mouth([TimelineMessage("a", 0.0, 0.5)])
    assert result["recovered"] == {"authors": 0, "mean_reach": None, "median_reach": None}
    with pytest.raises(GraphError, match="sentiment must be in"):
        measure_word_of_mouth([TimelineMessage("a", 0.0, 2.0)])


def test_spanning_a_few_of_many_topics_bridges_nothing() -> None:
    topics = [f"topic{i}" for i in range(8)]
    # Everyone talks on three topics; one member talks on all eight.
    records = [
        Interaction(f"member{i}", f"member{i + 1}", "reply", float(i), topic=topics[(i + k) % 8])
        for i in range(8)
        for k in range(3)
    ]
    records += [
        Interaction("host", f"member{i}", "reply", 100.0 + i, topic=t) for i, t in enumerate(topics)
    ]
    found = influencer_roles(interaction_graph(records), min_betweenness=1.0)
    assert {node for node, r in found.items() if "connector" in r} == {"host"}
    relaxed = influencer_roles(interaction_graph(records), min_betweenness=1.0, min_bridged_share=0)
    assert "connector" in relaxed["member3"]


def test_top_share_keeps_each_role_to_a_minority_with_its_numbers() -> None:
    from cluetrain_analytics.graph.roles import role_facts

    # Twenty people each answered three times by others on one topic: by the plain rule all
    # twenty are experts; with top_share only those ahead of 90 % of the active people are.
    records = [
        Interaction(f"asker{j}", f"p{i:02d}", "accepted_answer", float(i), topic="wifi")
        for i in range(20)
        for j in range(3 + i)
    ]
    graph = interaction_graph(records)
    assert len(role_facts(graph)) == 20
    facts = role_facts(graph, top_share=0.1)
    # 42 people are active (20 answerers, 22 askers): ahead of 90 % of them means the top 4.
    assert sorted(map(str, facts)) == ["p16", "p17", "p18", "p19"]
    leader = facts["p19"]["expert"]
    assert leader["answers_received"] == 22.0
    assert leader["ahead_of"] >= 0.9
