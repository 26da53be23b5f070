"""A root issue is about one product: the same words about two products make two issues."""

from cluetrain_analytics.text.rootissues import (
    IssueItem,
    assign_issues,
    cluster_issues,
    may_share_an_issue,
)

DEAD = "dead since the firmware update, bricked and useless"


def _two_products(per_product: int = 4) -> list[IssueItem]:
    return [IssueItem(f"{DEAD} {i}", products=("hub",)) for i in range(per_product)] + [
        IssueItem(f"{DEAD} {i}", products=("thermo",)) for i in range(per_product)
    ]


def _products(items: list[IssueItem], members: tuple[int, ...]) -> set[str]:
    return {p for m in members for p in items[m].products}


def test_the_same_words_about_two_products_are_two_issues() -> None:
    items = _two_products()
    clusters = cluster_issues(items, min_size=3)
    assert sorted(_products(items, c.members).pop() for c in clusters) == ["hub", "thermo"]
    assert all(len(_products(items, c.members)) == 1 for c in clusters)


def test_products_stay_apart_when_the_items_are_condensed_first() -> None:
    items = _two_products(per_product=30)
    clusters = cluster_issues(items, min_size=3, max_direct=4)
    assert clusters
    assert all(len(_products(items, c.members)) == 1 for c in clusters)
    assert sum(len(c.members) for c in clusters) == len(items)


def test_an_item_that_names_no_product_joins_either() -> None:
    items = [*_two_products(), IssueItem(DEAD)]
    clusters = cluster_issues(items, min_size=3)
    assert len(clusters) == 2
    assert sum(len(c.members) for c in clusters) == len(items)


def test_a_match_never_crosses_products() -> None:
    (hub, thermo) = sorted(
        cluster_issues(_two_products(), min_size=3), key=lambda c: "product:hub" in c.centroid
    )[::-1]
    new = [
        IssueItem(DEAD, products=("thermo",)),
        IssueItem(DEAD, products=("hub",)),
        IssueItem(DEAD, products=("doorbell",)),  # a third product: no issue of its own yet
        IssueItem(DEAD),
        IssueItem(DEAD, products=("hub", "app")),
    ]
    matches = assign_issues(new, [hub, thermo])
    assert matches[:3] == [1, 0, None]
    assert matches[3] in (0, 1)
    assert matches[4] == 0
    # A centroid that names no product (an issue about service) is open to every item.
    assert assign_issues(new[2:3], [{"dead": 0.6, "firmware": 0.5, "update": 0.6}]) == [0]


def test_may_share_an_issue() -> None:
    assert may_share_an_issue(frozenset(), frozenset())
    assert not may_share_an_issue(frozenset({"a"}), frozenset({"b", "c"}))
    assert may_share_an_issue(frozenset({"a", "b"}), frozenset({"b", "c"}))
