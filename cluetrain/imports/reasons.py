"""Import row errors in the reader's language: the parsers (no Django) name each bad row's cue
with its values (`RowError`, whose English is `records.ENGLISH`: the command's stderr); this
words them for the upload page, in the request's language when the page is rendered."""

from collections.abc import Callable

from django.utils.translation import gettext_noop

from cluetrain.api.errors import validation_message
from cluetrain.core.sentences import Sentence
from cluetrain.imports.records import RowError, Values

SENTENCES: dict[str, Callable[[Values], Sentence]] = {
    "missing_columns": lambda v: Sentence(
        gettext_noop("missing column(s): %(columns)s"), {"columns": v["columns"]}
    ),
    "too_few_columns": lambda v: Sentence(gettext_noop("too few columns")),
    "columns_short": lambda v: Sentence(
        gettext_noop("expected at least %(width)s columns, found %(found)s"),
        {"width": v["width"], "found": v["found"]},
    ),
    "empty_review": lambda v: Sentence(
        gettext_noop("reviewer, product and text must not be empty")
    ),
    "empty_author": lambda v: Sentence(gettext_noop("author_id is empty")),
    "tweet_id_not_a_number": lambda v: Sentence(
        gettext_noop("tweet id %(value)s is not a number"), {"value": v["value"]}
    ),
    "stars_not_a_whole_number": lambda v: Sentence(
        gettext_noop("stars %(value)s is not a whole number"), {"value": v["value"]}
    ),
    "stars_range": lambda v: Sentence(
        gettext_noop("stars must be 1 to 5, not %(stars)s"), {"stars": v["stars"]}
    ),
    "inbound_not_true_or_false": lambda v: Sentence(
        gettext_noop("inbound must be True or False, not %(value)s"), {"value": v["value"]}
    ),
    "created_at_not_like": lambda v: Sentence(
        gettext_noop("created_at %(value)s is not like %(example)s"),
        {"value": v["value"], "example": v["example"]},
    ),
    "time_not_iso": lambda v: Sentence(
        gettext_noop("time %(value)s is not a date and time (ISO 8601)"), {"value": v["value"]}
    ),
    "unreadable_feed": lambda v: Sentence(
        gettext_noop("not a readable feed: %(detail)s"), {"detail": v["detail"]}
    ),
    "entry_without_id": lambda v: Sentence(gettext_noop("entry has neither id nor link")),
    "entry_without_text": lambda v: Sentence(gettext_noop("entry has no text")),
    "entry_without_date": lambda v: Sentence(gettext_noop("no published or updated date")),
    "rating_without_product": lambda v: Sentence(gettext_noop("rating: a rating needs a product")),
    "unreadable_gz": lambda v: Sentence(
        gettext_noop("not a readable .gz file: %(detail)s"), {"detail": v["detail"]}
    ),
    "no_source": lambda v: Sentence(gettext_noop("no source: give --source NAME")),
    "id_too_long": lambda v: Sentence(
        gettext_noop("id longer than %(limit)s characters"), {"limit": v["limit"]}
    ),
    "unknown_product": lambda v: Sentence(
        gettext_noop("unknown product %(product)s: no product has that name or slug"),
        {"product": v["product"]},
    ),
}

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
            return SENTENCES[error.cue](values).render()
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
