"""Matching picks the vendors near a request with a bounding box in SQL, and finds exactly
what reading every vendor finds."""

import random

import pytest
from pytest_django.fixtures import Settings

from cluetrain.intents.matching import (
    _vendors_near,
    bounding_box,
    candidates,
    do_sync_vendor_places,
)
from cluetrain.intents.models import Intent, VendorPlace
from cluetrain.members.models import Member
from cluetrain.organizations.models import Offering, Organization, Product
from cluetrain_analytics.places import cities, distance_km, geocode
from conftest import Cast

TRADES = {
    "car rental": "rent a car by the day, airport pickup, compact cars, vans",
    "plumbing": "boilers, leaking taps, bathrooms, drains",
    "bicycles": "bike repair, e-bikes, rentals, tune-ups",
    "catering": "weddings, office lunches, vegan menus",
}
EXTRA_WORDS = ["electric", "family", "weekend", "cheap", "premium", "same day", "child seats"]


def _market(rng: random.Random, n: int) -> list[Organization]:
    places = list(cities(min_population=300_000))
    rng.shuffle(places)
    near_boston = ["Boston, MA", "Cambridge, MA", "Worcester, MA", "Providence, RI"]
    orgs = []
    for i in range(n):
        trade = rng.choice(sorted(TRADES))
        if i % 10 == 0:
            location = ""  # serves everywhere
        elif i % 10 == 1:
            location = "Atlantis"  # not in the gazetteer: serves everywhere too
        elif i % 10 < 5:
            location = rng.choice(near_boston)
        else:
            location = places[i % len(places)].name
        orgs.append(
            Organization(
                name=f"Vendor {i}",
                slug=f"vendor-{i}",
                kind=rng.choice([Organization.Kind.VENDOR, Organization.Kind.PARTNER]),
                category=trade if i % 3 else "",
                location=location,
                description=f"{TRADES[trade]}, {rng.choice(EXTRA_WORDS)}",
            )
        )
    orgs = Organization.objects.bulk_create(orgs)
    Product.objects.bulk_create(
        Product(organization=o, name=f"{o.name} basic", slug=f"{o.slug}-p", category=o.category)
        for o in orgs[::4]
    )
    Offering.objects.bulk_create(
        Offering(provider=o, title=f"{rng.choice(EXTRA_WORDS)} service", description="")
        for o in orgs[::5]
    )
    return orgs


def _intent(customer: Member, place: str, category: str, title: str) -> Intent:
    point = geocode(place) if place else None
    return Intent(
        customer=customer,
        title=title,
        category=category,
        description="",
        latitude=point.latitude if point else None,
        longitude=point.longitude if point else None,
        must_haves=[],
    )


@pytest.mark.parametrize("radius", [150, 2000])
def test_the_box_finds_what_reading_every_vendor_finds(
    cast: Cast, settings: Settings, radius: int
) -> None:
    settings.INTENTS_SERVICE_RADIUS_KM = radius
    rng = random.Random(7)
    _market(rng, 240)
    requests = [
        ("Boston, MA", "car rental", "A rental car, electric if possible"),
        ("Boston, MA", "plumbing", "A leaking tap in the bathroom"),
        ("London", "bicycles", "An e-bike tune-up"),
        ("Tokyo", "catering", "Vegan office lunches"),
        ("", "car rental", "A family van for the weekend"),  # no place: every vendor
        ("Auckland", "car rental", "A car at the airport"),
    ]
    compared = 0
    for place, category, title in requests:
        intent = _intent(cast.alice, place, category, title)
        boxed = candidates(intent)
        scanned = candidates(intent, prefilter=False)
        assert boxed == scanned
        compared += len(boxed)
    assert compared > 50  # the comparison is not between two empty lists


def test_the_box_reads_only_the_vendors_near_the_request(cast: Cast, settings: Settings) -> None:
    settings.INTENTS_SERVICE_RADIUS_KM = 150
    orgs = _market(random.Random(3), 120)
    intent = _intent(cast.alice, "Boston, MA", "car rental", "A car")
    read = {v.pk for v in _vendors_near(intent, None)}
    boston = geocode("Boston, MA")
    assert boston is not None
    expected = set()
    for org in orgs:
        point = geocode(org.location) if org.location else None
        far = point is not None and (
            distance_km(boston.latitude, boston.longitude, point.latitude, point.longitude) > 150
        )
        if not far:
            expected.add(org.pk)
    assert read == expected
    assert len(read) < len(orgs) * 0.6


def test_vendor_places_follow_a_changed_location(cast: Cast) -> None:
    org = Organization.objects.create(
        name="Movers", slug="movers", kind=Organization.Kind.VENDOR, location="Boston, MA"
    )
    assert do_sync_vendor_places() == 1
    assert do_sync_vendor_places() == 0  # nothing changed: nothing written
    place = VendorPlace.objects.get(organization=org)
    assert place.place_name.startswith("Boston")
    Organization.objects.filter(pk=org.pk).update(location="Seattle, WA")
    assert do_sync_vendor_places() == 1
    place.refresh_from_db()
    assert place.place_name.startswith("Seattle")
    Organization.objects.filter(pk=org.pk).update(location="")
    do_sync_vendor_places()
    place.refresh_from_db()
    assert (place.latitude, place.longitude) == (None, None)


def _in_box(lat: float, lon: float, at: tuple[float, float], radius: float) -> bool:
    VendorPlace.objects.all().delete()
    org, _ = Organization.objects.get_or_create(
        slug="probe", defaults={"name": "Probe", "kind": Organization.Kind.VENDOR}
    )
    VendorPlace.objects.create(organization=org, latitude=lat, longitude=lon)
    return VendorPlace.objects.filter(bounding_box(at[0], at[1], radius)).exists()


@pytest.mark.django_db
def test_the_box_holds_the_whole_circle_across_the_antimeridian_and_near_the_poles() -> None:
    rng = random.Random(11)
    centres = [(-17.7, 178.9), (64.8, -179.5), (89.5, 10.0), (-89.9, 0.0), (0.0, 0.0), (52, 13)]
    for lat0, lon0 in centres:
        for _ in range(30):
            # A point on the circle's edge, just inside: the box must hold it.
            lat = max(-90.0, min(90.0, lat0 + rng.uniform(-3, 3)))
            lon = (lon0 + rng.uniform(-40, 40) + 540) % 360 - 180
            d = distance_km(lat0, lon0, lat, lon)
            assert _in_box(lat, lon, (lat0, lon0), d + 0.001), (lat0, lon0, lat, lon)
    # Far away is out of it.
    assert not _in_box(40.0, -74.0, (51.5, -0.1), 150)
