"""Social-media text normalization: one lower-cased, space-separated token string per message.

The same function runs at training and at prediction time, so the classifiers see the same tokens.
Special tokens are plain words (``xxurl``, ``xxuser`` ...) so that every tokenizer keeps them.
"""

import html
import re
from functools import lru_cache

try:  # the emoji package knows every emoji's name; without it a small table covers the common ones
    import emoji as _emoji
except ImportError:  # pragma: no cover - emoji is installed with the analytics extra
    _emoji = None

__all__ = [
    "ALL_CAPS",
    "ELONGATED",
    "HASHTAG",
    "NEGATION_SUFFIX",
    "URL",
    "USER",
    "mark_negation",
    "normalize",
    "split_hashtag",
    "tokenize",
]

URL = "xxurl"
USER = "xxuser"
HASHTAG = "xxhashtag"
ELONGATED = "xxelong"
ALL_CAPS = "xxcaps"
NEGATION_SUFFIX = "_NEG"

_URL_RE = re.compile(r"(?:https?://|www\.)\S+|\b[a-z0-9.-]+\.(?:com|net|org|ly|co|io)/\S*", re.I)
_USER_RE = re.compile(r"@\w+")
_HASHTAG_RE = re.compile(r"#(\w+)")
_CAMEL_RE = re.compile(r"[A-Z]{2,}(?=[A-Z][a-z]|\d|\b)|[A-Z]?[a-z]+|[A-Z]+|\d+")
_ELONGATED_RE = re.compile(r"(\w)\1{2,}")
# Words (with inner apostrophes), runs of the same punctuation mark, or any other single symbol.
_TOKEN_RE = re.compile(r"\w+(?:['’]\w+)*|([!?.,;:])\1*|[^\w\s]")
_ESCAPE_RE = re.compile(r"\\u([0-9a-fA-F]{4})")
_SCOPE_END = frozenset(".,;:!?")
_NEGATORS = frozenset(
    """not no never none nobody nothing nowhere neither nor cannot cant dont doesnt didnt isnt
    arent wasnt werent wont wouldnt shouldnt couldnt havent hasnt hadnt aint without""".split()
)

# Used only when the emoji package is missing.
_EMOJI_TABLE = {
    "😂": "face with tears of joy",
    "😍": "smiling face with heart eyes",
    "❤": "red heart",
    "😊": "smiling face with smiling eyes",
    "😀": "grinning face",
    "🙂": "slightly smiling face",
    "👍": "thumbs up",
    "👎": "thumbs down",
    "😭": "loudly crying face",
    "😢": "crying face",
    "😡": "enraged face",
    "😠": "angry face",
    "😤": "face with steam from nose",
    "🙄": "face with rolling eyes",
    "😒": "unamused face",
    "😞": "disappointed face",
    "😩": "weary face",
    "🔥": "fire",
    "🎉": "party popper",
    "🙏": "folded hands",
}
_EMOJI_TABLE_RE = re.compile("|".join(map(re.escape, _EMOJI_TABLE)))


def _emoji_to_words(text: str) -> str:
    if text.isascii():
        return text
    if _emoji is not None:
        return str(_emoji.replace_emoji(text, replace=lambda e, data: f" {_emoji_name(e)} "))
    return _EMOJI_TABLE_RE.sub(lambda m: f" {_EMOJI_TABLE[m.group()]} ", text)


@lru_cache(maxsize=4096)
def _emoji_name(char: str) -> str:
    assert _emoji is not None
    name = _emoji.demojize(char, delimiters=("", ""))
    return name.replace("_", " ").replace("-", " ").lower()


def split_hashtag(tag: str) -> str:
    """Split a hashtag's body at camelCase and digit boundaries, lower-cased.

    >>> split_hashtag("NotHappyAtAll")
    'not happy at all'
    >>> split_hashtag("iPhone12")
    'i phone 12'
    >>> split_hashtag("WWDC2024")
    'wwdc 2024'
    """
    parts = _CAMEL_RE.findall(tag)
    return " ".join(parts).lower() if parts else tag.lower()


def tokenize(text: str) -> list[str]:
    """Split already normalized text into words and punctuation marks.

    >>> tokenize("i don't know!!! why?")
    ["i", "don't", 'know', '!!!', 'why', '?']
    """
    return [m.group() for m in _TOKEN_RE.finditer(text)]


def mark_negation(tokens: list[str]) -> list[str]:
    """Append ``_NEG`` to every word after a negator, up to the next punctuation mark.

    Special ``xx`` tokens and symbols are left as they are.

    >>> mark_negation(["i", "don't", "like", "it", ",", "but", "ok"])
    ["i", "don't", 'like_NEG', 'it_NEG', ',', 'but', 'ok']
    """
    marked = []
    in_scope = False
    for token in tokens:
        if token[0] in _SCOPE_END:
            in_scope = False
            marked.append(token)
        elif token.startswith("xx") or not token[0].isalnum():
            marked.append(token)
        elif in_scope:
            marked.append(token + NEGATION_SUFFIX)
        else:
            marked.append(token)
            bare = token.replace("'", "").replace("’", "")
            in_scope = bare in _NEGATORS or token.endswith(("n't", "n’t"))
    return marked


def _add_word(words: list[str], word: str) -> None:
    if len(word) > 1 and word.isupper() and word.replace("'", "").isalpha():
        words.append(ALL_CAPS)
    shortened = _ELONGATED_RE.sub(r"\1\1", word)
    if shortened != word:
        words.append(ELONGATED)
    words.append(shortened.lower())


def normalize(text: str, *, negation: bool = True) -> str:
    """Normalize one social-media message to a space-separated token string.

    - HTML entities and ``\\uXXXX`` escapes are decoded; URLs become ``xxurl`` and @mentions ``xxuser``.
    - ``#CamelCase`` hashtags become ``xxhashtag camel case``.
    - Emoji become their names in words ("😂" -> "face with tears of joy").
    - Elongations are cut to two letters and flagged ("soooo" -> "xxelong soo");
      words in capitals are flagged ("LOVE" -> "xxcaps love"); everything is lower-cased.
    - With ``negation``, words after a negator get ``_NEG`` until the next punctuation mark.

    >>> normalize("I don't LOVE it &amp; it's soooo slow!! #EpicFail @Acme http://x.co/1")
    "i don't xxcaps love_NEG it_NEG & it's xxelong soo slow !! xxhashtag epic fail xxuser xxurl"
    """
    if "\\u" in text:  # JSON-style escapes left in some exported tweets
        text = _ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), text)
    text = html.unescape(text)
    text = _URL_RE.sub(f" {URL} ", text)
    text = _USER_RE.sub(f" {USER} ", text)
    text = _HASHTAG_RE.sub(lambda m: f" {HASHTAG} {split_hashtag(m.group(1))} ", text)
    text = _emoji_to_words(text)
    tokens = tokenize(text)
    words: list[str] = []
    for token in tokens:
        if token[0].isalnum():
            _add_word(words, token)
        else:
            words.append(token)
    if negation:
        words = mark_negation(words)
    return " ".join(words)
