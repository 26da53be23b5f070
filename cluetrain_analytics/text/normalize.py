"""Social-media text normalization: one lower-cased, space-separated token string per message.

The same function runs at training and at prediction time, so the classifiers see the same tokens.
Special tokens are plain words (``xxurl``, ``xxuser`` ...) so that every tokenizer keeps them.
"""

import html
import importlib
import re
from functools import lru_cache
from types import ModuleType

_emoji: ModuleType | None
try:  # the emoji package knows every emoji's name; without it a small table covers the common ones
    _emoji = importlib.import_module("emoji")
except ImportError:  # pragma: no cover - emoji is installed with the analytics core
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
_TOKEN_RE = re.compile(r"\w+(?:'\w+)*|([!?.,;:])\1*|[^\w\s]")
_ESCAPE_RE = re.compile(r"\\u([0-9a-fA-F]{4})")
_SCOPE_END = frozenset(".,;:!?")
_NEGATORS = frozenset(
    {
        *("not", "no", "never", "none", "nobody", "nothing", "nowhere", "neither", "nor"),
        *("cannot", "cant", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent"),
        *("wont", "wouldnt", "shouldnt", "couldnt", "havent", "hasnt", "hadnt", "aint", "without"),
    }
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
    name = str(_emoji.demojize(char, delimiters=("", "")))
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

    >>> tokenize("i do not know!!! why?")
    ['i', 'do', 'not', 'know', '!!!', 'why', '?']
    """
    return [m.group() for m in _TOKEN_RE.finditer(text)]


def mark_negation(tokens: list[str]) -> list[str]:
    """Append ``_NEG`` to every word after a negator, up to the next punctuation mark.

    Special ``xx`` tokens and symbols are left as they are.

    >>> mark_negation(["i", "never", "liked", "it", ",", "but", "ok"])
    ['i', 'never', 'liked_NEG', 'it_NEG', ',', 'but', 'ok']
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
            in_scope = token.replace("'", "") in _NEGATORS or token.endswith("n't")
    return marked


@lru_cache(maxsize=100_000)  # words repeat a lot: most are looked up, not worked out
def _word_tokens(word: str) -> tuple[str, ...]:
    tokens: list[str] = []
    if len(word) > 1 and word.isupper() and word.replace("'", "").isalpha():
        tokens.append(ALL_CAPS)
    shortened = _ELONGATED_RE.sub(r"\1\1", word)
    if shortened != word:
        tokens.append(ELONGATED)
    tokens.append(shortened.lower())
    return tuple(tokens)


def normalize(text: str, *, negation: bool = True) -> str:
    """Normalize one social-media message to a space-separated token string.

    - HTML entities and ``\\uXXXX`` escapes are decoded, curly apostrophes straightened;
      URLs become ``xxurl`` and @mentions ``xxuser``.
    - ``#CamelCase`` hashtags become ``xxhashtag camel case``.
    - Emoji become their names in words ("😂" -> "face with tears of joy").
    - Elongations are cut to two letters and flagged ("soooo" -> "xxelong soo");
      words in capitals are flagged ("LOVE" -> "xxcaps love"); everything is lower-cased.
    - With ``negation``, words after a negator get ``_NEG`` until the next punctuation mark.

    >>> normalize("Not LOVING it &amp; soooo slow!! #EpicFail @Acme http://x.co/1")
    'not xxcaps loving_NEG it_NEG & xxelong soo_NEG slow_NEG !! xxhashtag epic fail xxuser xxurl'
    """
    if "\\u" in text:  # JSON-style escapes left in some exported tweets
        text = _ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if "&" in text:
        text = html.unescape(text)
    text = text.replace("\u2019", "'")
    if "/" in text or "www." in text:
        text = _URL_RE.sub(f" {URL} ", text)
    if "@" in text:
        text = _USER_RE.sub(f" {USER} ", text)
    if "#" in text:
        text = _HASHTAG_RE.sub(lambda m: f" {HASHTAG} {split_hashtag(m.group(1))} ", text)
    text = _emoji_to_words(text)
    tokens = tokenize(text)
    words: list[str] = []
    for token in tokens:
        if token[0].isalnum():
            words.extend(_word_tokens(token))
        else:
            words.append(token)
    if negation:
        words = mark_negation(words)
    return " ".join(words)
