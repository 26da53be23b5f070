"""Find the member a person means from a few typed letters: a form that names someone (a
referral's customer) offers the people whose username or name starts so, never only an exact
@username.

Matching ignores case and accents ("jose" finds "José Núñez") and looks at the start of the
username, of the name, and of each word of them ("arch" finds "Alice Archer"). It runs in the
database on the members' lookup keys (`LookupKey`: their username, name and words, folded as
members/names.py does), so each typed word is a range of one index and a lookup costs about
the same among a thousand members as among a hundred thousand. A typo is guessed from the
words that start like it (at most SIMILAR_WORDS of them), compared in Python with difflib.

Who is found: active members only, as the people directory shows them. Blocks between two
members are the relationships app's to enforce on what is done with the person found.
"""

import difflib
import heapq
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length
from django.utils.translation import gettext

from cluetrain.core.ratelimit import do_take_or_refuse
from cluetrain.members.access import Viewer
from cluetrain.members.models import LookupKey, Member
from cluetrain.members.names import KEY_LENGTH, fold, whole, words

#: How many people a lookup offers by default.
LIMIT = 8
#: Typed text longer than this is cut: no name is that long.
MAX_TEXT = 150
#: A typo-tolerant guess keeps people at least this similar (difflib's ratio, 0 to 1).
MIN_SIMILARITY = 0.6
#: How many people the typo-tolerant guess compares, at most.
SIMILAR_CANDIDATES = 200
#: How many known words that start like a typed word the guess compares it with, at most.
SIMILAR_WORDS = 500
#: How many of those closest words per typed word lead to people.
CLOSEST_WORDS = 20


def _clean(text: str) -> str:
    return text.strip().lstrip("@").strip()[:MAX_TEXT]


def _visible(viewer: Viewer) -> QuerySet[Member]:
    if not viewer.is_authenticated:
        return Member.objects.none()
    return Member.objects.filter(is_active=True)


def _starting_with(prefix: str) -> Q:
    """Keys that start with `prefix`, as one range of the key index."""
    if connection.vendor == "postgresql":
        # LIKE 'prefix%' is served by the index's varchar_pattern_ops, whatever the collation.
        return Q(key__startswith=prefix)
    # SQLite's LIKE ignores case and so cannot use a BINARY index; a range of it can (keys
    # are compared byte by byte, and U+10FFFF is above any character a key holds).
    return Q(key__gte=prefix, key__lt=prefix + "\U0010ffff")


def _members_with(keys: Q, *kinds: str) -> QuerySet[LookupKey, int]:
    return LookupKey.objects.filter(keys, kind__in=kinds).values_list("member_id", flat=True)


def _matching_every_term(people: QuerySet[Member], terms: list[str]) -> QuerySet[Member]:
    for term in terms:
        people = people.filter(pk__in=_members_with(_starting_with(term), LookupKey.Kind.WORD))
    return people


def find_members(text: str, viewer: Viewer, limit: int = LIMIT) -> list[Member]:
    """The members `viewer` may see whose username or name matches `text`, best first: the
    exact @username, then names and usernames that start with the text, then those where
    each typed word starts a word of the name ("ali arc" finds "Alice Archer")."""
    text = _clean(text)
    terms = [term[:KEY_LENGTH] for term in words(fold(text))]
    if not terms or limit < 1:
        return []
    starting_whole = _members_with(
        _starting_with(whole(text)), LookupKey.Kind.USERNAME, LookupKey.Kind.NAME
    )
    rank = Case(
        When(username__iexact=text, then=Value(0)),
        When(pk__in=starting_whole, then=Value(1)),
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
    who have, for each typed word, one of the known words closest to it among those that
    start with the same two letters, kept when they are similar enough."""
    folded = " ".join(words(fold(_clean(text))))
    terms = words(folded)
    if not terms or limit < 1:
        return []
    people = _visible(viewer)
    for term in terms:
        close = _closest_words(term[:KEY_LENGTH])
        people = people.filter(pk__in=_members_with(Q(key__in=close), LookupKey.Kind.WORD))
    candidates = people.select_related("organization").order_by("username")
    scored = [(_similarity(folded, person), person) for person in candidates[:SIMILAR_CANDIDATES]]
    scored = [(score, person) for score, person in scored if score >= MIN_SIMILARITY]
    scored.sort(key=lambda pair: (-pair[0], pair[1].username))
    return [person for _, person in scored[:limit]]


def _closest_words(term: str) -> list[str]:
    """The known words most like `term` among those starting with its first two letters.
    Only words of a length that can reach MIN_SIMILARITY are read: difflib's ratio is at
    most 2·min/(len a + len b), so a word more than 7/3 times longer or shorter cannot."""
    lengths = (len(term) * 3 + 6) // 7, len(term) * 7 // 3
    known = (
        LookupKey.objects.filter(_starting_with(term[:2]), kind=LookupKey.Kind.WORD)
        .annotate(length=Length("key"))
        .filter(length__range=lengths)
        .values_list("key", flat=True)
        .order_by("key")
        .distinct()[:SIMILAR_WORDS]
    )
    ratio = {word: difflib.SequenceMatcher(None, term, word).ratio() for word in known}
    return heapq.nlargest(CLOSEST_WORDS, ratio, key=lambda word: (ratio[word], word))


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
    key = whole(text)
    # Folded keys are the index's way in; letter case alone may differ from a username.
    same_username = [
        person
        for person in people.filter(pk__in=_members_with(Q(key=key), LookupKey.Kind.USERNAME))[:20]
        if person.username.casefold() == text.casefold()
    ]
    for found in (
        same_username[:2],
        list(people.filter(pk__in=_members_with(Q(key=key), LookupKey.Kind.NAME))[:2]),
    ):
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
    """Suggestions while `viewer` types a name, counted against a per-minute allowance (a 429
    past it): each one is a few index ranges now, but a script could still list the members."""
    do_take_or_refuse(
        f"member-lookup:{viewer.pk}",
        limit=LOOKUPS_PER_MINUTE,
        window=timedelta(minutes=1),
        message=gettext("Too many lookups in a minute: wait a moment and type again."),
    )
    return _choices(text, viewer, limit)
