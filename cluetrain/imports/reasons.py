"""Import row errors in the reader's language: the parsers (no database) name each bad row's
cue with its values (`RowError`, whose English is `records.ENGLISH`: the command's stderr);
this words them for the upload page, in the request's language when the page is rendered."""

from collections.abc import Callable

from django.utils.translation import gettext_noop

from cluetrain.api.errors import validation_message
from cluetrain.core.sentences import Sentence
from cluetrain.imports.records import ENGLISH, RowError, Values

#: The cues worded from their English record (`records.ENGLISH`, where their msgids are
#: marked); the others carry pydantic's or Python's own words.
SENTENCES = frozenset(ENGLISH) - {"invalid_json", "invalid_field", "unreadable_row"}

# JSONL lines pydantic refused, by its error type; the other types are worded as the API
# words them (cluetrain/api/errors.py), in the same language.
PYDANTIC_SENTENCES: dict[str, Callable[[Values], Sentence]] = {
    "json_invalid": lambda v: Sentence(
        gettext_noop("Invalid JSON: %(error)s"), {"error": v["error"]}
    ),
    "model_type": lambda v: Sentence(gettext_noop("the line is not a JSON object")),
    "timezone_aware": lambda v: Sentence(
        gettext_noop("%(field)s: the date and time needs a time zone (Z or +01:00)"),
        {"field": v["field"]},
    ),
    "url": lambda v: Sentence(
        gettext_noop("%(field)s: should be an http:// or https:// address, without spaces"),
        {"field": v["field"]},
    ),
}


# What the JSONL parser adds to pydantic's context (`ctx`) in an error's values.
_NOT_CONTEXT = ("type", "field", "detail")


def in_words(error: RowError) -> str:
    """Why the row was refused, in the active language (English for a cue this version does
    not word, and for failures no cue foresaw: they are Python's or a library's words)."""
    values = error.values
    try:
        if error.cue in ("invalid_json", "invalid_field"):
            sentence = PYDANTIC_SENTENCES.get(str(values["type"]))
            if sentence is not None:
                return sentence(values).render()
            if error.cue == "invalid_field":
                context = {key: value for key, value in values.items() if key not in _NOT_CONTEXT}
                return validation_message(
                    {
                        "type": values["type"],
                        "loc": (values["field"],),
                        "ctx": context,
                        "msg": values["detail"],
                    }
                )
        elif error.cue in SENTENCES:
            return Sentence(ENGLISH[error.cue], values).render()
    except KeyError:
        pass  # a wording that names a value its parser does not give: the English record
    return error.reason


class ShownError:
    """A row error on the upload page: the line, and why in the language the page is
    rendered in."""

    def __init__(self, error: RowError) -> None:
        self.line = error.line
        self._error = error

    @property
    def reason(self) -> str:
        return in_words(self._error)
