"""The stance reader: what it learns, its class offsets, the shipped file, and stance toward
the company."""

import random

import pytest

from cluetrain_analytics.text.stance import (
    STANCES,
    Reply,
    StanceReader,
    load_stance_reader,
    toward_company,
)

CLAIM = "The new firmware bricks the hub"


def _conversations(n: int, seed: int = 0) -> tuple[list[Reply], list[str], list[str]]:
    """Small threads whose replies say their stance in the words a person would use."""
    rng = random.Random(seed)
    words = {
        "support": ["Confirmed, mine too", "Yes exactly, same here", "True, it happened to me"],
        "deny": ["That is fake news", "Not true at all, mine works", "This is a hoax"],
        "query": ["Is there a source for this?", "Really? Who said so?", "Any proof of that?"],
        "comment": ["I had lunch today", "Nice weather in Leeds", "Good morning everyone"],
    }
    replies, stances, groups = [], [], []
    for thread in range(n):
        replies.append(Reply(f"{CLAIM} {thread}", parent=None))
        stances.append("support")
        groups.append(f"t{thread}")
        for stance in rng.choices(list(words), weights=[2, 1, 1, 6], k=8):
            replies.append(Reply(rng.choice(words[stance]), parent=CLAIM, depth=1))
            stances.append(stance)
            groups.append(f"t{thread}")
    return replies, stances, groups


def test_it_learns_each_stance_from_words_and_cues() -> None:
    replies, stances, groups = _conversations(40)
    reader = StanceReader().fit(replies, stances, groups)
    assert set(reader.classes_) == set(STANCES)
    test = [
        Reply("Not true, this is fake", parent=CLAIM, depth=1),
        Reply("Is there any proof?", parent=CLAIM, depth=1),
        Reply("Confirmed, same here", parent=CLAIM, depth=1),
        Reply("Good morning from Leeds", parent=CLAIM, depth=1),
        Reply("The hub firmware is broken again", parent=None),
    ]
    assert reader.predict(test) == ["deny", "query", "support", "comment", "support"]
    proba = reader.probabilities(test)
    assert proba.shape == (5, 4)
    assert proba.sum(axis=1) == pytest.approx([1.0] * 5)
    assert len(reader.offsets) == 4
    assert reader.offsets[reader.classes_.index("comment")] == 0.0


def test_it_refuses_unknown_labels_and_mismatched_lengths() -> None:
    with pytest.raises(ValueError, match="stances must be among"):
        StanceReader().fit([Reply("a"), Reply("b")], ["support", "agree"])
    with pytest.raises(ValueError, match="differ in length"):
        StanceReader().fit([Reply("a")], ["support", "deny"])


def test_the_shipped_reader_loads_and_reads_replies() -> None:
    reader = load_stance_reader()
    assert reader.version
    assert reader.report["posts"] > 4000
    got = reader.predict(
        [
            Reply("Is this confirmed? Any source?", parent="Police say the airport is closed"),
            Reply("This is fake, stop spreading lies", parent="Police say the airport is closed"),
        ]
    )
    assert got == ["query", "deny"]


def test_stance_toward_the_company_reads_agreement_not_only_tone() -> None:
    # Negative in tone, agreeing with a staff answer: for the company.
    assert toward_company(-0.6, "support", 1.0) == pytest.approx(0.2)
    # Agreeing with a complaint is a complaint, whatever the tone.
    assert toward_company(0.1, "support", -0.8) == pytest.approx(-0.45)
    # Denying a complaint defends the company.
    assert toward_company(0.0, "deny", -0.7) == pytest.approx(0.5)
    assert toward_company(0.5, "query", 1.0) is None
    assert toward_company(-0.4, "comment", 1.0) == -0.4
    assert toward_company(-0.4, "support", None) == -0.4
