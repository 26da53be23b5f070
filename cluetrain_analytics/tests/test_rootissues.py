import doctest
import json
import random

import pytest

from cluetrain_analytics.text import rootissues
from cluetrain_analytics.text.rootissues import (
    IssueItem,
    assign_issues,
    cluster_issues,
    is_descriptive,
    item_terms,
    name_agreement,
    says_something,
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


def test_a_vague_event_never_names_an_issue_whose_members_say_more() -> None:
    """The demo's "Lumen Thermostat: issue persists": every member's event was the failed fix,
    and each said what persists. The name is the members' own description."""
    items = [
        IssueItem(
            "Exact same problem. Firmware 3.2 and the thermostat keeps going offline.",
            event="issue persists",
            products=("thermo",),
        )
    ] * 4
    [cluster] = cluster_issues(items, product_names={"thermo": "Lumen Thermostat"})
    assert cluster.name == "Lumen Thermostat: keeps going offline"
    assert name_agreement(cluster.name, items, cluster.members) == 1.0
    # A descriptive event shared by most members still names it.
    told = [IssueItem("Same here, still broken", event="wifi drops after update")] * 3
    assert cluster_issues(told)[0].name == "wifi drops after update"


def test_me_too_replies_are_named_by_the_event_they_share_never_by_their_opening() -> None:
    replies = [IssueItem("Happens to me too, really annoying.", products=("app",))] * 3
    # Alone, agreement says nothing: never clustered (once it was "Happens to me too, ...").
    assert cluster_issues(replies) == []
    # With their conversation's event (listening gives it), they name the problem.
    told = [IssueItem(r.text, "app logs out", r.products) for r in replies]
    told.append(IssueItem("Couldn't agree more.", products=("app",)))
    [cluster] = cluster_issues(told, product_names={"app": "Lumen App"})
    assert cluster.name == "Lumen App: app logs out"
    assert cluster.members == (0, 1, 2)
    # The best statement skips a me-too opening: "Same here, <what happened>".
    mixed = [
        IssueItem("Same here, the hub is dead since the update.", products=("hub",)),
        IssueItem("Bricked here as well after the update.", products=("hub",)),
        IssueItem("Ours too, dead since the update.", products=("hub",)),
    ]
    [hub] = cluster_issues(mixed, product_names={"hub": "Lumen Hub"}, similarity=0.1)
    assert not hub.name.lower().startswith("lumen hub: same here")
    assert is_descriptive(hub.name.split(": ", 1)[1])


def test_vague_words_and_events_are_not_descriptive() -> None:
    assert not is_descriptive("issue persists")
    assert not is_descriptive("ask support")
    assert not is_descriptive("doorbell problem")  # the reader's fallback
    assert is_descriptive("support rude")
    assert not says_something(IssueItem("Not sure, I'd ask support."))
    assert says_something(IssueItem("No answer from support for me either."))


def test_a_group_in_which_no_two_members_say_what_went_wrong_is_no_issue() -> None:
    """On the demo: "Lumen Care+: If this isn't fixed soon I'm switching to…" (a threat,
    named by the competitor each reply names), once "Lumen Care+: issue persists"."""
    threats = [
        IssueItem(f"Still happening for me. If this isn't fixed soon I'm switching to {rival}.")
        for rival in ("Homely", "Nestwise", "Vireo")
    ]
    assert cluster_issues(threats, similarity=0.1) == []
