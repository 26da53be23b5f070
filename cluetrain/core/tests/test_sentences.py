"""Sentences put into words in the reader's language, numbers in the reader's format."""

from django.utils.translation import gettext_noop

from cluetrain.core.sentences import Sentence, stored_in_words


def test_a_float_value_is_written_in_the_readers_number_format() -> None:
    sentence = Sentence(
        gettext_noop("what it offers reads like the request (%(similarity)s)"),
        {"similarity": 0.42},
    )
    kept = Sentence.from_json(sentence.to_json())
    assert kept == sentence
    assert sentence.render_in("en") == "what it offers reads like the request (0.42)"
    assert sentence.render_in("fr") == "ce qu'il propose ressemble à la demande (0,42)"


def test_a_stored_sentence_is_read_in_the_active_language_and_plain_text_as_it_was() -> None:
    stored = Sentence(gettext_noop("offers %(category)s"), {"category": "vélos"}).to_json()
    assert stored_in_words(stored) == "offers vélos"
    assert stored_in_words("written before sentences") == "written before sentences"
