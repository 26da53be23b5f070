"""A small market for the request tests: vendors at real places, their staff, a customer."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cluetrain.intents.actions import IntentData, check_make_offer, check_post_intent
from cluetrain.intents.models import Intent, Offer
from cluetrain.intents.tasks import match_intent
from cluetrain.members.models import Member
from cluetrain.organizations.models import Organization, Product
from conftest import make_member


@dataclass
class Market:
    rentals: Organization  # car rental in Boston
    rides: Organization  # car rental in Cambridge, MA
    plumbers: Organization  # plumbing in Boston
    faraway: Organization  # car rental in San Francisco
    rita: Member  # rentals' staff
    carl: Member  # rides' staff
    paul: Member  # plumbers' staff
    fay: Member  # faraway's staff


def vendor(name: str, slug: str, *, category: str, location: str, description: str) -> Organization:
    org = Organization.objects.create(
        name=name,
        slug=slug,
        kind=Organization.Kind.VENDOR,
        category=category,
        location=location,
        description=description,
    )
    Product.objects.create(
        organization=org, name=f"{name} service", slug=f"{slug}-service", category=category
    )
    return org


def staff(username: str, org: Organization) -> Member:
    member = make_member(username, Member.Role.PARTNER)
    member.organization = org
    member.save(update_fields=["organization"])
    return member


def make_market() -> Market:
    rentals = vendor(
        "Beacon Rentals",
        "beacon-rentals",
        category="car rental",
        location="Boston, MA",
        description="Rent a car in Boston: airport pickup, compact and family cars, no upsell.",
    )
    rides = vendor(
        "Charles Rides",
        "charles-rides",
        category="car rental",
        location="Cambridge, MA",
        description="Cars by the day or week, electric cars, child seats.",
    )
    plumbers = vendor(
        "Back Bay Plumbing",
        "back-bay-plumbing",
        category="plumbing",
        location="Boston, MA",
        description="Leaking taps, boilers, bathrooms.",
    )
    faraway = vendor(
        "Golden Gate Cars",
        "golden-gate-cars",
        category="car rental",
        location="San Francisco, CA",
        description="Rent a car in San Francisco.",
    )
    return Market(
        rentals=rentals,
        rides=rides,
        plumbers=plumbers,
        faraway=faraway,
        rita=staff("rita", rentals),
        carl=staff("carl", rides),
        paul=staff("paul", plumbers),
        fay=staff("fay", faraway),
    )


def car_request(**changes: Any) -> IntentData:
    fields: dict[str, Any] = {
        "title": "A rental car next Tuesday",
        "category": "car rental",
        "description": "A small car for three days, no upsell please.",
        "place": "Boston, MA",
        "starts_on": timezone.localdate() + timedelta(days=5),
        "ends_on": timezone.localdate() + timedelta(days=8),
        "budget_min": Decimal("100"),
        "budget_max": Decimal("250"),
        "must_haves": ["automatic gearbox"],
        "disclose": ["place", "dates"],
    }
    return IntentData(**(fields | changes))


def post_and_match(customer: Member, data: IntentData | None = None) -> Intent:
    """Post a request and run its matching task as the queue would after commit."""
    intent = check_post_intent(customer, data or car_request())
    match_intent.call(intent.pk)
    return intent


def offer(author: Member, intent: Intent, price: str = "180") -> Offer:
    return check_make_offer(
        author,
        intent,
        price=Decimal(price),
        expires_at=timezone.now() + timedelta(days=3),
        terms="Free cancellation.",
        message="Happy to help.",
    )


Run = Callable[..., Any]


# --- For the API permission matrix (cluetrain/api/tests/test_permissions.py) ----------------
# Alice's request, sent to Pat's vendor organization (Pat is the "partner" player).

PAT_VENDOR = "pat-rentals"


def _pat_vendor(pat: Member) -> Organization:
    org, _ = Organization.objects.get_or_create(
        slug=PAT_VENDOR,
        defaults={
            "name": "Pat Rentals",
            "kind": Organization.Kind.VENDOR,
            "category": "car rental",
        },
    )
    Member.objects.filter(pk=pat.pk).update(organization=org)
    pat.organization = org
    return org


def _requests_world(world: Any) -> tuple[Intent, Member]:
    from cluetrain.intents.matching import do_match

    pat, alice = world.cast.pat, world.cast.alice
    _pat_vendor(pat)
    intent = check_post_intent(alice, IntentData(title="A rental car", category="car rental"))
    do_match(intent)
    return intent, pat


def open_request(world: Any, me: Member | None) -> dict[str, Any]:
    intent, _ = _requests_world(world)
    return {"request_id": intent.pk}


def offered_request(world: Any, me: Member | None) -> dict[str, Any]:
    intent, pat = _requests_world(world)
    return {"request_id": intent.pk, "offer_id": offer(pat, intent).pk}


def accepted_request(world: Any, me: Member | None) -> dict[str, Any]:
    from cluetrain.intents.actions import check_accept_offer

    intent, pat = _requests_world(world)
    check_accept_offer(world.cast.alice, offer(pat, intent))
    return {"request_id": intent.pk}


def pats_offer(world: Any, me: Member | None) -> dict[str, Any]:
    intent, pat = _requests_world(world)
    return {"offer_id": offer(pat, intent).pk}


def pat_is_a_vendor(world: Any, me: Member | None) -> dict[str, Any]:
    _requests_world(world)
    return {}


OFFER = {"price": "99.00", "expires_at": (timezone.now() + timedelta(days=2)).isoformat()}


def fill_every_table(customer: Member) -> None:
    """A row in each of the app's tables (for the whole-instance export's round trip)."""
    from cluetrain.intents.actions import check_accept_offer, check_rate_deal, check_send_message

    market = make_market()
    intent = post_and_match(customer)
    winner = offer(market.rita, intent)
    offer(market.carl, intent, "150")
    check_send_message(customer, intent, "All-in price?", vendor=market.rentals)
    check_accept_offer(customer, winner)
    check_rate_deal(customer, intent, stars=5, words="Smooth.")
    check_rate_deal(market.rita, intent, stars=4)
