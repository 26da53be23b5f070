import doctest
import json
import random

import pytest

from cluetrain_analytics.text import rootissues
from cluetrain_analytics.text.rootissues import (
    IssueItem,
    assign_issues,
    cluster_issues,
    item_terms,
)

NAMES = {"thermo": "Lumen Thermostat", "bell": "Lumen Doorbell", "care": "Lumen Care+"}


def planted(per_issue: int = 12, seed: int = 0) -> tuple[list[IssueItem], list[str]]:
    """Three planted issues in varied words, plus one-off complaints."""
    rng = random.Random(seed)
    templates = {
        "wifi": (("thermo",), ("connectivity",), "{a} thermostat loses wifi after the update {b}"),
        "battery": (("bell",), ("battery",), "{a} doorbell battery drains in two weeks {b}"),
        "refund": (("care",), ("refund",), "{a} my refund was refused by support {b}"),
    }
    openers = ("Ugh,", "Again:", "Help!", "Seriously", "", "Still")
    closers = ("so annoying", "not happy", "third time", "", "any ideas?", "fix it")
    items, truth = [], []
    for issue, (products, aspects, text) in templates.items():
        for _ in range(per_issue):
            body = text.format(a=rng.choice(openers), b=rng.choice(closers))
            items.append(IssueItem(body, None, products, aspects))
            truth.append(issue)
    for text in ("the parcel was crushed", "price is too high", "manual is confusing"):
        items.append(IssueItem(text))
        truth.append("other")
    return items, truth


def test_doctests_pass() -> None:
    assert doctest.testmod(rootissues).failed == 0


def test_planted_issues_come_out_separate_and_named() -> None:
    items, truth = planted()
    clusters = cluster_issues(items, product_names=NAMES)
    assert len(clusters) == 3
    for cluster in clusters:
        assert len({truth[m] for m in cluster.members}) == 1
        assert len(cluster.members) == 12
    names = sorted(c.name for c in clusters)
    assert names[0].startswith("Lumen Care+: ")
    assert "refund" in names[0]
    assert names[1].startswith("Lumen Doorbell: ")
    assert "battery" in names[1]
    assert names[2].startswith("Lumen Thermostat: ")
    assert "wifi" in names[2]
    # The product's own name is not repeated after the colon.
    assert "thermostat" not in names[2].split(": ")[1]


def test_events_name_the_cluster() -> None:
    items = [IssueItem(f"wifi gone {i}", "wifi drops after update", ("thermo",)) for i in range(4)]
    (cluster,) = cluster_issues(items, product_names=NAMES)
    assert cluster.name == "Lumen Thermostat: wifi drops after update"


def test_small_groups_are_dropped() -> None:
    items, _ = planted(per_issue=2)
    assert cluster_issues(items, min_size=3) == []
    assert cluster_issues([], min_size=1) == []


def test_condensed_path_finds_the_same_issues() -> None:
    items, truth = planted(per_issue=30)
    clusters = cluster_issues(items, max_direct=20)
    assert len(clusters) == 3
    for cluster in clusters:
        issues = [truth[m] for m in cluster.members]
        # Every planted item lands with its issue; condensing may pull in a one-off.
        assert len(set(issues) - {"other"}) == 1
        assert len(issues) - issues.count("other") == 30


def test_centroids_survive_json_and_match_new_messages() -> None:
    items, _ = planted()
    clusters = cluster_issues(items, product_names=NAMES)
    stored = json.loads(json.dumps([c.centroid for c in clusters]))
    battery = next(i for i, c in enumerate(clusters) if "battery" in c.name)
    new = [
        IssueItem("doorbell battery drains so fast", None, ("bell",), ("battery",)),
        IssueItem("I love my new lamp"),
    ]
    assert assign_issues(new, stored) == [battery, None]


def test_a_merged_issue_matches_through_any_of_its_centroids() -> None:
    items, _ = planted()
    clusters = cluster_issues(items, product_names=NAMES)
    wifi = next(c for c in clusters if "wifi" in c.name)
    refund = next(c for c in clusters if "refund" in c.name)
    battery = next(c for c in clusters if "battery" in c.name)
    merged = [wifi.centroid, refund.centroid]
    new = [
        IssueItem("refund refused again", None, ("care",), ("refund",)),
        IssueItem("thermostat wifi lost after update", None, ("thermo",)),
        IssueItem("battery drains, doorbell dead", None, ("bell",), ("battery",)),
    ]
    assert assign_issues(new, [battery, merged]) == [1, 1, 0]


def test_assign_without_clusters_or_items() -> None:
    assert assign_issues([IssueItem("x")], []) == [None]
    assert assign_issues([], [{"x": 1.0}]) == []


def test_item_terms_are_unit_length_and_readable() -> None:
    terms = item_terms(IssueItem("Wi-Fi drops after firmware 3.2 😡 @acme", "wifi drops", ("t",)))
    assert abs(sum(w * w for w in terms.values()) - 1.0) < 1e-9
    assert terms["wifi"] > terms["firmware"]  # the event's words weigh more
    assert "product:t" in terms
    assert not any(t.startswith("xx") or t.isdigit() for t in terms)


def test_bad_parameters() -> None:
    with pytest.raises(ValueError, match="similarity"):
        cluster_issues(planted()[0], similarity=0)
    with pytest.raises(ValueError, match="min_size"):
        cluster_issues(planted()[0], min_size=0)


def test_names_are_phrases_people_write_and_agree_with_their_messages() -> None:
    from cluetrain_analytics.text.rootissues import name_agreement

    items = [
        IssueItem("Battery drains overnight on the doorbell", products=("cam",)),
        IssueItem("battery drains in a day, useless", products=("cam",)),
        IssueItem("My battery drains so fast now", products=("cam",)),
        IssueItem("battery drains after the update", event="update broke it", products=("cam",)),
    ]
    clusters = cluster_issues(items, product_names={"cam": "Doorbell Cam"}, similarity=0.1)
    assert [c.name for c in clusters] == ["Doorbell Cam: battery drains"]
    assert name_agreement(clusters[0].name, items, clusters[0].members) == 1.0
    # Nothing shared by enough of them: the most typical message's own opening words.
    mixed = [
        IssueItem("Support never called me back about the order"),
        IssueItem("support never answered the order email"),
        IssueItem("the order support chat closed on me"),
    ]
    named = cluster_issues(mixed, similarity=0.05, min_size=3)
    assert len(named) == 1
    assert "·" not in named[0].name
    assert any(m.text.startswith(named[0].name.rstrip("…")) for m in mixed)
