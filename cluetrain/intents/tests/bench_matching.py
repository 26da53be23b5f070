"""Matching one request among many vendors: the bounding box in SQL against reading every
vendor (the matching before the box, kept here as it was). An ad-hoc script, not a test:

    CLUETRAIN_DATA_DIR=<a throwaway folder> [DATABASE_URL=postgres://...] \\
        python -m cluetrain.intents.tests.bench_matching [--vendors 20000] [--repeat 5]

It migrates the database it is given, fills it with vendors at real cities (once), times one
Boston request both ways and prints one JSON line: vendors, db, before_seconds (reading every
vendor: geocoding from a warm cache, TF-IDF over all of them), after_seconds (the box), read
(vendors the box read), matched (vendors that fit), same_vendors (both ways send it to the
same vendors), first_sync_seconds (geocoding every vendor once, the first time), load.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vendors", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluetrain.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from cluetrain.intents.models import Intent, VendorPlace
    from cluetrain.members.models import Member
    from cluetrain.organizations.models import Organization, Product
    from cluetrain_analytics.places import cities, geocode

    trades = [
        ("car rental", "rent a car by the day, airport pickup, compact cars, vans"),
        ("plumbing", "boilers, leaking taps, bathrooms, drains"),
        ("bicycles", "bike repair, e-bikes, rentals, tune-ups"),
        ("catering", "weddings, office lunches, vegan menus"),
        ("movers", "moving house, packing, storage, pianos"),
    ]
    have = Organization.objects.filter(slug__startswith="bench-vendor-").count()
    if have < args.vendors:
        rng = random.Random(20_000)
        places = cities(min_population=50_000)
        rows = []
        for i in range(have, args.vendors):
            category, words = rng.choice(trades)
            location = "" if i % 50 == 0 else rng.choice(places).name
            rows.append(
                Organization(
                    name=f"Bench vendor {i}",
                    slug=f"bench-vendor-{i}",
                    kind=Organization.Kind.VENDOR,
                    category=category,
                    location=location,
                    description=f"{words}; shop {i}",
                )
            )
        made = Organization.objects.bulk_create(rows, batch_size=2000)
        Product.objects.bulk_create(
            (
                Product(organization=o, name=f"{o.name} kit", slug=f"{o.slug}-kit", category="")
                for o in made[::4]
            ),
            batch_size=2000,
        )
    customer, _ = Member.objects.get_or_create(
        username="bench_customer", defaults={"role": Member.Role.CUSTOMER}
    )
    boston = geocode("Boston, MA")
    assert boston is not None
    intent = Intent(
        customer=customer,
        title="A rental car at the airport next week",
        category="car rental",
        description="compact car, no upsell",
        latitude=boston.latitude,
        longitude=boston.longitude,
        must_haves=[],
    )
    from cluetrain.intents import matching

    VendorPlace.objects.all().delete()
    started = time.perf_counter()
    matching.do_sync_vendor_places()
    first_sync = time.perf_counter() - started

    def timed(fn: object) -> tuple[float, list[int]]:
        times, found = [], []
        for _ in range(args.repeat):
            started = time.perf_counter()
            found = [c.organization_id for c in fn()]  # type: ignore[operator]
            times.append(time.perf_counter() - started)
        return statistics.median(times), found

    before, old = timed(lambda: before_the_box(intent))
    after, new = timed(lambda: matching.candidates(intent))
    read = len(matching._vendors_near(intent, None))
    sys.stdout.write(
        json.dumps(
            {
                "vendors": Organization.objects.filter(kind__in=["vendor", "partner"]).count(),
                "db": connection.vendor,
                "before_seconds": round(before, 4),
                "after_seconds": round(after, 4),
                "read": read,
                "matched": len(new),
                "same_vendors": set(old) == set(new),
                "first_sync_seconds": round(first_sync, 3),
                "load": [round(x, 2) for x in os.getloadavg()],
            }
        )
        + "\n"
    )


def before_the_box(intent: object) -> list:  # type: ignore[type-arg]
    """`candidates` as it was before the box (git 7776796): every vendor read and geocoded
    (from the warm cache), TF-IDF learned from all of them, the distance checked in the loop."""
    from django.conf import settings
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
    from sklearn.metrics.pairwise import linear_kernel  # type: ignore[import-untyped]

    from cluetrain.intents import matching
    from cluetrain.intents.models import Intent
    from cluetrain.reputation.models import Reputation
    from cluetrain_analytics.places import distance_km

    assert isinstance(intent, Intent)
    vendors = _every_vendor(intent.customer.organization_id)
    wanted = " ".join([intent.title, intent.category, intent.description, *intent.must_haves])
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    matrix = vectorizer.fit_transform([wanted, *(" ".join(v.words) for v in vendors)])
    similarity = linear_kernel(matrix[0:1], matrix[1:]).ravel()
    reputation = dict(
        Reputation.objects.filter(organization__kind__in=["vendor", "partner"]).values_list(
            "organization_id", "score"
        )
    )
    category = intent.category.strip().casefold()
    found = []
    for vendor, text in zip(vendors, similarity, strict=True):
        distance = None
        if intent.latitude is not None and intent.longitude is not None and vendor.location:
            point = matching._point(vendor.location)
            if point is not None:
                distance = distance_km(
                    intent.latitude, intent.longitude, point.latitude, point.longitude
                )
                if distance > settings.INTENTS_SERVICE_RADIUS_KM:
                    continue
        offers_category = category in vendor.categories
        if not offers_category and text < matching.MIN_SIMILARITY:
            continue
        rep = reputation.get(vendor.pk)
        rep01 = matching.NEUTRAL_REPUTATION if rep is None else (rep + 1) / 2
        score = (
            matching.WEIGHTS["category"] * offers_category
            + matching.WEIGHTS["text"] * min(1.0, float(text))
            + matching.WEIGHTS["reputation"] * rep01
        )
        found.append(matching.Candidate(vendor.pk, vendor.slug, round(score, 4), [], distance))
    found.sort(key=lambda c: (-c.score, c.organization_id))
    return found


def _every_vendor(exclude: int | None) -> list:  # type: ignore[type-arg]
    """`matching._vendors` as it was before the box: every vendor, its products, offerings."""
    from cluetrain.intents.access import VENDOR_KINDS
    from cluetrain.intents.matching import _Vendor
    from cluetrain.organizations.models import Offering, Organization, Product

    rows = (
        Organization.objects.filter(kind__in=VENDOR_KINDS)
        .exclude(pk=exclude or 0)
        .order_by("pk")
        .values_list("pk", "slug", "location", "name", "category", "description")
    )
    vendors: dict[int, _Vendor] = {}
    for pk, slug, location, name, category, description in rows:
        vendors[pk] = _Vendor(pk, slug, location)
        vendors[pk].add(name, category, description, category=category)
    products = Product.objects.filter(organization__kind__in=VENDOR_KINDS).values_list(
        "organization_id", "name", "category", "description"
    )
    for org_id, name, category, description in products:
        if org_id in vendors:
            vendors[org_id].add(name, category, description, category=category)
    offerings = Offering.objects.filter(provider__kind__in=VENDOR_KINDS).values_list(
        "provider_id", "title", "description"
    )
    for org_id, title, description in offerings:
        if org_id in vendors:
            vendors[org_id].add(title, description)
    return list(vendors.values())


if __name__ == "__main__":
    main()
