"""Order routing (Shopatron): who gets an order, from the rows alone.

Once a day every open order goes to the nearest retailer that claimed it; retailers within the
same tenth of a kilometre are a tie, broken by reputation (higher first), then by claim time
(earlier first), then by retailer id, so that the choice is always one. An order nobody
claimed goes to the manufacturer.

Two implementations of the same choice over the same columns: `resolve` (numpy, set-based:
one sort of all claims) is what the product runs; `resolve_loop` is the plain Python loop the
benchmark compares it with (`cluetrain bench routing`). Places are real: `geocode` and the
great-circle distances come from `cluetrain_analytics.places`.
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from cluetrain_analytics.places import (
    EARTH_RADIUS_KM,
    Place,
    cities,
    distance_km,
    distances_km,
    geocode,
)

City = Place  # a retailer's or an order's place

__all__ = [
    "REASONS",
    "City",
    "Claims",
    "Decisions",
    "Orders",
    "Retailers",
    "cities",
    "distance_km",
    "distances_km",
    "geocode",
    "resolve",
    "resolve_loop",
]

BANDS_PER_KM = 10  # distances within the same 100 m are a tie
# Why an order went where it went; `Decisions.reason` holds the index.
REASONS = ("manufacturer", "nearest", "reputation", "claim_time")
MANUFACTURER, NEAREST, REPUTATION, CLAIM_TIME = range(4)

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Orders:
    """The open orders: ids and ship-to coordinates."""

    id: Ints
    latitude: Floats
    longitude: Floats

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, float, float]]) -> "Orders":
        table = list(rows)
        coordinates = np.array(table, dtype=np.float64).reshape(-1, 3)
        ids = np.fromiter((r[0] for r in table), dtype=np.int64, count=len(table))
        return cls(ids, coordinates[:, 1].copy(), coordinates[:, 2].copy())


@dataclass(frozen=True)
class Retailers:
    """Retailers: ids, places and reputation in [-1, 1] (0 for one not rated yet)."""

    id: Ints
    latitude: Floats
    longitude: Floats
    reputation: Floats

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, float, float, float]]) -> "Retailers":
        table = list(rows)
        values = np.array(table, dtype=np.float64).reshape(-1, 4)
        ids = np.fromiter((r[0] for r in table), dtype=np.int64, count=len(table))
        return cls(ids, values[:, 1].copy(), values[:, 2].copy(), values[:, 3].copy())


@dataclass(frozen=True)
class Claims:
    """Claims: which retailer claimed which order, when (integer microseconds)."""

    order: Ints
    retailer: Ints
    claimed_us: Ints

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, int, int]]) -> "Claims":
        table = np.array(list(rows), dtype=np.int64).reshape(-1, 3)
        return cls(table[:, 0].copy(), table[:, 1].copy(), table[:, 2].copy())


@dataclass(frozen=True)
class Decisions:
    """One row per order, in the order of `Orders.id`: the winner (0: the manufacturer), the
    reason (an index into REASONS) and the winner's distance in km (NaN: the manufacturer)."""

    order: Ints
    winner: Ints
    reason: npt.NDArray[np.int8]
    km: Floats

    def as_dict(self) -> dict[int, tuple[int, str]]:
        """{order id: (winner, reason name)}: what the loop returns, to compare."""
        return {
            int(order): (int(winner), REASONS[int(reason)])
            for order, winner, reason in zip(self.order, self.winner, self.reason, strict=True)
        }


def _positions(ids: Ints, wanted: Ints) -> Ints:
    """The position in `ids` of each of `wanted`, -1 where absent: a lookup table when the ids
    are dense (database ids of a batch are), a binary search otherwise."""
    found = np.full(len(wanted), -1, dtype=np.int64)
    if len(ids) == 0 or len(wanted) == 0:
        return found
    low, high = int(ids.min()), int(ids.max())
    inside = (wanted >= low) & (wanted <= high)
    if high - low < 4 * len(ids) + 1024:
        table = np.full(high - low + 1, -1, dtype=np.int64)
        table[ids - low] = np.arange(len(ids), dtype=np.int64)
        found[inside] = table[wanted[inside] - low]
        return found
    order = np.argsort(ids, kind="stable")
    at = np.searchsorted(ids[order], wanted[inside])
    at = np.minimum(at, len(ids) - 1)
    hit = ids[order][at] == wanted[inside]
    found[np.flatnonzero(inside)[hit]] = order[at[hit]]
    return found


