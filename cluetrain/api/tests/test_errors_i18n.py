"""API error messages are translatable: marked for gettext, translated when made."""

from django.utils.functional import Promise

from cluetrain.api.errors import ERROR_TEMPLATES, validation_message


def test_every_error_template_is_marked_for_translation() -> None:
    untranslated = [key for key, value in ERROR_TEMPLATES.items() if not isinstance(value, Promise)]
    assert untranslated == []


def test_a_message_is_made_as_a_plain_string_in_the_active_language() -> None:
    error = {
        "type": "string_too_long",
        "loc": ("body", "payload", "title"),
        "ctx": {"max_length": 3},
    }
    message = validation_message(error)
    assert type(message) is str
    assert message == "title: Should have at most 3 characters"
    unknown = validation_message({"type": "no_such_type", "loc": ("query", "q"), "msg": "odd"})
    assert unknown == "q: odd"
