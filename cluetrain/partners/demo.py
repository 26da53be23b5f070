"""The partner network for the demo community: the whole product's categories, every
partner listed with the areas it serves, a few more providers so that bundles have a choice,
referrals in every state, and a prospect for the team builder.

Everything goes through the ordinary actions, so inboxes, dashboards, relationship events
and reputation show what they would show for real referrals.
"""

from datetime import timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.db import transaction
from django.utils import timezone
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
from cluetrain.relationships.actions import do_express
from cluetrain.spaces.models import Space
from cluetrain.threads.actions import do_accept_answer, do_create_thread, do_reply
from cluetrain.threads.models import Thread
from cluetrain.topics.models import Topic

if TYPE_CHECKING:
    from django.db.models import QuerySet

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
#: Partners that provide more than their main category (a partner provides several).
ALSO_PROVIDES = {
    "Pennine Smart Installs": ("Electrician network", "Handyman service"),
    "Harbour Mutual": ("Alarm monitoring",),
}
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
#: The team builder's demo prospect. Its four skills are demo topics that the generated
#: community declares on profiles but never answers about; `_plant_specialists` gives each one
#: specialist who has answered questions about it (accepted answers), and has the four talk
#: together in a planning thread (replies both ways: short paths in the collaboration graph).
#: So the builder proposes a team of several people who each bring a skill, not one generalist.
TEAM_SKILLS = ("heat-pumps", "solar", "lighting", "home-insurance")
PROSPECT = {
    "text": "A landlord with forty flats in Leeds wants heat pumps, rooftop solar and smart "
    "lighting run from Lumen hubs, and home insurance that counts the sensors.",
    "skills": " ".join(TEAM_SKILLS),
    "place": "Leeds",
}
#: Per skill: the partner category whose people are its natural specialists, and the questions
#: (title, question, accepted answer) the specialist has answered.
SPECIALISTS: dict[str, tuple[str, tuple[tuple[str, str, str], ...]]] = {
    "heat-pumps": (
        "Heating engineer",
        (
            (
                "Can the thermostat run an air-source heat pump?",
                "We are replacing a gas boiler with an air-source heat pump. Will the Lumen "
                "thermostat drive it, and how should the schedule change?",
                "Yes: choose Heat pump under Settings > System and set a low flow temperature. "
                "Run longer, lower cycles instead of boosts; the heat pump is most efficient "
                "holding a steady temperature.",
            ),
            (
                "Heat pump defrost cycles confuse the schedule",
                "Our heat pump pauses to defrost on cold mornings and the thermostat reports "
                "a heating fault. Is that normal?",
                "Defrost pauses are normal below about 3 °C. Raise the fault delay to 20 "
                "minutes in the heat-pump settings so a defrost is not reported as a fault.",
            ),
        ),
    ),
    "solar": (
        "Solar installer",
        (
            (
                "Use rooftop solar to pre-heat the flat",
                "We have 4 kW of solar panels. Can the hub shift heating and the hot water to "
                "the sunny hours?",
                "Yes: link the inverter in the energy reports, then add a scene that raises the "
                "setpoint by a degree when export passes 1.5 kW. Hot water follows the same "
                "trigger through the smart plug.",
            ),
            (
                "Solar battery and the energy report disagree",
                "The energy report shows more grid use than the solar battery app. Which one "
                "is right?",
                "The report counts the battery's own charging from the grid on cheap tariffs; "
                "turn on 'separate battery charging' in the report to compare like with like.",
            ),
        ),
    ),
    "lighting": (
        "Electrician network",
        (
            (
                "Smart lighting on old two-way switches",
                "The flats have two-way switches on the stairs. Can smart lighting work "
                "without rewiring?",
                "Use smart bulbs with a battery remote on the second switch position, or have "
                "an electrician fit a smart relay behind the main switch; both work with the "
                "hub's lighting scenes.",
            ),
            (
                "Lighting scenes for shared hallways",
                "How do we light shared hallways only when someone is there, without tenants "
                "changing it?",
                "Put the hallway lights in a building-owned scene with a motion sensor trigger "
                "and a 2-minute timeout, and leave the scene out of the tenants' app rooms.",
            ),
        ),
    ),
    "home-insurance": (
        "Insurer",
        (
            (
                "Does home insurance count leak sensors?",
                "Our insurer asked whether the flats have monitored leak sensors. What proof "
                "do they accept?",
                "Most insurers accept the monitoring certificate from the Lumen app (Settings > "
                "Monitoring > Certificate) and give 5-15 % off buildings cover.",
            ),
            (
                "Landlord insurance and tenant-controlled alarms",
                "If tenants can switch off the alarm, does the landlord's home insurance still "
                "count it?",
                "Ask for the 'landlord monitoring' option: the building's sensors stay armed in "
                "a profile tenants cannot change, which is what the policy asks for.",
            ),
        ),
    ),
}
TEAM_TALK = "Planning the Leeds flats: heat, solar, lighting and cover"


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
        provided = [category] + [
            categories[name] for name in ALSO_PROVIDES.get(org.name, ()) if name in categories
        ]
        do_list_partner(org, provided, [a for a in areas if a[0]])
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
    specialists = _plant_specialists(demo)
    team = urlencode({**PROSPECT, "customer": "customer"})
    return (
        f"Partner network: {listed} partners in {len(categories)} categories (/partners/), "
        f"{made} referrals in every state (the partner login's inbox: /partners/inbox/); "
        f"a prospect for the team builder ({specialists} specialists who answered about its "
        f"skills): /experts/team/?{team}"
    )


