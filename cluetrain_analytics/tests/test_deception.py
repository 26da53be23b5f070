"""The deception model: learns invented against lived reviews, explains itself, ships."""

import random

import numpy as np
import pytest

from cluetrain_analytics.text.deception import (
    MODEL_PATH,
    DeceptionModel,
    load_deception_model,
    polarity_from_rating,
)

# Invented reviews talk about the reviewer and in superlatives, lived ones about the place.
INVENTED = ["my husband", "luxury", "vacation", "amazing experience", "chicago", "family"]
LIVED = ["the bathroom", "floor", "small", "the elevator", "block away", "$40 parking"]
FILLER = ["the hotel", "room", "staff", "we stayed", "the bed", "breakfast", "price", "night"]


def reviews(seed: int, count: int) -> tuple[list[str], list[str], list[bool]]:
    rng = random.Random(seed)
    texts, polarities, labels = [], [], []
    for i in range(count):
        deceptive = i % 2 == 0
        cues = INVENTED if deceptive else LIVED
        words = rng.choices(FILLER, k=8) + rng.sample(cues, 3)
        rng.shuffle(words)
        texts.append(" ".join(words) + ".")
        polarities.append("positive" if i % 4 < 2 else "negative")
        labels.append(deceptive)
    return texts, polarities, labels


def test_it_tells_invented_from_lived_reviews_it_never_saw() -> None:
    model = DeceptionModel().fit(*reviews(1, 80))
    texts, polarities, labels = reviews(2, 40)
    probability = model.probability(texts, polarities)
    assert probability.shape == (40,)
    assert np.all((probability > 0) & (probability < 1))
    assert np.mean((model.decision(texts, polarities) > 0) == np.array(labels)) >= 0.95
    # Polarity unknown: the shared block alone still reads the words.
    unknown = model.decision(texts, [None] * len(texts))
    assert np.mean((unknown > 0) == np.array(labels)) >= 0.9


def test_explain_names_the_words_that_make_it_look_invented() -> None:
    model = DeceptionModel().fit(*reviews(1, 80))
    named = model.explain("My husband and I loved the luxury of this place.", "positive")
    assert set(named) & {"husband", "luxury", "my husband"}
    assert model.explain("The bathroom on our floor was small.", "negative", top=3) == []


def test_the_earlier_layouts_still_fit_and_read() -> None:
    texts, polarities, labels = reviews(2, 40)
    for params in ({"word_ngrams": (1, 3), "token_ngrams": None}, {"classifier": "logistic"}):
        model = DeceptionModel(**params).fit(*reviews(1, 80))
        assert np.mean((model.decision(texts, polarities) > 0) == np.array(labels)) >= 0.9
        assert set(model.explain("My husband loved the luxury.", "positive")) & {
            "husband",
            "luxury",
            "my husband",
        }


def test_the_edge_view_adds_its_weighed_vote_and_can_be_left_out() -> None:
    texts, polarities, labels = reviews(2, 40)
    model = DeceptionModel().fit(*reviews(1, 80))
    assert model.edges_ is not None
    grams = set(model.edges_.vocabulary_)
    assert any(g.startswith("B_") for g in grams)
    assert any(g.startswith("E_") for g in grams)
    full = model.decision(texts, polarities)
    model.edge_weight = 0.0
    without = model.decision(texts, polarities)
    assert not np.allclose(full, without)
    # A file of the third version has no edge view and still reads.
    del model.edges_, model.edge_regression_
    assert np.allclose(model.decision(texts, polarities), without)
    plain = DeceptionModel(edge_words=None).fit(*reviews(1, 80))
    assert plain.edges_ is None
    assert plain.edge_regression_ is None
    assert np.mean((plain.decision(texts, polarities) > 0) == np.array(labels)) >= 0.9


def test_bad_input_is_refused_with_a_reason() -> None:
    texts, polarities, labels = reviews(1, 20)
    with pytest.raises(ValueError, match="differ in length"):
        DeceptionModel().fit(texts, polarities, labels[:-1])
    with pytest.raises(ValueError, match="both deceptive and truthful"):
        DeceptionModel().fit(texts, polarities, [True] * len(texts))
    with pytest.raises(ValueError, match="positive, negative or None"):
        DeceptionModel().fit(texts, ["great"] * len(texts), labels)


def test_polarity_from_stars() -> None:
    assert [polarity_from_rating(r) for r in (1, 2, 3, 4, 5, None)] == [
        "negative",
        "negative",
        None,
        "positive",
        "positive",
        None,
    ]
    assert polarity_from_rating(9, scale=10) == "positive"


def test_the_shipped_model_loads_and_reads_a_review() -> None:
    assert MODEL_PATH.exists()
    model = load_deception_model()
    assert model.version.startswith("deception-")
    assert model.report["out_of_fold"]["accuracy"] > 0.85
    invented = (
        "My husband and I had the most amazing luxury experience in Chicago! The staff "
        "made our anniversary vacation perfect and we will definitely be back."
    )
    lived = (
        "Room on the 12th floor was small but clean, bathroom dated. Parking $45 a night. "
        "Two blocks from the L, elevator slow in the morning."
    )
    first, second = model.probability([invented, lived], ["positive", "positive"])
    assert first > 0.5 > second
