from cluetrain_analytics.graph.backtest import IN_DEGREE, INFLUENCE, better_signal
from cluetrain_analytics.graph.build import Interaction, interaction_graph


def _early() -> list[Interaction]:
    # A and B are replied to by their own fans; both share C's message, so propagation puts
    # C first although nobody else ever answers C.
    return (
        [Interaction(f"f{i}", "A", "reply", float(i)) for i in range(6)]
        + [Interaction(f"g{i}", "B", "reply", float(i)) for i in range(5)]
        + [Interaction("A", "C", "share", 7.0), Interaction("B", "C", "share", 8.0)]
    )


def test_in_degree_is_chosen_when_it_ranked_the_later_days_better() -> None:
    late = [Interaction(f"f{i}", "A", "reply", 100.0 + i) for i in range(6)] + [
        Interaction(f"g{i}", "B", "reply", 100.0 + i) for i in range(25)
    ]
    choice = better_signal(interaction_graph(_early() + late), later_share=31 / 44, k=3)
    assert choice.signal == IN_DEGREE
    assert choice.judged_on == 31
    assert choice.in_degree_ndcg is not None
    assert choice.influence_ndcg is not None
    assert choice.in_degree_ndcg > choice.influence_ndcg


def test_influence_is_kept_when_the_shared_author_is_heard_later() -> None:
    late = [Interaction(f"h{i}", "C", "reply", 100.0 + i) for i in range(31)]
    choice = better_signal(interaction_graph(_early() + late), later_share=31 / 44, k=3)
    assert choice.signal == INFLUENCE
    assert choice.influence_ndcg is not None
    assert choice.in_degree_ndcg is not None
    assert choice.influence_ndcg > choice.in_degree_ndcg


def test_too_little_later_activity_keeps_influence_without_scores() -> None:
    choice = better_signal(interaction_graph(_early()), min_judged=30)
    assert choice == better_signal(interaction_graph(_early()), min_judged=30)
    assert choice.signal == INFLUENCE
    assert choice.influence_ndcg is None
    assert choice.in_degree_ndcg is None
    assert better_signal(interaction_graph([])).judged_on == 0
