"""A sentence kept untranslated with its values and put into words when it is read (a
notification, an event's evidence, a flag's reason), so that each reader reads it in their own
language (the one who caused it, or the worker that wrote it, may use another).

Producers mark the English sentence with ``gettext_noop`` (so ``makemessages`` finds it) and
pass the values it names: ``Sentence(gettext_noop("%(name)s started following you"),
{"name": follower.name})``. A sentence with a plural form is made with ``Sentence.ngettext``
(the name makes ``makemessages`` take both forms) and names its number ``count``; a value that
is itself one of our words (a status's label) is named in ``translated`` and put into the
reader's language too. A float value (a similarity, a threshold) is written in the reader's
number format ("0,42" in French): name it with ``%(name)s`` in the sentence.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils import formats, translation
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

MAX_CHARS = 300  # what the inbox, the API and an e-mail's first line show at most
MAX_VALUE_CHARS = 300  # a quoted explanation or need is cut before it is stored

Value = str | int | float


def english(label: object) -> str:
    """The English words of a lazily translated label (a choice's), to store as a value named
    in ``translated``."""
    with translation.override("en"):
        return str(label)


@dataclass(frozen=True)
class Sentence:
    singular: str
    values: Mapping[str, Value] = field(default_factory=dict)
    plural: str = ""
    translated: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        cut: dict[str, Value] = {
            key: value[:MAX_VALUE_CHARS] if isinstance(value, str) else value
            for key, value in self.values.items()
        }
        object.__setattr__(self, "values", cut)

    @classmethod
    def ngettext(
        cls, singular: str, plural: str, count: int, values: Mapping[str, Value] | None = None
    ) -> "Sentence":
        return cls(singular, {**(values or {}), "count": count}, plural)

    def render(self) -> str:
        """In the active language, at most MAX_CHARS characters."""
        count = int(self.values.get("count", 1))
        english = self.plural if self.plural and count != 1 else self.singular
        if self.plural:
            template = ngettext(self.singular, self.plural, count)
        else:
            template = gettext(self.singular)
        values = {key: self._in_words(key, value) for key, value in self.values.items()}
        try:
            text = template % values
        except (KeyError, ValueError, TypeError):
            # A translation that names a value the sentence does not carry: the English one.
            text = english % self.values
        return Truncator(text).chars(MAX_CHARS)

    def _in_words(self, key: str, value: Value) -> Value:
        if key in self.translated and isinstance(value, str):
            return gettext(value)
        if isinstance(value, float):
            return formats.number_format(value)
        return value

    def __str__(self) -> str:
        """Rendered in the active language: a template's {{ sentence }} reads it so."""
        return self.render()

    def render_in(self, language: str) -> str:
        with translation.override(language):
            return self.render()

    def as_record(self) -> str:
        """The text column: the sentence in the site's language, for records and search.
        Remembered: bulk writers (the relationship backfill, order notices) write the same few
        sentences over and over, and putting one into words costs more than the rest of a row."""
        values = tuple(self.values.items())
        return _record_in(
            settings.LANGUAGE_CODE, self.singular, self.plural, values, self.translated
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"singular": self.singular, "values": dict(self.values)}
        if self.plural:
            data["plural"] = self.plural
        if self.translated:
            data["translated"] = list(self.translated)
        return data

    @classmethod
    def from_json(cls, data: object) -> "Sentence | None":
        if not isinstance(data, dict) or not isinstance(data.get("singular"), str):
            return None
        values = data.get("values")
        translated = data.get("translated")
        return cls(
            data["singular"],
            dict(values) if isinstance(values, dict) else {},
            str(data.get("plural") or ""),
            tuple(translated) if isinstance(translated, list) else (),
        )

    def replacing(self, old: str, new: str) -> "Sentence":
        """The same sentence with `old` replaced by `new` in every value (an erased title)."""
        values = {
            key: value.replace(old, new) if isinstance(value, str) else value
            for key, value in self.values.items()
        }
        return Sentence(self.singular, values, self.plural, self.translated)


@lru_cache(maxsize=1024)
def _record_in(
    language: str,
    singular: str,
    plural: str,
    values: tuple[tuple[str, Value], ...],
    translated: tuple[str, ...],
) -> str:
    return Sentence(singular, dict(values), plural, translated).render_in(language)


def figure(value: float, places: int) -> str:
    """`value` with `places` decimals in the reader's notation (0,83 in French). Rounded
    first: Django's number_format cuts a float's other decimals (0.8299 would read 0,82)."""
    return formats.number_format(round(value, places), places)


def stored_in_words(stored: object) -> str:
    """A sentence kept with `to_json`, in the active language; anything else (a plain string
    stored before its producer kept sentences) as it was."""
    sentence = Sentence.from_json(stored)
    return sentence.render() if sentence is not None else str(stored)
