"""Personal requests for the demo community: open requests with competing offers from the
partners they were matched to, and one closed deal both sides rated.

Everything goes through the ordinary actions and the matching that posting runs, so the
inboxes, the comparison page and the ratings show what they would show for real requests.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cluetrain.intents import actions
from cluetrain.intents.matching import do_match
from cluetrain.intents.models import Intent, Match
from cluetrain.members.models import Member

# (title, category, description, place, disclosed, budget, offers' prices, accepted, customer)
REQUESTS = (
    (
        "Wire a video doorbell and two door sensors",
        "Installer",
        "A certified installer or electrician to wire a Lumen video doorbell and two door "
        "sensors this month; a safety check would be welcome. No upsell.",
        "",
        ["dates", "must_haves"],
        (Decimal("80"), Decimal("200")),
        ("149", "175", "189"),
        False,
        0,
    ),
    (
        "Home insurance with a discount for a monitored home",
        "Insurer",
        "My home has Lumen sensors and 24/7 monitoring; I want home insurance that counts it.",
        "",
        ["budget", "must_haves"],
        (Decimal("200"), Decimal("450")),
        ("390", "420", "435"),
        False,
        0,
    ),
    (
        "Install a smart thermostat in a new flat",
        "Installer",
        "Thermostat installation for a Lumen thermostat, replacing an old dial.",
        "Leeds",
        ["place", "budget"],
        (Decimal("60"), Decimal("150")),
        ("95",),
        True,
        1,
    ),
)


def _customers(email_domain: str) -> list[Member]:
    found = Member.objects.filter(
        role=Member.Role.CUSTOMER, is_active=True, email__endswith=f"@{email_domain}"
    ).order_by("pk")
    login = list(found.filter(username="customer"))
    return login + list(found.exclude(username="customer")[: len(REQUESTS)])


def _staff_of(organization_id: int) -> Member | None:
    return (
        Member.objects.filter(organization_id=organization_id, is_active=True)
        .order_by("pk")
        .first()
    )


def plant_requests(email_domain: str) -> str:
    """Post the demo's requests and answer them; a line that says what was made."""
    customers = _customers(email_domain)
    if not customers:
        return "no customers for personal requests"
    offers = deals = 0
    start = timezone.localdate() + timedelta(days=7)
    with transaction.atomic():
        for title, category, text, place, shown, budget, prices, accept, who in REQUESTS:
            customer = customers[who % len(customers)]
            intent = actions.check_post_intent(
                customer,
                actions.IntentData(
                    title=title,
                    category=category,
                    description=text,
                    place=place,
                    starts_on=start,
                    ends_on=start + timedelta(days=14),
                    budget_min=budget[0],
                    budget_max=budget[1],
                    currency="GBP",
                    must_haves=["no upsell"],
                    disclose=shown,
                ),
            )
            do_match(intent)
            made = []
            matches = Match.objects.filter(intent=intent).order_by("-score")
            for match, price in zip(matches, prices, strict=False):
                author = _staff_of(match.organization_id)
                if author is None:
                    continue
                made.append(
                    actions.check_make_offer(
                        author,
                        intent,
                        price=Decimal(price),
                        expires_at=timezone.now() + timedelta(days=10),
                        terms="Fixed price, free cancellation up to two days before.",
                        message="Happy to help; ask us anything here.",
                    )
                )
            offers += len(made)
            if made:
                actions.check_send_message(
                    customer, intent, "Is the price all-in?", vendor=made[0].organization
                )
                actions.check_send_message(
                    _staff_of(made[0].organization_id) or customer,
                    intent,
                    "Yes: parts, labour and VAT.",
                )
            if accept and made:
                deal = actions.check_accept_offer(customer, made[0])
                actions.check_rate_deal(customer, intent, stars=5, words="On time, tidy, fair.")
                vendor = _staff_of(deal.organization_id)
                if vendor is not None:
                    actions.check_rate_deal(vendor, intent, stars=4, words="Clear and reachable.")
                deals += 1
    open_ = Intent.objects.filter(status=Intent.Status.OPEN, customer__in=customers).count()
    return (
        f"personal requests: {open_} open with {offers} offers in all, {deals} deal rated both "
        "ways (customers: /requests/; partners: /vendor/requests/)"
    )
