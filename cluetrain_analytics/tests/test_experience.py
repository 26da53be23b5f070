import doctest
import math
from types import ModuleType

import numpy as np
import pytest

from cluetrain_analytics.text import _events, _intent_model, _patterns, experience
from cluetrain_analytics.text.abstain import UNSURE_BELOW
from cluetrain_analytics.text.experience import (
    EVENT_CONFIDENCE,
    INTENTS,
    Experience,
    clean,
    read_experience,
)


def _one(text: str, sentiment: float | None = None, *, learned: bool = True) -> Experience:
    scores = None if sentiment is None else [sentiment]
    return read_experience([text], sentiment=scores, learned=learned)[0]


def test_intents_keep_the_platform_order() -> None:
    assert INTENTS == (
        "complain",
        "praise",
        "ask",
        "recommend",
        "threaten_to_leave",
        "intend_to_buy",
    )


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("@AcmeHelp why is my refund not here yet?", ("complain", "ask")),
        ("Thanks so much, that fixed it!", ("praise",)),
        ("Still not working after the reinstall, this is ridiculous", ("complain",)),
        ("How do I change the email on my account?", ("ask",)),
        ("I'd recommend the Lumen Hub to anyone", ("recommend",)),
        ("Worst support ever. I'm switching to Brightly.", ("complain", "threaten_to_leave")),
        pytest.param(
            "Thinking of buying the doorbell cam, is it worth it?",
            ("ask", "intend_to_buy"),
            # A known error since the layer learned from the fresh samples too (complain 0.47
            # against 0.40): docs/experience.md section 7. The rules alone read it right.
            marks=pytest.mark.xfail(strict=True, reason="learned layer adds complain"),
        ),
        ("Android 7.0 and Spotify 8.4.25.771", ()),
    ],
)
def test_read_experience_finds_the_intents(text: str, intents: tuple[str, ...]) -> None:
    assert _one(text, sentiment=0.0).intents == intents


def test_the_rules_alone_read_a_wish_to_buy_as_a_question_not_a_complaint() -> None:
    text = "Thinking of buying the doorbell cam, is it worth it?"
    assert _one(text, sentiment=0.0, learned=False).intents == ("ask", "intend_to_buy")


@pytest.mark.parametrize(
    ("text", "event"),
    [
        # Phrasings of the demo community's planted issues (cluetrain/demo/corpus.py).
        ("Since the firmware 3.2 update my thermostat loses Wi-Fi every few hours.",
         "wifi drops after update"),
        ("My thermostat keeps dropping off the Wi-Fi since it updated to 3.2.",
         "wifi drops after update"),
        ("3.2 update broke Wi-Fi on my thermostat", "wifi broken after update"),
        ("The battery on my doorbell drains in about two weeks.", "battery drains"),
        ("The Lumen app keeps logging me out, sometimes twice a day.", "app logs out"),
        ("Second time the installer didn't turn up. No call, no email.", "installer no-show"),
        ("My refund was refused because I 'opened the box'. It's faulty!", "refund refused"),
        ("Care+ price increase is a joke", "price rise"),
        ("After a short power cut the hub dropped half my Zigbee devices.",
         "devices drops after power cut"),
        # Customer-support phrasings.
        ("@AcmeHelp where is my package?? ordered 2 weeks ago", "package late"),
        ("@Uber_Support charged me again for the same ride", "charge duplicated"),
        ("Did the update and now the battery keeps dying", "battery drains after update"),
        ("@SpotifyCares it made no difference", "issue persists"),
        ("Thanks for the quick reply!", None),
        ("How do I change my playlist cover?", None),
    ],
)  # fmt: skip
def test_read_experience_writes_the_event_phrase(text: str, event: str | None) -> None:
    assert _one(text).event == event


def test_praise_words_in_a_very_negative_message_read_as_sarcasm() -> None:
    text = "love losing connection to the servers every match.. what a joke"
    sarcastic = _one(text, sentiment=-0.9)
    assert sarcastic.intents == ("complain",)
    assert sarcastic.event == "connection drops"
    assert _one(text, sentiment=0.0).intent_scores["praise"] > sarcastic.intent_scores["praise"]


