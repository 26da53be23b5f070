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

from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.metrics.pairwise import linear_kernel  # type: ignore[import-untyped]

from cluetrain.core.ratelimit import do_take, used
from cluetrain.intents.access import VENDOR_KINDS
from cluetrain.intents.models import Intent, Match
from cluetrain.organizations.models import Offering, Organization, Product
from cluetrain.reputation.models import Reputation
from cluetrain_analytics.places import Place, distance_km, geocode

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
    reasons: list[str]
    distance_km: float | None


@dataclass
class _Vendor:
    """What matching reads of a vendor: its words, its categories and where it is."""

    pk: int
    slug: str
    location: str
    words: list[str] = field(default_factory=list)
    categories: set[str] = field(default_factory=set)

    def add(self, *words: str, category: str = "") -> None:
        self.words += [w for w in words if w]
        if category.strip():
            self.categories.add(category.strip().casefold())


def cap_key(organization_id: int) -> str:
    return f"intents:inbox:{organization_id}"


def sent_today(organization_id: int) -> int:
    return used(cap_key(organization_id), window=DAY)


def _vendors(exclude: int | None) -> list[_Vendor]:
    # Plain rows, not model instances: matching reads every vendor on every request.
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
    products = Product.objects.filter(organization__in=list(vendors)).values_list(
        "organization_id", "name", "category", "description"
    )
    for org_id, name, category, description in products:
        vendors[org_id].add(name, category, description, category=category)
    offerings = Offering.objects.filter(provider__in=list(vendors)).values_list(
        "provider_id", "title", "description"
    )
    for org_id, title, description in offerings:
        vendors[org_id].add(title, description)
    return list(vendors.values())


@lru_cache(maxsize=65_536)
def _point(location: str) -> Place | None:
    return geocode(location)


def candidates(intent: Intent) -> list[Candidate]:
    """Every vendor that fits `intent`, best first (the customer's own organization never)."""
    vendors = _vendors(intent.customer.organization_id)
    if not vendors:
        return []
    wanted = " ".join([intent.title, intent.category, intent.description, *intent.must_haves])
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    matrix = vectorizer.fit_transform([wanted, *(" ".join(v.words) for v in vendors)])
    similarity = linear_kernel(matrix[0:1], matrix[1:]).ravel()
    reputation = dict(
        Reputation.objects.filter(organization__in=[v.pk for v in vendors]).values_list(
            "organization_id", "score"
        )
    )
    category = intent.category.strip().casefold()
    radius = settings.INTENTS_SERVICE_RADIUS_KM
    found: list[Candidate] = []
    for vendor, text in zip(vendors, similarity, strict=True):
        reasons: list[str] = []
        distance = None
        if intent.latitude is not None and intent.longitude is not None and vendor.location:
            point = _point(vendor.location)
            if point is not None:
                distance = distance_km(
                    intent.latitude, intent.longitude, point.latitude, point.longitude
                )
                if distance > radius:
                    continue
                reasons.append(f"serves {point.name} ({distance:.0f} km away)")
        offers_category = category in vendor.categories
        if not offers_category and text < MIN_SIMILARITY:
            continue
        if offers_category:
            reasons.append(f"offers {intent.category}")
        if text >= MIN_SIMILARITY:
            reasons.append(f"what it offers reads like the request ({text:.2f})")
        rep = reputation.get(vendor.pk)
        rep01 = NEUTRAL_REPUTATION if rep is None else (rep + 1) / 2
        if rep is not None:
            reasons.append(f"reputation {round(rep01 * 100)}/100")
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
    if intent.status != Intent.Status.OPEN:
        return []
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
                    reasons=candidate.reasons,
                    distance_km=candidate.distance_km,
                    created_at=now,
                )
        except IntegrityError:  # a concurrent run matched it first; its use of the cap stands
            continue
        made.append(match)
    return made
