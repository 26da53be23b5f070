import doctest

import pytest

from cluetrain_analytics.text import normalize as normalize_module
from cluetrain_analytics.text.normalize import mark_negation, normalize, split_hashtag, tokenize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "I don't LOVE it &amp; it's soooo slow!! #EpicFail @Acme http://x.co/1",
            "i don't xxcaps love_NEG it_NEG & it's_NEG xxelong soo_NEG slow_NEG !! "
            "xxhashtag epic fail xxuser xxurl",
        ),
        (
            "Great phone 😂 ❤️ but NOT good, DON'T buy",
            "great phone face with tears of joy red heart but xxcaps not good_NEG , "
            "xxcaps don't buy_NEG",
        ),
        (
            "@user Never again... worst support ever, I'm furious 😡",
            "xxuser never again_NEG ... worst support ever , i'm furious enraged face",
        ),
        ("Rui En\\u2019s ex was framed", "rui en's ex was framed"),
        ("Check www.example.com/page now", "check xxurl now"),
        (
            "#iPhone12 #WWDC2024 #loveit",
            "xxhashtag i phone 12 xxhashtag wwdc 2024 xxhashtag loveit",
        ),
        ("no way!!! this is sooo coool", "no way_NEG !!! this is xxelong soo xxelong cool"),
        ("I can't   believe it; amazing", "i can't believe_NEG it_NEG ; amazing"),
        ("", ""),
    ],
)
def test_normalize_gives_exact_tokens(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_without_negation_only_drops_the_marks() -> None:
    raw = "I don't LOVE it, sooo slow"
    assert normalize(raw, negation=False) == "i don't xxcaps love it , xxelong soo slow"
    assert normalize(raw) == "i don't xxcaps love_NEG it_NEG , xxelong soo slow"


def test_split_hashtag_handles_camel_case_digits_and_acronyms() -> None:
    assert split_hashtag("NotHappyAtAll") == "not happy at all"
    assert split_hashtag("iPhone12") == "i phone 12"
    assert split_hashtag("WWDC2024") == "wwdc 2024"
    assert split_hashtag("lowercase") == "lowercase"


def test_negation_scope_ends_at_punctuation_and_skips_special_tokens() -> None:
    tokens = ["never", "xxcaps", "again", "!", "good", "no", "xxurl", "fun"]
    assert mark_negation(tokens) == [
        "never",
        "xxcaps",
        "again_NEG",
        "!",
        "good",
        "no",
        "xxurl",
        "fun_NEG",
    ]


def test_tokenize_keeps_contractions_and_punctuation_runs() -> None:
    assert tokenize("i don't know!!! why?") == ["i", "don't", "know", "!!!", "why", "?"]


def test_normalize_doctests_pass() -> None:
    assert doctest.testmod(normalize_module).failed == 0


def test_emoji_fall_back_to_a_small_table_without_the_emoji_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(normalize_module, "_emoji", None)
    assert normalize("great 😂👍 🦄") == "great face with tears of joy thumbs up 🦄"
