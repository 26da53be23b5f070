"""The partner network for the demo community: the whole product's categories, every
partner listed with the areas it serves, a few more providers so that bundles have a choice,
referrals in every state, and a prospect for the team builder.

Everything goes through the ordinary actions, so inboxes, dashboards, relationship events
and reputation show what they would show for real referrals.
"""

from urllib.parse import urlencode

from django.db import transaction
from django.utils.text import slugify

from cluetrain.members.models import Member
from cluetrain.organizations.models import Offering, Organization
from cluetrain.partners.actions import (
    do_answer_referral,
    do_list_partner,
    do_rate_referral,
    do_record_outcome,
    do_refer,
)
from cluetrain.partners.models import Category, Referral

#: The whole product of a smart home, in the order a buyer meets it.
ORDER = (
    "Retailer",
    "Installer",
    "Electrician network",
    "Heating engineer",
    "Solar installer",
    "Bank",
    "Insurer",
    "Energy supplier",
    "Internet provider",
    "Alarm monitoring",
    "Handyman service",
    "Repair service",
)
#: Providers added beside the demo's partners, so that a category has more than one.
EXTRA = (
    (
        "Pennine Smart Installs",
        "Installer",
        "Manchester, UK",
        "Smart-home installers across the north of England.",
        [
            (
                "Thermostat and sensor installation",
                "Same-week installation of thermostats, door "
                "sensors and video doorbells, with a safety check.",
            )
        ],
    ),
    (
        "Kestrel Home Finance",
        "Bank",
        "Leeds, UK",
        "Loans for home improvements.",
        [("Home upgrade loan", "Fixed-rate loans for smart-home and heating upgrades.")],
    ),
    (
        "Harbour Mutual",
        "Insurer",
        "Bristol, UK",
        "A mutual insurer for homes.",
        [
            (
                "Monitored home cover",
                "Home insurance with a discount for monitored alarms and leak sensors.",
            )
        ],
    ),
)
#: Areas beyond the partner's own city, by category (a bank or an insurer covers a country).
RADIUS_KM = {"Bank": 600, "Insurer": 600, "Energy supplier": 400, "Internet provider": 300}
DEFAULT_RADIUS_KM = 80

# (customer index, provider slug or the partner login's organization, need, place, steps)
# steps: how far the referral goes: pending, accepted, declined, not_completed, completed,
# or completed with a rating (stars, words).
REFERRALS: tuple[tuple[int, str, str, str, tuple[object, ...]], ...] = (
    (
        0,
        "@partner",
        "Wire a video doorbell and two door sensors in a terraced house.",
        "Leeds, UK",
        ("pending",),
    ),
    (
        1,
        "@partner",
        "Install a smart thermostat replacing an old dial.",
        "Leeds, UK",
        ("accepted",),
    ),
    (
        2,
        "@partner",
        "Mount three cameras outside, two storeys up.",
        "York, UK",
        ("completed", 4, "Careful work and a tidy finish; a day later than promised."),
    ),
    (
        3,
        "@partner",
        "Move the hub and re-run the sensor cables.",
        "Leeds, UK",
        ("completed", 2, "Left the cables loose; I had to call them back."),
    ),
    (
        0,
        "@insurer",
        "Home insurance that counts the monitored alarm.",
        "Leeds, UK",
        ("completed", 5, "Quick quote, real discount for the sensors."),
    ),
    (4, "@bank", "Finance a heat pump and thermostat over a year.", "London, UK", ("declined",)),
    (
        5,
        "@energy",
        "A smart tariff that works with the thermostat schedule.",
        "Hamburg, DE",
        ("not_completed",),
    ),
    (
        6,
        "@heating",
        "Check whether my boiler works with a heat pump.",
        "Glasgow, UK",
        ("completed",),
    ),
)
#: The team builder's demo prospect: the skills are demo topics people answered about.
PROSPECT = {
    "text": "A landlord with forty flats in Leeds wants Lumen hubs, thermostats and door "
    "sensors installed, on the building's Zigbee network, with a plan for batteries.",
    "skills": "installation zigbee battery",
    "place": "Leeds",
}