def test_the_given_sentiment_decides_when_no_rule_fires() -> None:
    text = "the new menu layout"
    assert _one(text, sentiment=-0.95, learned=False).intents == ("complain",)
    assert _one(text, sentiment=0.95, learned=False).intents == ("praise",)
    assert _one(text, sentiment=0.0, learned=False).intents == ()


def test_without_sentiment_the_word_list_supplies_it() -> None:
    assert _one("the new menu layout is horrible and sad", learned=False).intents == ("complain",)
    assert _one("the new menu layout", learned=False).intents == ()


def test_the_main_intent_is_a_threat_to_leave_then_the_most_confident_besides_ask() -> None:
    text = "Where is my refund?? Nobody answers, I'm cancelling my account"
    rules = _one(text, learned=False)
    assert rules.intent_scores["ask"] > rules.intent_scores["complain"]
    assert rules.intent_scores["complain"] > rules.intent_scores["threaten_to_leave"]
    experience = _one(text)
    assert set(experience.intent_scores) == set(INTENTS)
    assert all(0.0 <= score <= 1.0 for score in experience.intent_scores.values())
    assert experience.intents == ("complain", "ask", "threaten_to_leave")
    assert experience.intent == "threaten_to_leave"  # what staff must act on first
    assert _one("Still broken. Why is my refund late?").intent == "complain"
    assert _one("How do I change my password?").intent == "ask"
    assert experience.event == "refund late"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # The issue's examples of wrong labels (issue #17).
        ("Cancelling if this is not fixed today", "threaten_to_leave"),
        ("Thanks, so it is the update. Really angry", "complain"),
    ],
)
def test_the_issues_examples_get_the_right_main_intent(text: str, intent: str) -> None:
    assert _one(text).intent == intent


def test_every_reading_has_a_confidence_for_abstention() -> None:
    texts = [
        "Thanks, that fixed it!",
        "hmm ok",
        "my keyboard types random letters, so annoying",
        "my wifi drops every night",
    ]
    for reading in read_experience(texts):
        assert 0.0 <= reading.confidence <= 1.0
        if reading.event is None:
            assert reading.event_confidence == 0.0
        else:
            assert reading.event_confidence in EVENT_CONFIDENCE.values()
    thanks, _, keyboard, wifi = read_experience(texts)
    assert thanks.intent == "praise"
    assert thanks.confidence >= UNSURE_BELOW["intent"]
    assert wifi.event == "wifi drops"
    assert wifi.event_confidence == EVENT_CONFIDENCE["state"] >= UNSURE_BELOW["event"]
    # A complaint about a thing with no state the lexicon knows: a guess, below the threshold.
    assert keyboard.event == "keyboard problem"
    assert keyboard.event_confidence == EVENT_CONFIDENCE["fallback"] < UNSURE_BELOW["event"]


def test_the_company_addressed_gives_an_object_where_the_message_names_none() -> None:
    assert _events.context_object("@AmericanAir @Delta nearly 2 hours") == "flight"
    assert _events.context_object("@115821 @someone hi") is None
    # A state with no object of its own takes the company's ("a long delay": the flight).
    delay = _one("@British_Airways not delighted at the long delay from Edinburgh today", -0.6)
    assert delay.event == "flight delayed"
    assert delay.event_confidence == EVENT_CONFIDENCE["implied"]
    # A failed fix stays "issue persists": the company's object does not replace it.
    assert _one("@SpotifyCares still not working, no luck", -0.5).event == "issue persists"
    # A complaint with a concrete problem and no object: the company's, below the threshold.
    stuck = _one("@GWRHelp 40 minutes waiting and nobody knows anything, a shambles", -0.8)
    assert stuck.event == "train problem"
    assert stuck.event_confidence == EVENT_CONFIDENCE["context"] < UNSURE_BELOW["event"]
    # A rant names no problem: no event.
    assert _one("@sprintcare Y'all lie, crooks", -0.9).event is None


def test_a_device_is_named_as_the_customer_names_it_and_yields_to_the_company() -> None:
    assert _one("my laptop won't turn on", -0.5).event == "laptop dead"
    # "iPhone 7, iOS 11" is the context of a report to Spotify: the app is the object.
    spotify = _one("@SpotifyCares iPhone 7, iOS 11. Was working yesterday, now it is not", -0.5)
    assert str(spotify.event).startswith("app ")


