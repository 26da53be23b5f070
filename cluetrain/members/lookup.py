"""Find the member a person means from a few typed letters: a form that names someone (a
referral's customer) offers the people whose username or name starts so, never only an exact
@username.

Matching ignores case and accents ("jose" finds "José Núñez") and looks at the start of the
username, of the name, and of each word of the name ("arch" finds "Alice Archer"). It runs
in the database as a regular expression (`iregex`: SQLite through Python's `re`, PostgreSQL
natively) in which each letter stands for itself and its accented forms, so no extension
(unaccent) and no extra column are needed; the member table is scanned, which a bounded,
rate-limited lookup can afford.

Who is found: active members only, as the people directory shows them. Blocks between two
members are the relationships app's to enforce on what is done with the person found.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext

from cluetrain.core.ratelimit import do_take_or_refuse
from cluetrain.members.access import Viewer
from cluetrain.members.models import Member

#: How many people a lookup offers by default.
LIMIT = 8
#: Typed text longer than this is cut: no name is that long.
MAX_TEXT = 150
#: A typo-tolerant guess keeps people at least this similar (difflib's ratio, 0 to 1).
MIN_SIMILARITY = 0.6
#: How many people the typo-tolerant guess compares, at most.
SIMILAR_CANDIDATES = 200

# Letters that no accent decomposition turns into their base letter.
_STROKED = {"ø": "o", "đ": "d", "ł": "l", "ħ": "h", "ŧ": "t", "\u0131": "i"}  # dotless i
_LIGATURES = {"ß": "ss", "æ": "ae", "œ": "oe", "ĳ": "ij"}


def fold(text: str) -> str:
    """Lower case without accents: "Žofie Ørsted" -> "zofie orsted"."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return "".join(_STROKED.get(c, _LIGATURES.get(c, c)) for c in text)


@cache
def _letter_forms() -> dict[str, str]:
    """Each base letter and every Latin letter that folds to it, in both cases."""
    forms: dict[str, str] = {}
    for code in range(0x41, 0x250):
        char = chr(code)
        base = fold(char) if char.isalpha() else ""
        if len(base) == 1 and base.isascii():
            forms[base] = forms.get(base, "") + char
    return {base: "".join(sorted(chars)) for base, chars in forms.items()}


def _pattern(folded: str) -> str:
    """A regular expression for folded text: every letter matches its accented forms too."""
    forms = _letter_forms()
    parts: list[str] = []
    for char in folded:
        if char in forms:
            parts.append(f"[{forms[char]}]")
        elif char.isspace():
            parts.append(r"\s+")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


# The start of the text or of a word: after a space or the punctuation usernames allow.
_WORD_START = r"(^|[\s._@+-])"


def _terms(folded: str) -> list[str]:
    return re.findall(r"[^\W_]+", folded)


def _clean(text: str) -> str:
    return text.strip().lstrip("@").strip()[:MAX_TEXT]


def _visible(viewer: Viewer) -> QuerySet[Member]:
    if not viewer.is_authenticated:
        return Member.objects.none()
    return Member.objects.filter(is_active=True)


def _matching_every_term(people: QuerySet[Member], terms: list[str]) -> QuerySet[Member]:
    for term in terms:
        starts_a_word = _WORD_START + _pattern(term)
        people = people.filter(
            Q(username__iregex=starts_a_word) | Q(display_name__iregex=starts_a_word)
        )
    return people


def find_members(text: str, viewer: Viewer, limit: int = LIMIT) -> list[Member]:
    """The members `viewer` may see whose username or name matches `text`, best first: the
    exact @username, then names and usernames that start with the text, then those where
    each typed word starts a word of the name ("ali arc" finds "Alice Archer")."""
    text = _clean(text)
    folded = fold(text)
    terms = _terms(folded)
    if not terms or limit < 1:
        return []
    whole = "^" + _pattern(" ".join(folded.split()))
    rank = Case(
        When(username__iexact=text, then=Value(0)),
        When(Q(username__iregex=whole) | Q(display_name__iregex=whole), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    people = _matching_every_term(_visible(viewer), terms)
    return list(
        people.select_related("organization")
        .annotate(match_rank=rank)
        .order_by("match_rank", "display_name", "username")[:limit]
    )


def find_similar_members(text: str, viewer: Viewer, limit: int = LIMIT) -> list[Member]:
    """A guess for text that matches nobody, such as a typo ("alcie" -> Alice): the members
    whose words start with the same two letters, kept when they are similar enough."""
    folded = " ".join(_terms(fold(_clean(text))))
    terms = [term[:2] for term in _terms(folded)]
    if not terms or limit < 1:
        return []
    candidates = _matching_every_term(_visible(viewer), terms).select_related("organization")
    scored = [
        (_similarity(folded, person), person)
        for person in candidates.order_by("username")[:SIMILAR_CANDIDATES]
    ]
    scored = [(score, person) for score, person in scored if score >= MIN_SIMILARITY]
    scored.sort(key=lambda pair: (-pair[0], pair[1].username))
    return [person for _, person in scored[:limit]]


def _similarity(folded: str, person: Member) -> float:
    names = [fold(person.username), fold(person.display_name)]
    names += fold(person.display_name).split()
    return max(difflib.SequenceMatcher(None, folded, name).ratio() for name in names if name)


def exact_member(text: str, viewer: Viewer) -> Member | None:
    """The one member `text` names without doubt: their @username (exactly, or in other
    letter case when only one member has it so), or a full name only one member has."""
    text = _clean(text)
    if not text:
        return None
    people = _visible(viewer).select_related("organization")
    named = people.filter(username=text).first()
    if named is not None:
        return named
    for candidates in (
        people.filter(username__iexact=text),
        people.filter(display_name__iregex="^" + _pattern(" ".join(fold(text).split())) + "$"),
    ):
        found = list(candidates[:2])
        if len(found) == 1:
            return found[0]
        if found:
            return None
    return None


@dataclass(frozen=True)
class Pick:
    """What typed text names: one member, or the people to choose from (a guess when
    `similar`: nobody matched the text as typed)."""

    member: Member | None = None
    choices: list[Member] = field(default_factory=list)
    similar: bool = False


def pick_member(text: str, viewer: Viewer, limit: int = LIMIT) -> Pick:
    """The member `text` names exactly, else the people it may mean."""
    member = exact_member(text, viewer)
    if member is not None:
        return Pick(member=member)
    return _choices(text, viewer, limit)


def _choices(text: str, viewer: Viewer, limit: int) -> Pick:
    choices = find_members(text, viewer, limit)
    if choices:
        return Pick(choices=choices)
    return Pick(choices=find_similar_members(text, viewer, limit), similar=True)


#: Suggestions a member may ask for in a minute: one per pause in typing is far below it.
LOOKUPS_PER_MINUTE = 60


def check_suggest_members(viewer: Member, text: str, limit: int = LIMIT) -> Pick:
    """Suggestions while `viewer` types a name: each one scans the member table, so they are
    counted against a per-minute allowance (a 429 past it)."""
    do_take_or_refuse(
        f"member-lookup:{viewer.pk}",
        limit=LOOKUPS_PER_MINUTE,
        window=timedelta(minutes=1),
        message=gettext("Too many lookups in a minute: wait a moment and type again."),
    )
    return _choices(text, viewer, limit)
