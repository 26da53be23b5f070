"""The community's heads over the shipped fast tier, fitted on staff's checked labels."""

import dataclasses

import pytest

from cluetrain_analytics.text.community import (
    CommunityTier,
    TooFewCorrections,
    fit_community_heads,
)
from cluetrain_analytics.text.fast import FastTier, load_fast_tier

KIND = [
    "Care+ paid for itself when the hub died, a new one in two days",
    "the thermostat died and Care+ replaced it in two days",
    "Care+ paid for itself: my camera died, swapped within two days",
    "doorbell died on monday, Care+ had a new one here wednesday",
    "sensor died, Care+ sent a replacement in two days",
    "Care+ paid for itself the day my plug died",
]
BACKGROUND = [
    "my order is late and nobody answers",
    "love the new lights",
    "how do I reset the hub?",
    "wifi keeps dropping every night, so annoying",
    "great support today, thanks",
    "the app is fine I guess",
] * 20
UNSEEN = "Care+ paid for itself, my lock died and they replaced it in two days"


@pytest.fixture(scope="module")
def tier() -> FastTier:
    return load_fast_tier()


def test_a_corrected_kind_changes_label_and_the_rest_stays(tier: FastTier) -> None:
    assert tier.analyze([UNSEEN])[0].sentiment == "negative"
    heads = fit_community_heads(
        tier,
        {"sentiment": (KIND * 2, ["positive"] * 12)},
        BACKGROUND,
        folds=3,
        min_corrections=10,
    )
    assert set(heads.heads) == {"sentiment"}
    report = heads.report["sentiment"]
    assert (report["n"], report["folds"], report["background"]) == (12, 3, 120)
    assert report["shipped_accuracy"] < report["held_out_accuracy"]
    community = CommunityTier(tier, heads, version="test")
    assert community.analyze([UNSEEN])[0].sentiment == "positive"
    others = ["my order is late and nobody answers", "love the new lights"]
    shipped, ours = tier.analyze(others), community.analyze(others)
    assert [a.sentiment for a in ours] == [a.sentiment for a in shipped]
    # Emotion has no head: the shipped probabilities, unchanged.
    assert [a.emotion_scores for a in ours] == [a.emotion_scores for a in shipped]
    assert community.analyze([]) == []


def test_too_few_checked_labels_are_refused(tier: FastTier) -> None:
    with pytest.raises(TooFewCorrections, match=r"\(sentiment 6, emotion 0\)"):
        fit_community_heads(
            tier, {"sentiment": (KIND, ["positive"] * 6), "emotion": ([], [])}, BACKGROUND
        )


def test_one_label_with_nothing_beside_it_is_refused(tier: FastTier) -> None:
    with pytest.raises(TooFewCorrections, match="two labels among them"):
        fit_community_heads(tier, {"sentiment": (KIND * 2, ["positive"] * 12)})
    # Two labels are enough without other messages; a fold left with one keeps the shipped.
    heads = fit_community_heads(
        tier, {"sentiment": (KIND * 2, ["positive"] * 11 + ["negative"])}, folds=2
    )
    assert heads.report["sentiment"]["background"] == 0


def test_heads_fitted_on_another_tier_are_refused(tier: FastTier) -> None:
    heads = fit_community_heads(tier, {"sentiment": (KIND * 2, ["positive"] * 12)}, BACKGROUND)
    other = dataclasses.replace(tier, version="fast-other")
    with pytest.raises(ValueError, match="not on the fast tier fast-other"):
        CommunityTier(other, heads)


def test_unknown_tasks_and_mismatched_labels_are_refused(tier: FastTier) -> None:
    with pytest.raises(ValueError, match="no community head for 'irony'"):
        fit_community_heads(tier, {"irony": (KIND, ["irony"] * 6)})
    with pytest.raises(ValueError, match="6 texts but 1 labels"):
        fit_community_heads(tier, {"sentiment": (KIND, ["positive"])})