def _specialists(demo: "QuerySet[Member]") -> dict[str, Member]:
    """One person per team skill: someone of a partner in the skill's category when it has
    people, else a demo member of staff, else a customer; never the same person twice, never
    a login account (people log in to try the builder, not to be in its team)."""
    logins = {"admin", "staff", "moderator", "partner", "customer"}
    used: set[int] = set()
    found: dict[str, Member] = {}
    pools = [
        demo.filter(role=Member.Role.STAFF),
        demo.filter(role=Member.Role.PARTNER),
        demo.filter(role=Member.Role.CUSTOMER),
    ]
    for skill in TEAM_SKILLS:
        category = SPECIALISTS[skill][0]
        candidates = [
            *demo.filter(
                role=Member.Role.PARTNER,
                organization__kind=Organization.Kind.PARTNER,
                organization__category=category,
            ).order_by("pk"),
            *(person for pool in pools for person in pool.order_by("pk")[:40]),
        ]
        for person in candidates:
            if person.pk not in used and person.username not in logins:
                found[skill] = person
                used.add(person.pk)
                break
    return found


def _plant_specialists(demo: "QuerySet[Member]") -> int:
    """The team skills' specialists: each has answered two questions about their skill (the
    answers accepted), and the four have talked in one planning thread, every pair replying
    both ways. Planted once: a second run finds the planning thread and adds nothing."""
    if Thread.objects.filter(title=TEAM_TALK).exists():
        return len(TEAM_SKILLS)
    space = (
        Space.objects.filter(kind=Space.Kind.QA, visibility=Space.Visibility.PUBLIC)
        .order_by("pk")
        .first()
    )
    specialists = _specialists(demo)
    askers = list(
        demo.filter(role=Member.Role.CUSTOMER)
        .exclude(pk__in=[p.pk for p in specialists.values()])
        .order_by("pk")[:8]
    )
    if space is None or len(specialists) < len(TEAM_SKILLS) or not askers:
        return 0
    start = timezone.now() - timedelta(days=20)
    topics = {t.slug: t for t in Topic.objects.filter(slug__in=TEAM_SKILLS)}
    n = 0
    with transaction.atomic():
        for skill, person in specialists.items():
            topic = topics.get(skill) or Topic.objects.create(
                name=skill.replace("-", " ").capitalize(), slug=skill
            )
            for title, question, answer in SPECIALISTS[skill][1]:
                at = start + timedelta(hours=9 * n)
                asker = askers[n % len(askers)]
                thread = do_create_thread(
                    asker,
                    space,
                    title=title,
                    body_md=question,
                    kind=Thread.Kind.QUESTION,
                    tags=[topic],
                    created_at=at,
                )
                reply = do_reply(person, thread, body_md=answer, created_at=at + timedelta(hours=2))
                do_accept_answer(thread, reply, accepted_by=asker)
                n += 1
        people = list(specialists.values())
        first = people[0]
        at = start + timedelta(days=15)
        talk = do_create_thread(
            first,
            space,
            title=TEAM_TALK,
            body_md="Forty flats, one building: who takes what, and in which order?",
            kind=Thread.Kind.DISCUSSION,
            created_at=at,
        )
        opening = talk.posts.order_by("pk").first()
        lines = {
            "heat-pumps": "Heat pumps first: the flow temperature decides the radiators.",
            "solar": "Solar next: the inverter feeds the hub's energy reports.",
            "lighting": "Lighting last, on the same hub: hallway scenes need the sensors.",
            "home-insurance": "Cover counts the monitored sensors: send me the certificate.",
        }
        # Every pair replies both ways: short paths between all four.
        for i, (skill, person) in enumerate(specialists.items()):
            if person == first:
                continue
            said = do_reply(
                person,
                talk,
                body_md=lines[skill],
                parent=opening,
                created_at=at + timedelta(hours=i),
            )
            do_reply(
                first,
                talk,
                body_md="Agreed; I will plan around it.",
                parent=said,
                created_at=at + timedelta(hours=i, minutes=30),
            )
            for other in people[1:]:
                if other != person:
                    do_reply(
                        other,
                        talk,
                        body_md="Noted: that works with mine.",
                        parent=said,
                        created_at=at + timedelta(hours=i, minutes=45),
                    )
        # They have worked together before: each recommends the other three (a stated tie,
        # the strongest kind between people who are not related by contract).
        for person in people:
            for other in people:
                if other != person:
                    do_express(
                        person,
                        "recommend",
                        other,
                        note=f"worked together on flats like these ({TEAM_TALK})",
                    )
    return len(specialists)
