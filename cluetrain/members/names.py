"""Names as the member picker compares them: folded (lower case, no accents) and cut into the
keys it looks members up by (`LookupKey`, members/lookup.py). Plain functions, no models: the
models, the lookup and the migration that first wrote the keys share them."""

import re
import unicodedata
from typing import NamedTuple

#: A folded key is cut to this length (the column's): nobody types a name that long.
KEY_LENGTH = 200

# Letters that no accent decomposition turns into their base letter.
_STROKED = {"ø": "o", "đ": "d", "ł": "l", "ħ": "h", "ŧ": "t", "\u0131": "i"}  # dotless i
_LIGATURES = {"ß": "ss", "æ": "ae", "œ": "oe", "ĳ": "ij"}
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without accents: "Žofie Ørsted" -> "zofie orsted"."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return "".join(_STROKED.get(c, _LIGATURES.get(c, c)) for c in text)


def words(folded: str) -> list[str]:
    """The words of folded text: runs of letters and digits ("o.brien" -> o, brien)."""
    return _WORD.findall(folded)


def whole(text: str) -> str:
    """Text folded as a whole key: its spaces collapsed, cut to the key's length."""
    return " ".join(fold(text).split())[:KEY_LENGTH]


class Keys(NamedTuple):
    """What one member is found by: their whole username and name, and every word of both."""

    username: str
    name: str
    words: frozenset[str]


def lookup_keys(username: str, display_name: str) -> Keys:
    folded = f"{fold(username)} {fold(display_name)}"
    return Keys(
        username=whole(username),
        name=whole(display_name),
        words=frozenset(word[:KEY_LENGTH] for word in words(folded)),
    )
