import doctest
import random

import pytest
from sklearn.exceptions import NotFittedError  # type: ignore[import-untyped]

from cluetrain_analytics.text import topics
from cluetrain_analytics.text.topics import STOP_WORDS, TopicModel

THEMES = {
    "wifi": ["wifi", "router", "disconnects", "signal", "offline", "firmware"],
    "battery": ["battery", "charge", "charger", "drains", "weeks", "flat"],
    "refund": ["refund", "refused", "order", "money", "receipt", "bank"],
}


def corpus(per_theme: int = 40, seed: int = 0) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    texts, themes = [], []
    for theme, words in THEMES.items():
        for _ in range(per_theme):
            picked = rng.sample(words, 4)
            texts.append(f"Hi all, my {picked[0]} and the {picked[1]} {picked[2]} {picked[3]} 😡")
            themes.append(theme)
    return texts, themes


def test_doctests_pass() -> None:
    assert doctest.testmod(topics).failed == 0


def test_topics_follow_the_themes() -> None:
    texts, themes = corpus()
    model = TopicModel(3, min_df=2).fit(texts)
    predicted = model.predict(texts)
    for theme in THEMES:
        ids = {p for p, t in zip(predicted, themes, strict=True) if t == theme}
        assert len(ids) == 1, theme  # one topic per theme
    assert len(set(predicted)) == 3
    assert sorted(t.size for t in model.topics_) == [40, 40, 40]


def test_labels_are_readable() -> None:
    model = TopicModel(3, min_df=2).fit(corpus()[0])
    for topic in model.topics_:
        words = [w for k in topic.keywords for w in k.split()]
        assert not any(w in STOP_WORDS or w.startswith("xx") for w in words), topic
        assert "enraged" not in words  # emoji names are dropped
        assert "·" not in topic.label
        assert 1 <= len(topic.label.split()) <= 2
        assert not set(topic.label.split()) & STOP_WORDS
        # "charge" and "charger" are one keyword, not two.
        assert not ({"charge", "charger"} <= set(topic.keywords))


def test_n_topics_is_chosen_when_not_given() -> None:
    model = TopicModel(candidates=(2, 3, 6), min_df=2).fit(corpus()[0])
    assert set(model.quality_) == {2, 3, 6}
    assert len(model.topics_) == max(model.quality_, key=model.quality_.__getitem__)


def test_unrelated_messages_get_no_topic() -> None:
    model = TopicModel(3, min_df=2).fit(corpus()[0])
    assert model.predict(["zebra giraffe safari", ""]) == [-1, -1]
    assert model.predict([]) == []


def test_same_seed_same_topics() -> None:
    texts = corpus()[0]
    first = TopicModel(3, min_df=2, random_state=7).fit(texts).topics_
    assert TopicModel(3, min_df=2, random_state=7).fit(texts).topics_ == first


def test_bad_input() -> None:
    with pytest.raises(NotFittedError):
        TopicModel().predict(["x"])
    with pytest.raises(ValueError, match="too few or too short"):
        TopicModel(2).fit(["hi", "the"])
    with pytest.raises(ValueError, match="n_topics must be at least 1"):
        TopicModel(0).fit(corpus()[0])