def test_the_learned_layer_changes_only_complain_praise_and_ask() -> None:
    model = _intent_model.load_intent_model()
    assert model is not None  # shipped in cluetrain_analytics/models/
    assert set(model.weights) == {"complain", "praise", "ask"}
    text = "I can't find the options to re-order"
    learned, rules = _one(text, 0.0), _one(text, 0.0, learned=False)
    for intent in ("recommend", "threaten_to_leave", "intend_to_buy"):
        assert learned.intent_scores[intent] == rules.intent_scores[intent]


def test_the_learned_layer_reads_words_and_character_ngrams() -> None:
    model = _intent_model.load_intent_model()
    assert model is not None
    assert model.char_ngrams == (3, 4)
    # Spellings the word vocabulary never saw still share character n-grams with it.
    assert model.char_vectorizer.transform(["stil not wrking"]).nnz > 0


class _NoWords:
    """A vectorizer with no words: a layer built on it reads only the rules and its intercept."""

    def transform(self, texts: list[str]) -> object:
        from scipy.sparse import csr_matrix  # type: ignore[import-untyped]

        return csr_matrix((len(texts), 0))


def _constant_layer(complain: float, threshold: float) -> _intent_model.IntentModel:
    """A learned layer whose complain probability is ``complain`` for every message."""
    model = _intent_model.IntentModel(intents=INTENTS, thresholds={"complain": threshold})
    model.vectorizer = _NoWords()
    intercept = math.log(complain / (1.0 - complain))
    model.weights = {"complain": (np.zeros(len(INTENTS) + 4, dtype=np.float32), intercept)}
    return model


def test_a_layer_passed_in_replaces_the_shipped_one() -> None:
    (thanks,) = read_experience(["thanks a lot"], model=_constant_layer(0.99, 0.5))
    assert thanks.intent_scores["complain"] == pytest.approx(0.99)
    assert "complain" in thanks.intents
    assert "complain" not in _one("thanks a lot").intents


def test_a_likely_complaint_with_a_problem_word_gets_an_event_below_the_threshold() -> None:
    assert experience.FALLBACK_FROM <= 0.3
    problem, question = read_experience(
        ["my keyboard still types random letters", "how do i change my keyboard layout?"],
        sentiment=[0.0, 0.0],
        model=_constant_layer(0.3, 0.9),
    )
    assert "complain" not in problem.intents
    assert problem.event == "keyboard problem"
    assert problem.event_confidence == EVENT_CONFIDENCE["fallback"] < UNSURE_BELOW["event"]
    # A plain question names the keyboard but no problem: no event.
    assert question.event is None
    # Under FALLBACK_FROM, no event either.
    (unlikely,) = read_experience(
        ["my keyboard still types random letters"], sentiment=[0.0], model=_constant_layer(0.1, 0.9)
    )
    assert unlikely.event is None


def test_a_message_without_intent_has_no_main_intent() -> None:
    experience = _one("Samsung Galaxy S6, Android Nougat, version 8.4.22.857")
    assert (experience.intents, experience.intent, experience.event) == ((), None, None)


def test_read_experience_keeps_order_and_length() -> None:
    texts = ["Thank you!", "my wifi drops every night", "Thank you!"]
    first, second, third = read_experience(texts)
    assert first == third
    assert second.event == "wifi drops"
    assert read_experience([]) == []


def test_clean_removes_mentions_and_links_and_decodes_entities() -> None:
    assert clean("@Acme .@AcmeHelp Don\u2019t &amp; https://t.co/x #BadService") == (
        "don't & badservice"
    )


@pytest.mark.parametrize(
    ("texts", "sentiment", "message"),
    [
        (["a", "b"], [0.1], "sentiment has 1 scores for 2 texts"),
        (["a"], [1.5], r"sentiment scores must lie in \[-1, 1\]"),
        ("one string", None, "not one string"),
        ([b"bytes"], None, "text 0 is a bytes, not a string"),
    ],
)
def test_read_experience_rejects_bad_input(
    texts: list[str], sentiment: list[float] | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        read_experience(texts, sentiment=sentiment)


@pytest.mark.parametrize("module", [experience, _events, _patterns])
def test_docstring_examples_run(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