def resolve(orders: Orders, retailers: Retailers, claims: Claims) -> Decisions:
    """The set-based resolution: distances in one pass, the nearest band of each order by an
    unbuffered minimum, then one lexicographic sort of the claims in it.

    Claims of orders not in `orders`, or by retailers not in `retailers`, are ignored.
    """
    count = len(orders.id)
    winner = np.zeros(count, dtype=np.int64)
    reason = np.full(count, MANUFACTURER, dtype=np.int8)
    km = np.full(count, np.nan, dtype=np.float64)
    # Where each claim's order and retailer are (-1: not in the rows given).
    opos, rpos = _positions(orders.id, claims.order), _positions(retailers.id, claims.retailer)
    known = (opos >= 0) & (rpos >= 0)
    if not known.any():
        return Decisions(orders.id, winner, reason, km)
    opos, rpos = opos[known], rpos[known]
    claimant, claimed_us = claims.retailer[known], claims.claimed_us[known]
    # Haversine with each place's trigonometry computed once, not once per claim.
    o_lat, o_lon = np.radians(orders.latitude), np.radians(orders.longitude)
    r_lat, r_lon = np.radians(retailers.latitude), np.radians(retailers.longitude)
    o_cos, r_cos = np.cos(o_lat), np.cos(r_lat)
    a = (
        np.sin((r_lat[rpos] - o_lat[opos]) / 2) ** 2
        + o_cos[opos] * r_cos[rpos] * np.sin((r_lon[rpos] - o_lon[opos]) / 2) ** 2
    )  # distance_km's operations, in its order
    dist = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, a)))
    band = np.floor(dist * BANDS_PER_KM).astype(np.int64)
    # Only the claims in their order's nearest band can win: find that band per order
    # (one unbuffered minimum), then sort just those few by the tie-breaks.
    nearest = np.full(count, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(nearest, opos, band)
    near = np.flatnonzero(band == nearest[opos])
    opos, claimant, claimed_us = opos[near], claimant[near], claimed_us[near]
    dist, band, reputation = dist[near], band[near], retailers.reputation[rpos[near]]
    # Last key first: by order, then reputation (high first), claim time, retailer id.
    ranked = np.lexsort((claimant, claimed_us, -reputation, opos))
    grouped = opos[ranked]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    best = ranked[starts]
    following = np.minimum(starts + 1, len(ranked) - 1)
    second = ranked[following]
    # A second claim in the same order is in the same band: a tie.
    same_band = (starts + 1 < len(ranked)) & (grouped[following] == grouped[starts])
    same_reputation = same_band & (reputation[second] == reputation[best])
    target = opos[best]
    winner[target] = claimant[best]
    km[target] = dist[best]
    reason[target] = np.where(
        same_reputation, CLAIM_TIME, np.where(same_band, REPUTATION, NEAREST)
    ).astype(np.int8)
    return Decisions(orders.id, winner, reason, km)


def resolve_loop(
    orders: Iterable[tuple[int, float, float]],
    retailers: Iterable[tuple[int, float, float, float]],
    claims: Iterable[tuple[int, int, int]],
) -> dict[int, tuple[int, str]]:
    """The same choice as `resolve`, one order at a time in plain Python:
    {order id: (winner, reason name)}, the winner 0 for the manufacturer."""
    where = {retailer: (lat, lon, rep) for retailer, lat, lon, rep in retailers}
    claims_of: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for order, retailer, claimed_us in claims:
        if retailer in where:
            claims_of[order].append((retailer, claimed_us))
    decided: dict[int, tuple[int, str]] = {}
    for order, lat, lon in orders:
        ranked = []
        for retailer, claimed_us in claims_of.get(order, ()):
            rlat, rlon, rep = where[retailer]
            band = math.floor(distance_km(lat, lon, rlat, rlon) * BANDS_PER_KM)
            ranked.append((band, -rep, claimed_us, retailer))
        if not ranked:
            decided[order] = (0, REASONS[MANUFACTURER])
            continue
        ranked.sort()
        best = ranked[0]
        why = NEAREST
        if len(ranked) > 1 and ranked[1][0] == best[0]:
            why = CLAIM_TIME if ranked[1][1] == best[1] else REPUTATION
        decided[order] = (best[3], REASONS[why])
    return decided
