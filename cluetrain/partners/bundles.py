"""The bundle for a need: one provider per needed category of the whole product, ranked.

Each listed partner in a category gets four parts in [0, 1], weighed into one score:

- fit (0.40): TF-IDF cosine of the need against the partner's offerings and description,
  scaled so that the best in the category is 1;
- reputation (0.25): the organization's Reputation, (score + 1) / 2; 0.5 with none yet;
- distance (0.20): 1 inside an area served, falling to 0 at 500 km beyond its radius; 0.5
  when the place or the areas are unknown;
- relationships (0.15): 0.5 + half the strongest signed tie between the customer and the
  partner or its people.

Each part gives the reason shown beside the choice.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext, ngettext
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.metrics.pairwise import cosine_similarity  # type: ignore[import-untyped]

from cluetrain.members.models import Member
from cluetrain.organizations.models import Offering
from cluetrain.partners.models import Category, Listing
from cluetrain.relationships.models import Tie
from cluetrain.reputation.models import Reputation
from cluetrain_analytics.places import Place, distance_km, geocode

WEIGHTS = {"fit": 0.40, "reputation": 0.25, "distance": 0.20, "relationships": 0.15}
#: Beyond an area's radius, the distance part falls to 0 over this many km.
FALLOFF_KM = 500.0
ALTERNATIVES = 2


def _tie_reasons() -> dict[tuple[str, bool], str]:
    return {
        ("own", True): gettext("your own history with them (good)"),
        ("own", False): gettext("your own history with them (bad)"),
        ("people", True): gettext("you know their people (good)"),
        ("people", False): gettext("you know their people (bad)"),
    }


@dataclass
class Candidate:
    listing: Listing
    score: float
    parts: dict[str, float]
    reasons: list[str]
    distance_km: float | None = None
    offerings: list[Offering] = field(default_factory=list)
    #: The customer's open referral to this provider, if any (set by the page).
    open_referral: int | None = None


@dataclass
class Proposal:
    category: Category
    choice: Candidate | None
    alternatives: list[Candidate]


@dataclass
class Bundle:
    need: str
    place: Place | None
    proposals: list[Proposal]
    place_unknown: bool = False


def _documents(listings: Sequence[Listing], offerings: dict[int, list[Offering]]) -> list[str]:
    docs = []
    for listing in listings:
        org = listing.organization
        parts = [org.name, org.description, *(c.name for c in listing.shown_categories())]
        parts += [f"{o.title} {o.description}" for o in offerings.get(org.pk, [])]
        docs.append(" ".join(parts))
    return docs


def fit_scores(need: str, documents: list[str]) -> list[float]:
    """Cosine of the need against each document in TF-IDF space (English stop words out)."""
    if not documents or not need.strip():
        return [0.0] * len(documents)
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform([*documents, need])
    except ValueError:  # nothing but stop words
        return [0.0] * len(documents)
    return [float(x) for x in cosine_similarity(matrix[-1], matrix[:-1])[0]]


def _distance(listing: Listing, at: Place | None) -> tuple[float, float | None, str]:
    areas = [
        (a, (a.latitude, a.longitude))
        for a in listing.areas.all()
        if a.latitude is not None and a.longitude is not None
    ]
    if at is None or not areas:
        return 0.5, None, ""
    best: tuple[float, float, str] = (-1.0, 0.0, "")
    for area, point in areas:
        km = distance_km(at.latitude, at.longitude, *point)
        part = 1.0 if km <= area.radius_km else max(0.0, 1 - (km - area.radius_km) / FALLOFF_KM)
        if part > best[0]:
            why = (
                gettext("serves %(place)s") % {"place": area.place}
                if km <= area.radius_km
                else gettext("%(km)s km from %(place)s, beyond its %(radius)s km")
                % {"km": round(km), "place": area.place, "radius": area.radius_km}
            )
            best = (part, km, why)
    return best[0], best[1], best[2]


def _ties(customer: Member | None, listings: Iterable[Listing]) -> dict[int, tuple[float, str]]:
    """Per organization: the strongest signed tie with the customer, and whose: "own" (the
    customer and the organization) or "people" (the customer and its people)."""
    if customer is None:
        return {}
    orgs = {listing.organization_id for listing in listings}
    people = dict(
        Member.objects.filter(organization_id__in=orgs).values_list("pk", "organization_id")
    )
    found: dict[int, tuple[float, str]] = {}

    def keep(org: int, value: float, why: str) -> None:
        if abs(value) > abs(found.get(org, (0.0, ""))[0]):
            found[org] = (value, why)

    for tie in Tie.objects.filter(member=customer, organization_id__in=orgs):
        assert tie.organization_id is not None
        keep(tie.organization_id, tie.polarity * tie.strength, "own")
    pairs = Tie.objects.filter(
        Q(member=customer, other_member_id__in=people)
        | Q(other_member=customer, member_id__in=people)
    )
    for tie in pairs:
        other = tie.member_id if tie.other_member_id == customer.pk else tie.other_member_id
        if other in people:
            keep(people[other], tie.polarity * tie.strength, "people")
    return found


def rank(
    category: Category, need: str, at: Place | None, customer: Member | None
) -> list[Candidate]:
    listings = list(
        Listing.objects.filter(categories=category, active=True)
        .select_related("organization")
        .prefetch_related("areas", "provisions__category")
        .order_by("organization__name")
    )
    if not listings:
        return []
    org_ids = [listing.organization_id for listing in listings]
    offerings: dict[int, list[Offering]] = {}
    for offering in Offering.objects.filter(provider_id__in=org_ids).order_by("title"):
        offerings.setdefault(offering.provider_id, []).append(offering)
    fits = fit_scores(need, _documents(listings, offerings))
    top_fit = max(fits) or 1.0
    reputations = {
        r.organization_id: r for r in Reputation.objects.filter(organization_id__in=org_ids)
    }
    ties = _ties(customer, listings)
    candidates = []
    for listing, raw_fit in zip(listings, fits, strict=True):
        org_id = listing.organization_id
        reasons = []
        fit = raw_fit / top_fit
        if raw_fit > 0:
            matched = [o.title for o in offerings.get(org_id, [])]
            reasons.append(
                gettext("offers %(offerings)s") % {"offerings": ", ".join(matched[:2])}
                if matched
                else gettext("its description fits the need")
            )
        rep = reputations.get(org_id)
        if rep is None:
            reputation = 0.5
            reasons.append(gettext("no reputation yet"))
        else:
            reputation = (rep.score + 1) / 2
            reasons.append(
                ngettext(
                    "reputation %(percent)s/100 from %(raters)s rater",
                    "reputation %(percent)s/100 from %(raters)s raters",
                    rep.raters,
                )
                % {"percent": rep.percent, "raters": rep.raters}
            )
        distance, km, why = _distance(listing, at)
        if why:
            reasons.append(why)
        tie_value, tie_why = ties.get(org_id, (0.0, ""))
        relationships = 0.5 + 0.5 * max(-1.0, min(1.0, tie_value))
        if tie_why:
            reasons.append(_tie_reasons()[tie_why, tie_value > 0])
        parts = {
            "fit": round(fit, 4),
            "reputation": round(reputation, 4),
            "distance": round(distance, 4),
            "relationships": round(relationships, 4),
        }
        score = sum(WEIGHTS[name] * value for name, value in parts.items())
        candidates.append(
            Candidate(
                listing=listing,
                score=round(score, 4),
                parts=parts,
                reasons=reasons,
                distance_km=None if km is None else round(km, 1),
                offerings=offerings.get(org_id, []),
            )
        )
    candidates.sort(key=lambda c: (-c.score, c.listing.organization.name))
    return candidates


def propose(
    need: str,
    categories: Sequence[Category],
    *,
    place: str = "",
    customer: Member | None = None,
) -> Bundle:
    """One provider per needed category, best first, with the runners-up."""
    at = geocode(place) if place.strip() else None
    proposals = []
    for category in categories:
        ranked = rank(category, need, at, customer)
        proposals.append(
            Proposal(
                category=category,
                choice=ranked[0] if ranked else None,
                alternatives=ranked[1 : 1 + ALTERNATIVES],
            )
        )
    return Bundle(
        need=need,
        place=at,
        proposals=proposals,
        place_unknown=bool(place.strip()) and at is None,
    )
