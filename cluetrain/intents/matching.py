"""Which vendors receive a request, ranked, within each vendor's daily cap.

A vendor or partner organization fits a request when it serves the request's place (its own
location within INTENTS_SERVICE_RADIUS_KM, or no location: it serves everywhere) and either
offers the category (its own, or one of its products') or describes what it offers in words
close to the request (TF-IDF cosine similarity, scikit-learn). The score that ranks the
vendor's inbox mixes the three with the vendor's reputation.

Matching runs once, in a task queued when the request is posted (and again when it is edited:
it only adds vendors). Each new match takes one use of the vendor's daily counter in the same
transaction (`core.ratelimit`: one conditional UPDATE), so however many requests are matched
at once, no vendor is sent more than INTENTS_DAILY_CAP a day; the best-scored requests are the
ones that go first only within a run, which is what "first come" means for a stream.
"""

import math
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_noop
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.metrics.pairwise import linear_kernel  # type: ignore[import-untyped]

from cluetrain.core.ratelimit import do_take, used
from cluetrain.core.sentences import Sentence
from cluetrain.intents.access import VENDOR_KINDS, notice_key, vendor_people
from cluetrain.intents.models import Intent, Match, VendorPlace
from cluetrain.notifications.actions import do_notify
from cluetrain.notifications.models import Notification
from cluetrain.organizations.models import Offering, Organization, Product
from cluetrain.reputation.models import Reputation
from cluetrain_analytics.places import EARTH_RADIUS_KM, Place, distance_km, geocode

DAY = timedelta(days=1)
#: Below this similarity, words alone do not make a fit.
MIN_SIMILARITY = 0.08
WEIGHTS = {"category": 0.45, "text": 0.35, "reputation": 0.2}
NEUTRAL_REPUTATION = 0.5  # a vendor nobody has rated yet


@dataclass(frozen=True)
class Candidate:
    organization_id: int
    slug: str
    score: float
    reasons: list[Sentence]  # stored with to_json in Match.reasons, worded when read
    distance_km: float | None


@dataclass
class _Vendor:
    """What matching reads of a vendor: its words, its categories and where it is."""

    pk: int
    slug: str
    location: str
    words: list[str] = field(default_factory=list)
    categories: set[str] = field(default_factory=set)
    point: Place | None = None  # None: no location, or one the gazetteer does not know

    def add(self, *words: str, category: str = "") -> None:
        self.words += [w for w in words if w]
        if category.strip():
            self.categories.add(category.strip().casefold())


def cap_key(organization_id: int) -> str:
    return f"intents:inbox:{organization_id}"


def sent_today(organization_id: int) -> int:
    return used(cap_key(organization_id), window=DAY)


@lru_cache(maxsize=65_536)
def _point(location: str) -> Place | None:
    return geocode(location)


# --- Where vendors are: geocoded once, picked near a request in SQL ----------------------


def do_sync_vendor_places() -> int:
    """Geocode the vendors whose location is new or changed since it was last read (one
    query finds them; none in the steady state). Returns how many rows were written."""
    stale = (
        Organization.objects.filter(kind__in=VENDOR_KINDS)
        .exclude(
            Exists(
                VendorPlace.objects.filter(
                    organization_id=OuterRef("pk"), location=OuterRef("location")
                )
            )
        )
        .values_list("pk", "location")
    )
    rows = []
    for pk, location in stale:
        point = _point(location) if location else None
        rows.append(
            VendorPlace(
                organization_id=pk,
                location=location,
                place_name=point.name if point else "",
                latitude=point.latitude if point else None,
                longitude=point.longitude if point else None,
            )
        )
    VendorPlace.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["organization"],
        update_fields=["location", "place_name", "latitude", "longitude"],
    )
    return len(rows)


#: Widens the box a little, so that rounding never drops a vendor the exact distance keeps.
BOX_MARGIN = 1.01