def _categories() -> dict[str, Category]:
    names = list(ORDER) + sorted(
        set(
            Organization.objects.filter(kind=Organization.Kind.PARTNER)
            .exclude(category="")
            .values_list("category", flat=True)
        )
        - set(ORDER)
    )
    found = {}
    for position, name in enumerate(names):
        found[name], _ = Category.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "position": position}
        )
    return found


def _extra_partners() -> None:
    for name, category, place, description, offerings in EXTRA:
        org, created = Organization.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "kind": Organization.Kind.PARTNER,
                "category": category,
                "location": place,
                "description": description,
            },
        )
        if created:
            for title, text in offerings:
                Offering.objects.create(provider=org, title=title, description=text)


def _providers(partner_login: Member | None) -> dict[str, Organization]:
    """The provider of each demo referral: the category's partner when it has people to
    answer, else another partner that has (a small demo has few partner accounts)."""
    staffed = list(
        Organization.objects.filter(kind=Organization.Kind.PARTNER, members__is_active=True)
        .distinct()
        .order_by("pk")
    )
    own = partner_login.organization if partner_login else None
    others = [org for org in staffed if org != own]
    found: dict[str, Organization] = {"@partner": own} if own is not None else {}
    wanted = {"@insurer": "Insurer", "@bank": "Bank", "@energy": "Energy supplier"}
    wanted["@heating"] = "Heating engineer"
    for n, (key, category) in enumerate(wanted.items()):
        match = [org for org in others if org.category == category]
        if match:
            found[key] = match[0]
        elif others:
            found[key] = others[n % len(others)]
    return found


def _advance(referral: Referral, provider_person: Member, steps: tuple[object, ...]) -> None:
    state = steps[0]
    if state == "pending":
        return
    do_answer_referral(
        provider_person,
        referral,
        accept=state != "declined",
        note="Fully booked this month, sorry." if state == "declined" else "Happy to help.",
    )
    if state in ("completed", "not_completed"):
        do_record_outcome(provider_person, referral, completed=state == "completed")
    if state == "completed" and len(steps) == 3:
        stars, words = steps[1], steps[2]
        assert isinstance(stars, int)
        do_rate_referral(referral.customer, referral, stars=stars, words=str(words))


@transaction.atomic
def plant_partner_network(email_domain: str) -> str:
    """List the partners, plant referrals in every state; a line that says what was made."""
    categories = _categories()
    _extra_partners()
    listed = 0
    for org in Organization.objects.filter(kind=Organization.Kind.PARTNER).exclude(category=""):
        category = categories.get(org.category)
        if category is None:
            continue
        areas = [(org.location, RADIUS_KM.get(org.category, DEFAULT_RADIUS_KM))]
        do_list_partner(org, category, [a for a in areas if a[0]])
        listed += 1
    demo = Member.objects.filter(email__endswith=f"@{email_domain}", is_active=True)
    partner_login = demo.filter(username="partner").select_related("organization").first()
    staff = demo.filter(username="staff").first()
    customers = list(demo.filter(username="customer")) + list(
        demo.filter(role=Member.Role.CUSTOMER).exclude(username="customer").order_by("pk")[:8]
    )
    providers = _providers(partner_login)
    made = 0
    for index, key, need, place, steps in REFERRALS:
        provider = providers.get(key)
        if provider is None or index >= len(customers):
            continue
        person = Member.objects.filter(organization=provider, is_active=True).order_by("pk")
        provider_person = person.first()
        if provider_person is None:
            continue
        customer = customers[index]
        if Referral.objects.filter(customer=customer, provider=provider, need=need).exists():
            continue
        referrer = staff if staff is not None and index % 2 else customer
        referral = do_refer(
            referrer,
            customer=customer,
            provider=provider,
            need=need,
            place=place,
            category=categories.get(provider.category),
        )
        _advance(referral, provider_person, steps)
        made += 1
    team = urlencode({**PROSPECT, "customer": "customer"})
    return (
        f"Partner network: {listed} partners in {len(categories)} categories (/partners/), "
        f"{made} referrals in every state (the partner login's inbox: /partners/inbox/); "
        f"a prospect for the team builder: /experts/team/?{team}"
    )