def bounding_box(latitude: float, longitude: float, radius_km: float) -> Q:
    """A filter on VendorPlace: the latitude/longitude box around a circle of `radius_km`
    (wider than the circle, never narrower; across the antimeridian, two boxes; near a pole,
    every longitude). The exact distance is measured afterwards, in Python."""
    angle = min(radius_km * BOX_MARGIN / EARTH_RADIUS_KM, math.pi)
    dlat = math.degrees(angle)
    low, high = latitude - dlat, latitude + dlat
    box = Q(latitude__gte=max(low, -90.0), latitude__lte=min(high, 90.0))
    if low <= -90 or high >= 90 or angle >= math.pi / 2:
        return box
    ratio = math.sin(angle) / math.cos(math.radians(latitude))
    if ratio >= 1:
        return box
    dlon = math.degrees(math.asin(ratio))
    west, east = longitude - dlon, longitude + dlon
    if west < -180:
        spans = Q(longitude__gte=west + 360) | Q(longitude__lte=east)
    elif east > 180:
        spans = Q(longitude__gte=west) | Q(longitude__lte=east - 360)
    else:
        spans = Q(longitude__gte=west, longitude__lte=east)
    return box & spans


def _chunks(ids: list[int], size: int = 900) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _add_words(vendors: dict[int, _Vendor], everyone: bool) -> None:
    """Their products' and offerings' words (`everyone`: every vendor is in `vendors`)."""
    chunks = [None] if everyone else _chunks(list(vendors))
    for chunk in chunks:
        products = Product.objects.filter(organization__kind__in=VENDOR_KINDS)
        offerings = Offering.objects.filter(provider__kind__in=VENDOR_KINDS)
        if chunk is not None:
            products = products.filter(organization__in=chunk)
            offerings = offerings.filter(provider__in=chunk)
        rows = products.values_list("organization_id", "name", "category", "description")
        for org_id, name, category, description in rows:
            if org_id in vendors:
                vendors[org_id].add(name, category, description, category=category)
        for org_id, title, description in offerings.values_list(
            "provider_id", "title", "description"
        ):
            if org_id in vendors:
                vendors[org_id].add(title, description)


def _vendors_near(intent: Intent, exclude: int | None) -> list[_Vendor]:
    """The vendors that may serve `intent`: within its service radius (the box in SQL, then
    the exact great-circle distance) or with no known place (they serve everywhere)."""
    do_sync_vendor_places()
    places = VendorPlace.objects.filter(organization__kind__in=VENDOR_KINDS).exclude(
        organization_id=exclude or 0
    )
    lat, lon = intent.latitude, intent.longitude
    near = lat is not None and lon is not None
    if lat is not None and lon is not None:
        box = bounding_box(lat, lon, settings.INTENTS_SERVICE_RADIUS_KM)
        places = places.filter(box | Q(latitude__isnull=True))
    rows = places.order_by("organization_id").values_list(
        "organization_id",
        "organization__slug",
        "organization__location",
        "organization__name",
        "organization__category",
        "organization__description",
        "place_name",
        "latitude",
        "longitude",
    )
    vendors: dict[int, _Vendor] = {}
    for pk, slug, location, name, category, description, place, lat, lon in rows:
        point = None
        if lat is not None and lon is not None:
            point = Place(name=place, latitude=lat, longitude=lon)
        if not _within_reach(intent, point):
            continue
        vendors[pk] = _Vendor(pk, slug, location, point=point)
        vendors[pk].add(name, category, description, category=category)
    _add_words(vendors, everyone=not near)
    return list(vendors.values())


def _vendors_scan(intent: Intent, exclude: int | None) -> list[_Vendor]:
    """The same vendors as `_vendors_near`, found by reading every vendor and geocoding its
    location (how matching worked before the box; kept to check the box against)."""
    rows = (
        Organization.objects.filter(kind__in=VENDOR_KINDS)
        .exclude(pk=exclude or 0)
        .order_by("pk")
        .values_list("pk", "slug", "location", "name", "category", "description")
    )
    vendors: dict[int, _Vendor] = {}
    for pk, slug, location, name, category, description in rows:
        point = _point(location) if location else None
        if not _within_reach(intent, point):
            continue
        vendors[pk] = _Vendor(pk, slug, location, point=point)
        vendors[pk].add(name, category, description, category=category)
    _add_words(vendors, everyone=False)
    return list(vendors.values())


def _distance(intent: Intent, point: Place | None) -> float | None:
    if intent.latitude is None or intent.longitude is None or point is None:
        return None
    return distance_km(intent.latitude, intent.longitude, point.latitude, point.longitude)


def _within_reach(intent: Intent, point: Place | None) -> bool:
    distance = _distance(intent, point)
    return distance is None or distance <= settings.INTENTS_SERVICE_RADIUS_KM


def candidates(intent: Intent, *, prefilter: bool = True) -> list[Candidate]:
    """Every vendor that fits `intent`, best first (the customer's own organization never).

    Only the vendors within reach are read (`prefilter`: picked by a bounding box in SQL;
    False: by reading every vendor, as before the box, for the tests and the benchmark) and
    scored; the text similarity's word weights (TF-IDF) are learned from those vendors.
    """
    exclude = intent.customer.organization_id
    find = _vendors_near if prefilter else _vendors_scan
    vendors = find(intent, exclude)
    if not vendors:
        return []
    wanted = " ".join([intent.title, intent.category, intent.description, *intent.must_haves])
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    matrix = vectorizer.fit_transform([wanted, *(" ".join(v.words) for v in vendors)])
    similarity = linear_kernel(matrix[0:1], matrix[1:]).ravel()
    reputation: dict[int, float] = {}
    for chunk in _chunks([v.pk for v in vendors]):
        reputation.update(
            Reputation.objects.filter(organization__in=chunk).values_list(
                "organization_id", "score"
            )
        )
    category = intent.category.strip().casefold()
    found: list[Candidate] = []
    for vendor, text in zip(vendors, similarity, strict=True):
        reasons: list[Sentence] = []
        distance = _distance(intent, vendor.point)
        if distance is not None and vendor.point is not None:
            reasons.append(
                Sentence(
                    gettext_noop("serves %(place)s (%(km)s km away)"),
                    {"place": vendor.point.name, "km": round(distance)},
                )
            )
        offers_category = category in vendor.categories
        if not offers_category and text < MIN_SIMILARITY:
            continue
        if offers_category:
            reasons.append(
                Sentence(gettext_noop("offers %(category)s"), {"category": intent.category})
            )
        if text >= MIN_SIMILARITY:
            reasons.append(
                Sentence(
                    gettext_noop("what it offers reads like the request (%(similarity)s)"),
                    {"similarity": round(float(text), 2)},
                )
            )
        rep = reputation.get(vendor.pk)
        rep01 = NEUTRAL_REPUTATION if rep is None else (rep + 1) / 2
        if rep is not None:
            reasons.append(
                Sentence(
                    gettext_noop("reputation %(percent)s/100"), {"percent": round(rep01 * 100)}
                )
            )
        score = (
            WEIGHTS["category"] * offers_category
            + WEIGHTS["text"] * min(1.0, float(text))
            + WEIGHTS["reputation"] * rep01
        )
        found.append(Candidate(vendor.pk, vendor.slug, round(score, 4), reasons, distance))
    found.sort(key=lambda c: (-c.score, c.organization_id))
    return found


def do_match(intent: Intent) -> list[Match]:
    """Send `intent` to the vendors that fit it, within their daily caps; safe to run twice."""
    if intent.status != Intent.Status.OPEN or intent.moderation != Intent.Moderation.PASSED:
        return []  # a request the spam filter holds goes to no vendor until approved
    already = set(Match.objects.filter(intent=intent).values_list("organization_id", flat=True))
    made: list[Match] = []
    now = timezone.now()
    for candidate in candidates(intent):
        org_id = candidate.organization_id
        if org_id in already:
            continue
        try:
            with transaction.atomic():  # a match and its use of the cap commit together
                if not do_take(cap_key(org_id), limit=settings.INTENTS_DAILY_CAP, window=DAY):
                    continue
                match = Match.objects.create(
                    intent=intent,
                    organization_id=org_id,
                    score=candidate.score,
                    reasons=[reason.to_json() for reason in candidate.reasons],
                    distance_km=candidate.distance_km,
                    created_at=now,
                )
                notify_vendor(intent, org_id)
        except IntegrityError:  # a concurrent run matched it first; its use of the cap stands
            continue
        made.append(match)
    return made


def notify_vendor(intent: Intent, org_id: int) -> None:
    """Tell the vendor's people of a request sent to their inbox (once: the dedupe key), by
    the customer's pseudonym, never their name; e-mailed as each of them chose."""
    sentence = Sentence(
        gettext_noop("A new request for you: “%(title)s” from %(pseudonym)s (%(category)s)"),
        {"title": intent.title, "pseudonym": intent.pseudonym, "category": intent.category},
    )
    for member_id in vendor_people(org_id):
        do_notify(
            recipient_id=member_id,
            kind=Notification.Kind.REQUEST,
            dedupe_key=notice_key(intent.pk, "match", org_id),
            sentence=sentence,
        )
