"""Word banks and sentence templates for the demo community. All text is written for Cluetrain.

Templates use `{slot}` fields filled by `generate.py` (see `Slots` there): {product},
{short} (how people call it: "the thermostat"), {staff}, {competitor}, {city}, {partner},
{days}, {n}, {price}, {mention}, {fw}, {fixfw}, {room}, {device}, {name}.
"""

from dataclasses import dataclass, field

MONTHS = 12  # the demo covers the 12 months before it is generated; month 0 is the oldest

# --- People and places ---------------------------------------------------------------------

FIRST_NAMES = (
    "Aisha", "Alex", "Amara", "Ana", "Andrea", "Anil", "Anna", "Arjun", "Ben", "Bianca",
    "Bram", "Carla", "Carlos", "Chen", "Chloe", "Chris", "Claire", "Dan", "Dana", "Daniel",
    "David", "Diego", "Dmitri", "Elena", "Eli", "Emeka", "Emma", "Erik", "Fatima", "Felix",
    "Fiona", "Gabriel", "Grace", "Hana", "Hannah", "Hugo", "Ian", "Ines", "Isaac", "Ivan",
    "Jack", "Jamal", "James", "Jana", "Jen", "Jonas", "Jorge", "Julia", "Kai", "Karin",
    "Kate", "Kenji", "Kevin", "Lars", "Laura", "Leila", "Leo", "Lina", "Lucas", "Lucy",
    "Luis", "Maja", "Marco", "Maria", "Mark", "Marta", "Mateo", "Maya", "Mehmet", "Mia",
    "Mike", "Mila", "Nadia", "Naomi", "Nate", "Nia", "Nico", "Nina", "Noah", "Olga",
    "Omar", "Oscar", "Paula", "Pedro", "Pete", "Priya", "Rafael", "Rahul", "Rania", "Rob",
    "Rosa", "Ruth", "Ryan", "Sam", "Sara", "Sean", "Sofia", "Sonia", "Stefan", "Tariq",
    "Tess", "Theo", "Tom", "Tomas", "Uma", "Vera", "Victor", "Wei", "Will", "Yara",
    "Yusuf", "Zoe", "Zara", "Greg", "Helen", "Irene", "Joe", "Kim", "Lea", "Paolo",
)  # fmt: skip
LAST_NAMES = (
    "Abbott", "Adeyemi", "Alvarez", "Andersen", "Bakker", "Banerjee", "Barros", "Becker",
    "Bianchi", "Brennan", "Brooks", "Castro", "Chang", "Clarke", "Costa", "Cruz", "Dahl",
    "Davies", "De Vries", "Dubois", "Duarte", "Eriksen", "Evans", "Fischer", "Fleming",
    "Fontaine", "Garcia", "Gill", "Gomez", "Gray", "Haddad", "Hansen", "Hart", "Hughes",
    "Ibrahim", "Ito", "Jansen", "Jensen", "Kaur", "Keller", "Khan", "Kim", "Kowalski",
    "Kruger", "Larsen", "Laurent", "Lee", "Lindqvist", "Lopez", "Marsh", "Martin", "Meyer",
    "Moreau", "Murphy", "Nakamura", "Nguyen", "Novak", "Nowak", "Obi", "Okafor", "Olsen",
    "Ortiz", "Osei", "Park", "Patel", "Perez", "Petrov", "Quinn", "Reyes", "Rossi", "Ruiz",
    "Russo", "Sato", "Schmidt", "Shah", "Silva", "Singh", "Smit", "Sousa", "Stone", "Suzuki",
    "Tan", "Taylor", "Thomas", "Torres", "Tran", "Turner", "Van Dijk", "Vega", "Visser",
    "Wagner", "Walsh", "Wang", "Weber", "Wilson", "Wong", "Yilmaz", "Young", "Zhang", "Ziegler",
)  # fmt: skip
CITIES = (
    "Leeds, UK", "Manchester, UK", "Bristol, UK", "Glasgow, UK", "Cardiff, UK", "London, UK",
    "Dublin, IE", "Cork, IE", "Amsterdam, NL", "Rotterdam, NL", "Utrecht, NL", "Antwerp, BE",
    "Ghent, BE", "Lyon, FR", "Lille, FR", "Nantes, FR", "Hamburg, DE", "Munich, DE",
    "Cologne, DE", "Leipzig, DE", "Vienna, AT", "Zurich, CH", "Copenhagen, DK", "Aarhus, DK",
    "Oslo, NO", "Bergen, NO", "Stockholm, SE", "Gothenburg, SE", "Helsinki, FI",
    "Tampere, FI", "Warsaw, PL", "Krakow, PL", "Prague, CZ", "Brno, CZ", "Porto, PT",
    "Lisbon, PT", "Valencia, ES", "Seville, ES", "Bilbao, ES", "Turin, IT", "Bologna, IT",
    "Austin, TX", "Denver, CO", "Portland, OR", "Minneapolis, MN", "Raleigh, NC",
    "Columbus, OH", "Pittsburgh, PA", "Madison, WI", "Boise, ID", "Sacramento, CA",
    "Toronto, ON", "Ottawa, ON", "Calgary, AB", "Halifax, NS", "Montreal, QC",
    "Melbourne, AU", "Brisbane, AU", "Auckland, NZ", "Wellington, NZ",
)  # fmt: skip
COMPETITORS = ("Brightly", "CasaIQ", "Homely", "Vireo Home", "Nestwise", "Ringmate")
ROOMS = ("living room", "hallway", "bedroom", "kitchen", "home office", "loft", "garage")
DEVICES = (
    "Pixel",
    "iPhone",
    "Galaxy phone",
    "iPad",
    "old Android tablet",
    "OnePlus",
    "work phone",
)

# --- The company, its products and the partner network -------------------------------------

COMPANY = {
    "name": "Lumen Home",
    "slug": "lumen-home",
    "description": "Lumen Home makes the smart-home kit that stays out of your way: a hub, "
    "a thermostat, a doorbell camera, smart plugs and the app that ties them together.",
    "website": "https://lumenhome.example",
    "location": "Utrecht, NL",
}


@dataclass(frozen=True)
class ProductSpec:
    slug: str
    name: str
    short: str  # how customers refer to it in conversation
    kind: str  # "product" or "service"
    category: str
    description: str
    forum: bool = True  # gets its own discussion forum
    ownership: float = 0.5  # share of customers who own it


PRODUCTS = (
    ProductSpec(
        "lumen-hub", "Lumen Hub", "the hub", "product", "Hubs",
        "The Zigbee and Wi-Fi hub at the heart of a Lumen home.", ownership=0.85,
    ),
    ProductSpec(
        "lumen-thermostat", "Lumen Thermostat", "the thermostat", "product", "Heating",
        "A learning thermostat with room sensors and energy reports.", ownership=0.6,
    ),
    ProductSpec(
        "lumen-doorbell", "Lumen Doorbell Cam", "the doorbell", "product", "Security",
        "Battery or wired video doorbell with person detection.", ownership=0.45,
    ),
    ProductSpec(
        "lumen-plug", "Lumen Smart Plug", "the plugs", "product", "Power",
        "A compact smart plug with energy metering and schedules.", ownership=0.5,
    ),
    ProductSpec(
        "lumen-app", "Lumen App", "the app", "product", "Software",
        "The Lumen Home app for Android and iOS: rooms, scenes, automations.", ownership=0.9,
    ),
    ProductSpec(
        "lumen-sensor", "Lumen Motion Sensor", "the motion sensor", "product", "Sensors",
        "A small motion and temperature sensor for any room.", forum=False, ownership=0.3,
    ),
    ProductSpec(
        "lumen-install", "Lumen Installation Service", "the installation", "service",
        "Services", "Professional installation by certified partner installers.",
        forum=False, ownership=0.25,
    ),
    ProductSpec(
        "lumen-care", "Lumen Care+", "Care+", "service", "Subscriptions",
        "Subscription with 30-day video history, extended warranty and priority support.",
        forum=False, ownership=0.35,
    ),
)  # fmt: skip


@dataclass(frozen=True)
class PartnerSpec:
    slug: str
    name: str
    category: str
    location: str
    description: str
    offerings: tuple[tuple[str, str | None, str], ...]  # (title, product slug, description)


PARTNERS = (
    PartnerSpec(
        "brightwire-installers", "BrightWire Installers", "Installer", "Leeds, UK",
        "Certified Lumen installers covering the north of England.",
        (("Thermostat installation", "lumen-thermostat", "Fitted and set up in two hours."),
         ("Doorbell wiring", "lumen-doorbell", "Wired doorbell fitting, transformer included.")),
    ),
    PartnerSpec(
        "voltline-electricians", "Voltline Electricians Network", "Electrician network",
        "Amsterdam, NL", "A network of 300 independent electricians across the Benelux.",
        (("Whole-home install", "lumen-install", "Hub, plugs and sensors fitted in a day."),
         ("Safety check", None, "Wiring check before a smart-home install.")),
    ),
    PartnerSpec(
        "homesafe-insurance", "HomeSafe Insurance", "Insurer", "Dublin, IE",
        "Home insurance with a discount for monitored homes.",
        (("Smart-home discount", "lumen-doorbell", "Up to 12% off home cover with a doorbell."),),
    ),
    PartnerSpec(
        "northbank-finance", "Northbank Finance", "Bank", "London, UK",
        "Consumer financing for home improvements.",
        (("0% financing over 12 months", "lumen-hub", "Spread the cost of a starter kit."),),
    ),
    PartnerSpec(
        "gridwise-energy", "GridWise Energy", "Energy supplier", "Hamburg, DE",
        "Green energy supplier with smart tariffs.",
        (("Smart tariff", "lumen-thermostat", "Cheaper night rates, thermostat aware."),),
    ),
    PartnerSpec(
        "homeplus-retail", "HomePlus Stores", "Retailer", "Manchester, UK",
        "DIY and home electronics retailer with 120 stores.",
        (("In-store setup help", "lumen-hub", "Bring your hub, leave with it set up."),
         ("Extended returns", None, "60-day returns on Lumen products.")),
    ),
    PartnerSpec(
        "fibrenet-isp", "FibreNet Broadband", "Internet provider", "Rotterdam, NL",
        "Fibre broadband with a router that plays well with smart homes.",
        (("Smart-home router profile", "lumen-hub", "Router settings tuned for Lumen."),),
    ),
    PartnerSpec(
        "solarnest", "SolarNest", "Solar installer", "Valencia, ES",
        "Solar panels and batteries, integrated with Lumen energy reports.",
        (("Solar + thermostat bundle", "lumen-thermostat", "Heat when the sun shines."),),
    ),
    PartnerSpec(
        "heatright-hvac", "HeatRight HVAC", "Heating engineer", "Glasgow, UK",
        "Boiler and heat-pump engineers.",
        (("Heat-pump compatibility check", "lumen-thermostat", "Will it work with yours?"),),
    ),
    PartnerSpec(
        "securenest-monitoring", "SecureNest Monitoring", "Alarm monitoring", "Lyon, FR",
        "24/7 professional monitoring for doorbells and sensors.",
        (("Professional monitoring", "lumen-doorbell", "A person checks every alert."),),
    ),
    PartnerSpec(
        "handyhome", "HandyHome Pros", "Handyman service", "Toronto, ON",
        "Handyman visits booked by the hour.",
        (("Mounting and setup", "lumen-doorbell", "Doorbell and camera mounting."),),
    ),
    PartnerSpec(
        "fixit-repairs", "FixIt Repairs", "Repair service", "Austin, TX",
        "Out-of-warranty repairs and refurbishing.",
        (("Battery replacement", "lumen-doorbell", "New battery pack, same day."),),
    ),
)  # fmt: skip

TOPICS = (
    "Wi-Fi", "Firmware", "Battery", "Automation", "Energy saving", "Installation", "Billing",
    "Security", "Privacy", "Integrations", "Voice assistants", "Solar", "Heat pumps",
    "Zigbee", "Scenes", "Notifications", "Video", "Subscriptions", "Networking", "Lighting",
    "Accessibility", "Home insurance", "Troubleshooting", "Setup",
)  # fmt: skip

HEADLINES_CUSTOMER = (
    "Homeowner, tinkering with automations on weekends",
    "Renting a flat in {city}, making it smarter one plug at a time",
    "Parent of three, fan of anything that saves time",
    "Retired engineer; I read release notes for fun",
    "Software developer by day, home-automation nerd by night",
    "Teacher. Just want the heating to work",
    "Energy nerd: solar, heat pump, spreadsheets",
    "First smart home, still learning",
    "Landlord managing four flats with Lumen",
    "Nurse on shift work, automations keep me sane",
    "Home-lab hobbyist, Zigbee everything",
    "Cyclist, coffee drinker, thermostat optimiser",
)  # fmt: skip
HEADLINES_STAFF = (
    "Support engineer at Lumen Home",
    "Community manager at Lumen Home",
    "Firmware team, Lumen Thermostat",
    "Product manager, Lumen App",
    "Customer care lead at Lumen Home",
    "Hardware QA at Lumen Home",
)  # fmt: skip
HEADLINES_PARTNER = (
    "Installer at {partner}",
    "Field technician with {partner}",
    "Partner manager, {partner}",
)  # fmt: skip
BIOS = (
    "I like things that just work.",
    "Ask me about scenes and schedules.",
    "Been using Lumen since the first hub.",
    "Happy to help if I can.",
    "Old house, new tricks.",
    "",
    "",
)  # fmt: skip

# --- Planted signals: recurring problems with a shape over the year ------------------------


@dataclass(frozen=True)
class Issue:
    """A recurring product problem. `curve[m]` is its relative thread volume in month m."""

    key: str
    product: str  # product slug
    label: str  # the problem in plain words (what analytics should find)
    problem: str  # the same as a noun phrase: "I posted here about {problem}"
    curve: tuple[float, ...]
    titles: tuple[str, ...]
    statements: tuple[str, ...]  # first-person description of the problem
    details: tuple[str, ...]  # what they tried, how it affects them
    me_too: tuple[str, ...]
    staff_replies: tuple[str, ...]  # before the fix: acknowledge, workaround
    staff_fixed: tuple[str, ...] = ()  # after the fix month
    fix_month: int | None = None
    resolved: tuple[str, ...] = field(default=())  # the OP, once it works again


ISSUES = (
    Issue(
        key="thermostat_wifi",
        product="lumen-thermostat",
        label="Thermostat loses Wi-Fi after firmware 3.2",
        problem="my thermostat losing Wi-Fi after firmware 3.2",
        # Firmware 3.2 ships in month 7: a spike, then a slow tail after the 3.2.1 hotfix.
        curve=(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.6, 1.2, 0.8, 0.55, 0.45),
        fix_month=9,
        titles=(
            "Thermostat loses Wi-Fi after firmware 3.2",
            "Thermostat keeps dropping off Wi-Fi since the 3.2 update",
            "3.2 update broke Wi-Fi on my thermostat",
            "Thermostat offline every night after firmware update",
            "Wi-Fi disconnects on the thermostat (firmware 3.2)",
            "Thermostat shows offline, have to reboot it daily",
            "Since firmware 3.2 my thermostat won't stay connected",
        ),
        statements=(
            "Since the firmware 3.2 update my thermostat loses Wi-Fi every few hours.",
            "My thermostat keeps dropping off the Wi-Fi since it updated to 3.2.",
            "After firmware 3.2 the thermostat goes offline at least once a day and the app "
            "just says 'device unreachable'.",
            "Ever since the 3.2 update the thermostat loses its Wi-Fi connection overnight.",
            "the thermostat lost wifi again. third time this week, all since firmware 3.2",
            "Thermostat disconnects from Wi-Fi after the 3.2 update and only comes back when I "
            "pull it off the wall plate.",
        ),
        details=(
            "I've rebooted the router, moved the router closer, nothing helps.",
            "Every other device in the house is fine, it's only the thermostat.",
            "The heating still runs on the last schedule but I can't control it remotely.",
            "Came home to a cold house because it never got the 'I'm on my way' trigger.",
            "I'm on FibreNet with a 5 GHz and 2.4 GHz network, same SSID.",
            "Support chat told me to factory reset it. Did that twice. Still drops.",
            "It was rock solid for a year before this update.",
        ),
        me_too=(
            "Same here, thermostat dropped off Wi-Fi twice today since 3.2.",
            "Exact same problem. Firmware 3.2 and the thermostat keeps going offline.",
            "+1, lost Wi-Fi on the thermostat three nights in a row.",
            "Glad it's not just me. Mine loses Wi-Fi every morning around 6.",
            "Same issue in {city}. Started the day after the update.",
            "Me too. Can we roll back to 3.1 somehow?",
            "Mine is doing this too, on two different routers.",
        ),
        staff_replies=(
            "Thanks for the detail, this helps. We can reproduce the Wi-Fi drop on firmware "
            "3.2 with some routers that use band steering. While we work on a fix, turning "
            "off band steering or giving 2.4 GHz its own network name keeps the thermostat "
            "connected.",
            "We're sorry about this. The firmware team has confirmed a bug in 3.2 that makes "
            "the thermostat lose Wi-Fi when the router renews its lease. A hotfix is in "
            "testing; until then a fixed IP address for the thermostat avoids it.",
            "Hi {name}, this is a known issue with firmware 3.2 and it's our top priority. "
            "I've added your device to the early hotfix group so you get the fix first.",
        ),
        staff_fixed=(
            "Good news: firmware 3.2.1 fixes the Wi-Fi drops and is rolling out now. You can "
            "force it from Settings > Device > Check for update. Please tell us if it still "
            "disconnects after that.",
            "Hi {name}, 3.2.1 is out and fixes the lease-renewal bug behind the disconnects. "
            "If yours is still on 3.2, a restart will pick up the update.",
        ),
        resolved=(
            "Update: installed 3.2.1 last night and the thermostat has stayed connected since. "
            "Thanks {staff}!",
            "That did it. Split the 2.4 GHz network and no drops for a week now. Thanks!",
            "Hotfix worked for me, rock solid again. Appreciate the quick help.",
        ),
    ),
    Issue(
        key="doorbell_battery",
        product="lumen-doorbell",
        label="Doorbell battery drains in two weeks",
        problem="the doorbell battery draining in two weeks",
        # Firmware 2.8 (month 5) fixes the radio bug: complaints fade away.
        curve=(0.9, 0.95, 0.9, 0.85, 0.8, 0.35, 0.12, 0.06, 0.04, 0.03, 0.02, 0.02),
        fix_month=5,
        titles=(
            "Doorbell battery drains in 2 weeks",
            "Battery on the doorbell cam lasts two weeks, not six months",
            "Doorbell battery life is terrible",
            "Doorbell cam eats batteries",
            "Why does my doorbell battery die so fast?",
            "Doorbell battery dead again after 12 days",
        ),
        statements=(
            "The battery on my doorbell drains in about two weeks. The box says up to six months.",
            "My doorbell cam battery goes from 100% to dead in 2 weeks.",
            "Doorbell battery drains in two weeks even with motion alerts turned down.",
            "I'm charging the doorbell battery every 10 days, it's ridiculous.",
            "doorbell battery drains so fast, two weeks tops",
        ),
        details=(
            "It's on the front of the house, not much foot traffic.",
            "I turned off live view and person detection, barely any difference.",
            "Wi-Fi signal at the door shows 3 bars.",
            "It's cold here but not that cold.",
            "Taking it down to charge every fortnight is a real pain.",
        ),
        me_too=(
            "Same, my doorbell battery lasts about two weeks.",
            "+1, battery drains way faster than advertised.",
            "Mine too, 15 days on a full charge.",
            "Same experience here in {city}, two weeks and it's flat.",
        ),
        staff_replies=(
            "Thanks for reporting this. We've found that the doorbell's radio keeps waking "
            "up when the Wi-Fi signal is weak, which drains the battery. Firmware 2.8 will fix "
            "it; meanwhile setting motion sensitivity to medium helps a lot.",
            "Hi {name}, we're working on a firmware fix for the battery drain. If you're on "
            "Care+ we can send a spare battery so you can swap instead of waiting to charge.",
        ),
        staff_fixed=(
            "Firmware 2.8 fixes the battery drain we saw on weak Wi-Fi. After updating, "
            "battery life should be back to months, not weeks. Let us know how it goes!",
            "Hi {name}, could you check you're on firmware 2.8? It fixed the radio bug that "
            "drained batteries in two weeks.",
        ),
        resolved=(
            "Follow-up: after 2.8 my doorbell battery is at 81% after three weeks. Fixed!",
            "Can confirm the update fixed it, battery lasts properly now. Thanks {staff}.",
        ),
    ),
    Issue(
        key="app_logout",
        product="lumen-app",
        label="The app keeps logging me out",
        problem="the app logging me out every day",
        curve=(0.35, 0.32, 0.36, 0.34, 0.33, 0.37, 0.35, 0.34, 0.36, 0.33, 0.35, 0.34),
        titles=(
            "App logs me out every day",
            "Lumen app keeps logging me out",
            "Why does the app keep signing me out?",
            "Logged out of the app again",
            "App logs me out and forgets my 2FA",
        ),
        statements=(
            "The app logs me out every day and I have to type my password again.",
            "The Lumen app keeps logging me out, sometimes twice a day.",
            "Every time I open the app it has logged me out.",
            "App logs me out whenever my phone switches from Wi-Fi to mobile data.",
            "app logs me out constantly. so annoying when you just want to turn a light off",
        ),
        details=(
            "I'm on a {device}, latest version of the app.",
            "Reinstalled the app, same thing.",
            "My partner's phone doesn't do it, only mine.",
            "It's especially bad when I want to check the doorbell quickly.",
        ),
        me_too=(
            "Same here, the app logs me out every couple of days.",
            "+1 on {device}. Logged out constantly.",
            "Happens to me too, really annoying.",
        ),
        staff_replies=(
            "Sorry about that. The app signs you out when it can't refresh its session, "
            "which can happen if battery optimisation stops it in the background. Excluding "
            "the Lumen app from battery optimisation usually fixes it.",
            "Hi {name}, thanks for reporting. Could you send us the time it last happened "
            "from Settings > Help > Send diagnostics? We're tracking logout reports closely.",
        ),
        resolved=("Turning off battery optimisation for the app fixed it. Thanks {staff}!",),
    ),
    Issue(
        key="installer_noshow",
        product="lumen-install",
        label="Installer did not show up for the appointment",
        problem="an installer who never showed up",
        # Rises with the busy install season (months 3 to 5).
        curve=(0.12, 0.14, 0.2, 0.5, 0.65, 0.55, 0.25, 0.15, 0.12, 0.1, 0.12, 0.14),
        titles=(
            "Installer no-show, twice",
            "Installer didn't turn up for my appointment",
            "Booked installation, nobody came",
            "Still waiting for an installer",
            "Installation appointment missed, no call",
        ),
        statements=(
            "I booked the installation service and the installer was a no-show.",
            "Took a day off work for the installation and the installer never showed up.",
            "Second time the installer didn't turn up. No call, no email.",
            "The installer didn't show up and nobody can tell me when they'll come.",
        ),
        details=(
            "The booking was through {partner}.",
            "I paid for the installation upfront.",
            "Customer service keeps saying 'someone will be in touch'.",
            "The thermostat has been sitting in its box for three weeks now.",
        ),
        me_too=(
            "Same happened to me with the installation, waited all day.",
            "Had an installer no-show last month too.",
        ),
        staff_replies=(
            "That's not the experience we want you to have, {name}, and I'm sorry. I've "
            "escalated your booking with {partner} and a coordinator will call you today to "
            "book a guaranteed slot. The installation fee will be refunded.",
            "Really sorry about the missed appointment. I've messaged you privately to sort "
            "out a new date and a refund of the installation fee.",
        ),
        resolved=(
            "Installer came this morning, was great and had everything set up in an hour. "
            "Thanks {staff} for chasing it.",
        ),
    ),
    Issue(
        key="refund_refused",
        product="lumen-care",
        label="Refund refused",
        problem="my refund being refused",
        curve=(0.15, 0.14, 0.16, 0.15, 0.17, 0.15, 0.18, 0.2, 0.22, 0.25, 0.24, 0.26),
        titles=(
            "Refund refused for faulty unit",
            "They refused my refund",
            "Refund denied even though it's within 30 days",
            "Can't get a refund for Care+",
        ),
        statements=(
            "I asked for a refund on Care+ within the 30 days and it was refused.",
            "My refund was refused because I 'opened the box'. It's faulty!",
            "Support refused a refund for a unit that was dead on arrival.",
            "Refund refused, and nobody explains why.",
        ),
        details=(
            "I have the order number and the chat transcript.",
            "I've been a customer for three years.",
            "Thinking about a chargeback with my bank at this point.",
        ),
        me_too=(
            "Same, my refund was refused too.",
            "Had the exact same runaround trying to get a refund.",
        ),
        staff_replies=(
            "Hi {name}, that should not have happened: faulty units are always refundable. "
            "I've reopened your case and approved the refund; you'll see it in 3-5 days.",
            "Sorry for the hassle. Please send me your order number in a private message and "
            "I'll look at the refund myself today.",
        ),
        resolved=("Refund came through today. Thanks {staff} for sorting it out.",),
    ),
    Issue(
        key="care_price_rise",
        product="lumen-care",
        label="Care+ subscription price increase",
        problem="the Care+ price increase",
        # The price rise is announced in month 9.
        curve=(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.1, 0.6, 0.3),
        titles=(
            "Care+ price going up again?",
            "Care+ price increase is a joke",
            "Cancelling Care+ after the price rise",
            "Why is Care+ now {price} a month?",
        ),
        statements=(
            "Just got the email: Care+ goes up to {price} a month. That's a 40% increase.",
            "The Care+ price increase is too much for what you get.",
            "Care+ now costs {price} a month and I get nothing new.",
        ),
        details=(
            "I'm seriously considering cancelling my subscription.",
            "For that money {competitor} gives me 60 days of video.",
            "Feels like being punished for being a loyal customer.",
        ),
        me_too=(
            "Same, the price rise pushed me to cancel.",
            "Yep, I'm done with Care+ at that price.",
        ),
        staff_replies=(
            "We hear you, {name}. Existing subscribers keep the old price for 12 months, and "
            "the yearly plan works out cheaper. I'll pass this feedback on to the team.",
        ),
    ),
    Issue(
        key="hub_zigbee",
        product="lumen-hub",
        label="Hub drops Zigbee devices after a power cut",
        problem="the hub dropping my Zigbee devices after a power cut",
        curve=(0.18, 0.2, 0.17, 0.19, 0.18, 0.2, 0.19, 0.18, 0.2, 0.19, 0.18, 0.2),
        titles=(
            "Hub forgets Zigbee devices after power cut",
            "All sensors unpaired after a power outage",
            "Hub drops Zigbee devices",
        ),
        statements=(
            "After a short power cut the hub dropped half my Zigbee devices.",
            "Every time the power goes out the hub forgets some of my sensors.",
            "The hub drops Zigbee devices and I have to pair them again.",
        ),
        details=(
            "I have about 30 devices, mostly sensors and plugs.",
            "Re-pairing everything takes an evening.",
        ),
        me_too=("Same, lost my motion sensors after an outage.",),
        staff_replies=(
            "Thanks {name}. The hub needs a couple of minutes after power returns before "
            "devices rejoin; most come back on their own. If some don't, Settings > Zigbee > "
            "Repair network reconnects them without re-pairing.",
        ),
        resolved=("The repair network option brought them all back. Good to know!",),
    ),
)

# --- Everyday talk -------------------------------------------------------------------------

OPENERS = (
    "Hi all,", "Hey everyone,", "Hello,", "Hi,", "Quick one:", "Morning all.", "", "", "",
    "Hi folks!", "Long-time lurker, first post.", "Not sure this is the right place, but",
)  # fmt: skip
CLOSERS = (
    "Any ideas?", "Thanks in advance!", "Anyone else seeing this?", "Cheers.", "", "", "",
    "Would appreciate any help.", "Thanks!", "Help!", "Fingers crossed someone knows.",
)  # fmt: skip
EMOJI_HAPPY = ("🙂", "👍", "🎉", "😄", "🙌")
EMOJI_UNHAPPY = ("😡", "😤", "🙄", "😞", "🤦")
THREATS = (
    "If this isn't fixed soon I'm switching to {competitor}.",
    "Honestly considering returning everything and going with {competitor}.",
    "I'm about ready to cancel my Care+ subscription over this.",
    "One more week like this and it all goes back.",
    "I've recommended Lumen to friends. Starting to regret that.",
)  # fmt: skip
SARCASM = (
    "Great, another update that breaks things. Love it. 🙃",
    "Oh good, my 'smart' home is now dumber than my old one.",
    "Really loving the daily ritual of re-pairing things. Said nobody ever.",
    "Five stars for making me get out of bed to adjust the heating manually. /s",
)  # fmt: skip

PRAISE_TITLES = (
    "Love {short}", "{product} is brilliant", "One year with {product}",
    "Pleasantly surprised by {product}", "Shout-out to the support team",
    "{product}: best purchase this year", "Small thing, but {short} just works",
)  # fmt: skip
PRAISE = {
    "lumen-hub": (
        "Setting up the hub took ten minutes and everything just appeared in the app.",
        "The hub has been rock solid for a year, 40 devices and not one hiccup.",
        "Local control on the hub means my lights still work when the internet is down.",
    ),
    "lumen-thermostat": (
        "The thermostat cut our heating bill by about 20% this winter.",
        "Love the energy report from the thermostat, it showed us the loft was leaking heat.",
        "The thermostat learned our schedule in a week. The house is warm when we get up.",
    ),
    "lumen-doorbell": (
        "The doorbell's person detection is spot on, no more alerts for passing cars.",
        "Caught a parcel thief on the doorbell cam, video was crystal clear.",
        "Answering the door from work through the doorbell is great for deliveries.",
    ),
    "lumen-plug": (
        "The plugs' energy metering showed our old fridge was using a fortune.",
        "Smart plugs on the Christmas lights, schedules just work.",
        "Cheap, tiny and reliable. I have 14 of these plugs now.",
    ),
    "lumen-app": (
        "The new scenes editor in the app is so much better.",
        "The app's widget on my {device} is the best thing, one tap for everything.",
        "Automations in the app are powerful without being complicated.",
    ),
    "lumen-sensor": (
        "Motion sensors in the hallway turn the lights on at night, perfect for the kids.",
        "The motion sensor's temperature readings are surprisingly accurate.",
    ),
    "lumen-install": (
        "The installer from {partner} was on time, tidy and explained everything.",
        "Installation was quick and professional, worth every penny.",
    ),
    "lumen-care": (
        "Care+ paid for itself when my doorbell died: replaced in two days, no questions.",
        "The 30-day video history on Care+ has been worth it for peace of mind.",
    ),
}
PRAISE_REPLIES = (
    "Agreed, mine has been great too.", "Same experience here.",
    "Good to hear, I'm thinking of getting one.", "Mine took a while to set up but now it's solid.",
    "Nice to read something positive for once 😄", "Couldn't agree more.",
    "Had a rocky start with mine, but it's been fine since the last update.",
)  # fmt: skip
RECOMMEND = (
    "I'd recommend {product} to anyone.",
    "Would definitely recommend {short} to friends and family.",
    "Already got my parents one. Highly recommend.",
    "If you're on the fence, just get {short}.",
    "I've recommended it to three neighbours already.",
)  # fmt: skip
SUPPORT_PRAISE = (
    "Shout-out to {staff} from support who sorted my problem in one message.",
    "Support actually listened and fixed it. Rare these days.",
    "Had a problem last month and the team handled it brilliantly.",
)  # fmt: skip
TURNAROUND_TITLES = (
    "From annoyed to happy: {product}", "Update on my {short_noun} saga",
    "Credit where it's due", "{product} is working great now",
)  # fmt: skip
TURNAROUND = (
    "A while ago I posted here angry about {problem}. {staff} and the team sorted it out, "
    "and it's been flawless since. I'd now recommend {product} to anyone.",
    "Wanted to close the loop: I had {problem}, got real help here, and {short} has worked "
    "perfectly since. Thanks for turning it around.",
    "Last time I complained about {problem}. Honestly, the way support handled it made me "
    "a bigger fan than before. Just bought a second {short_noun}.",
)  # fmt: skip
INTENT_TITLES = (
    "Thinking of buying {product}, worth it?", "About to order {short}, any advice?",
    "{product} or wait for the next version?", "Planning a Lumen setup for a new flat",
)  # fmt: skip
INTENT = (
    "I'm planning to buy {product} next month. Anything I should know?",
    "Looking to get {short} for our new place. Does it work well in an old house?",
    "We're about to order a starter kit. Is {product} worth adding?",
    "My neighbour swears by {short}. Thinking of getting one too.",
    "Budget is tight, but I'd like to buy {short} this year. Do they go on sale?",
)  # fmt: skip
COMPARE_TITLES = (
    "{product} vs {competitor}?", "Switched from {competitor} to Lumen: my notes",
    "Comparing {short} with {competitor}",
)  # fmt: skip
COMPARE = (
    "I've used both {competitor} and {product}. Lumen's app is nicer, {competitor} has "
    "better battery life.",
    "Moved from {competitor} last year. {product} is cheaper and doesn't need a cloud "
    "account for everything.",
    "Is {product} better than {competitor}? Reviews online are all over the place.",
    "{competitor} keeps sending me offers. What does {short} do better?",
)  # fmt: skip
ANSWER_INTENT = (
    "Go for it. Mine has been great for over a year.",
    "Worth it, but get the hub first, everything is easier with it.",
    "I'd wait for a sale, they come around every couple of months.",
    "Works fine in our 1930s house, just check the Wi-Fi at the spot you mount it.",
    "Depends what you need. For the basics it's brilliant.",
    "If you're handy you don't need the installation service, it's easy.",
)  # fmt: skip

QUESTIONS = (
    (
        "How do I set up a schedule for the plugs?",
        "What's the easiest way to make {short} turn on at sunset and off at 11?",
        "In the app go to Automations > New > Time of day, pick 'sunset' as start and add a "
        "second step for 23:00 off. Works a treat.",
        "lumen-plug",
    ),
    (
        "Can the thermostat work with a heat pump?",
        "We're getting a heat pump fitted. Does {product} support it, or do I need something "
        "else?",
        "Yes, it supports most heat pumps in 'low temperature' mode. Ask your engineer to set "
        "the flow temperature and pick Heat pump under Settings > System.",
        "lumen-thermostat",
    ),
    (
        "How to share access with my family?",
        "How do I give my partner access to the app without sharing my password?",
        "Settings > Home > Members > Invite. They get their own login and you pick what they "
        "can control.",
        "lumen-app",
    ),
    (
        "Doorbell chime compatibility",
        "Will the doorbell work with my existing mechanical chime?",
        "If your chime is a standard 8-24 V mechanical one, yes: wire it in and enable "
        "'Mechanical chime' in the doorbell settings.",
        "lumen-doorbell",
    ),
    (
        "Best place to mount a motion sensor?",
        "Where do you put motion sensors for hallway lights so they don't trigger all the "
        "time?",
        "About 2 m high in a corner, pointing across the path rather than towards it. Then "
        "set the timeout to 2 minutes.",
        "lumen-sensor",
    ),
    (
        "Can I use the hub without internet?",
        "If my internet goes down, do automations still run on the hub?",
        "Yes, automations run locally on the hub. You lose remote access and voice "
        "assistants until it's back.",
        "lumen-hub",
    ),
    (
        "How do I connect the hub to a voice assistant?",
        "Trying to get {short} working with my voice assistant. Where is the setting?",
        "Settings > Integrations > Voice assistants, then link your account. Rooms and "
        "scenes are shared automatically.",
        "lumen-hub",
    ),
    (
        "Export energy data from the plugs?",
        "Is there a way to export the energy readings from {short} to a spreadsheet?",
        "Energy > pick the plug > the three dots > Export CSV. You get hourly readings for "
        "the last 12 months.",
        "lumen-plug",
    ),
    (
        "What does Care+ actually include?",
        "Trying to decide on Care+. What do you actually get?",
        "30 days of video history, extended warranty to 3 years, and priority support. The "
        "yearly plan is the better deal.",
        "lumen-care",
    ),
    (
        "Eco mode on the thermostat?",
        "What does eco mode on {short} really do? Is it worth turning on?",
        "It lowers the target by 1.5 degrees when nobody is home, based on your phones. It "
        "saved us a noticeable amount.",
        "lumen-thermostat",
    ),
    (
        "Doorbell video is choppy",
        "Live view on {short} stutters a lot. Is it my Wi-Fi?",
        "Usually it's the signal at the door. Check Settings > Device > Signal; under -70 "
        "dBm a mesh point or the chime extender helps.",
        "lumen-doorbell",
    ),
    (
        "How do I move the hub to a new router?",
        "Got a new router from my ISP. How do I move {short} over without re-pairing "
        "everything?",
        "Settings > Hub > Network > Change Wi-Fi. Your Zigbee devices stay paired, only the "
        "hub reconnects.",
        "lumen-hub",
    ),
)  # fmt: skip
QUESTION_FOLLOWUPS = (
    "That worked, thank you!", "Perfect, exactly what I needed.", "Thanks, sorted.",
    "Brilliant, thanks {mention}.", "Didn't know that setting existed. Thanks!",
    "Tried it, works. Marking this as the answer.",
)  # fmt: skip
ALT_ANSWERS = (
    "I did it a slightly different way but same result.",
    "You can also do it from the web dashboard if the app is being slow.",
    "Not sure, I'd ask support.",
    "I think this changed in the last app update, the menu moved.",
    "Following, I have the same question.",
)  # fmt: skip

DISCUSSION_TITLES = (
    "Show us your favourite automation", "Energy saving tips for winter",
    "What's in your Lumen setup?", "Smart home and the grandparents",
    "Automations for pets?", "Holiday mode ideas", "Best scenes for movie night",
    "Lighting automation for dark mornings",
)  # fmt: skip
DISCUSSION = (
    "Mine: when the last phone leaves, {short} switches everything off and the heating goes "
    "to eco.",
    "We have a 'bedtime' scene that locks up, turns off the plugs and drops the heating.",
    "Motion sensor in the {room} + the plugs = lights that follow you at night.",
    "I set up the thermostat to preheat when my train is 20 minutes out. Feels like magic.",
    "Installed everything for my mum in {city}; she uses the doorbell more than anything.",
    "Tip: group your plugs by room, it makes voice control much nicer.",
    "We use the plugs' energy reports to find standby hogs. The TV box was the worst.",
)  # fmt: skip
DISCUSSION_REPLIES = (
    "Love this idea, stealing it.", "How did you set up the trigger for that?",
    "Nice! We do something similar in the {room}.", "This is great, thanks for sharing.",
    "Clever. Does it work when the hub is offline?", "Ha, same here.",
    "We tried that but the dog kept setting off the sensor 😄",
)  # fmt: skip

REVIEW_TITLES = {
    5: ("Excellent", "Does exactly what it says", "Love it", "Best smart-home buy",
        "Five stars, no regrets", "Fantastic"),
    4: ("Very good, small niggles", "Great, nearly perfect", "Solid product",
        "Happy with it"),
    3: ("It's OK", "Mixed feelings", "Good idea, patchy execution", "Average"),
    2: ("Disappointed", "Not what I hoped", "Too many problems"),
    1: ("Avoid", "Terrible experience", "Do not buy", "Waste of money",
        "Broken after the update"),
}  # fmt: skip
REVIEW_MIDDLE = (
    "Setup was easy but the app could be faster.",
    "Works well most of the time, occasionally needs a restart.",
    "Good hardware, the software is still catching up.",
    "Does the basics fine. Missing a few features I expected.",
)  # fmt: skip
REVIEW_NEGATIVE = (
    "Stopped working properly after a couple of months.",
    "Setup took an evening and it still isn't reliable.",
    "Overpriced for what it does.",
    "Support took a week to answer a simple question.",
    "The app makes it feel clunky, and that's the whole experience.",
)  # fmt: skip
REVIEW_FOUR = (
    "Really good overall. Only wish the app had a dark mode.",
    "Reliable and well made. Took off a star for the price.",
    "Works great; the manual could be clearer.",
)  # fmt: skip

STAFF_GREETINGS = ("Hi {name},", "Hello {name},", "Hey {name},", "Thanks for posting, {name}.")
STAFF_SIGNOFFS = (
    "— {staff}, Lumen Home Support", "{staff} (Lumen Home)", "Best, {staff} · Lumen Home team",
    "— {staff}, Community team",
)  # fmt: skip
STAFF_REVIEW_REPLIES = (
    "Thank you for the honest review. I'd like to help with this: could you post the details "
    "in the {product} forum or send me a message?",
    "Sorry to hear {short} let you down. Our team has reached out by email to make it right.",
    "Thanks for taking the time to write this. The issue you mention is fixed in the latest "
    "update; please let us know if it's still happening.",
)  # fmt: skip
STAFF_THANKS = (
    "Thanks so much for the kind words! I'll share this with the team.",
    "This made our day, thank you for sharing.",
    "Great to hear, thanks for being part of the community!",
)  # fmt: skip
STAFF_ANSWER_EXTRA = (
    "If that doesn't help, reply here and we'll dig in.",
    "There's a step-by-step guide in the help centre too.",
    "Let us know how you get on!",
)  # fmt: skip

IDEAS = (
    ("Dark mode for the app", "lumen-app",
     "Please add a dark mode to the app. Checking the doorbell at night blinds me."),
    ("Geofencing per family member", "lumen-app",
     "Let each household member have their own home/away zone for automations."),
    ("Export thermostat history", "lumen-thermostat",
     "I'd like to download a year of temperature history as CSV."),
    ("Local video storage for the doorbell", "lumen-doorbell",
     "Let me store doorbell clips on a microSD card or the hub instead of the cloud."),
    ("Matter support on the hub", "lumen-hub",
     "Add Matter so we can mix and match devices from other brands."),
    ("Vacation mode", "lumen-app",
     "One button that randomises lights and lowers the heating while we're away."),
    ("Per-room schedules on the thermostat", "lumen-thermostat",
     "Different temperatures per room using the motion sensors."),
    ("Energy price integration", "lumen-plug",
     "Turn plugs on when electricity is cheapest, using my tariff."),
    ("Widgets for the lock screen", "lumen-app",
     "Control scenes from the phone's lock screen."),
    ("Doorbell quick replies", "lumen-doorbell",
     "Pre-recorded messages like 'leave it by the door' for couriers."),
    ("Pause Care+ for a few months", "lumen-care",
     "Let us pause Care+ instead of cancelling while we're away for the summer."),
    ("Battery level alerts", "lumen-sensor",
     "Warn me a week before a sensor battery dies, not when it's already dead."),
    ("Rollback to previous firmware", "lumen-thermostat",
     "When an update breaks something, let us roll back to the previous firmware."),
    ("Multiple homes in one account", "lumen-app",
     "I manage my parents' house too; switching accounts is a pain."),
    ("Open local API", "lumen-hub",
     "A documented local API for home-lab folks."),
    ("Heat pump mode improvements", "lumen-thermostat",
     "Longer, lower heating cycles for heat pumps."),
    ("Guest access codes", "lumen-app",
     "Temporary access for a cleaner or dog walker."),
    ("Chime volume schedule", "lumen-doorbell",
     "Quieter chime at night when the baby is asleep."),
)  # fmt: skip
IDEA_COMMENTS = (
    "Yes please! Would use this every day.", "Voted. This is long overdue.",
    "+1, {competitor} has had this for ages.", "Would pay extra for this.",
    "Not sure about this one, sounds complicated.", "This would make Care+ worth it for me.",
    "Great idea, especially for families.",
)  # fmt: skip
IDEA_STATUS_EXPLANATIONS = {
    "under_review": (
        "Thanks everyone for the votes. The product team is looking at this now.",
        "We're reviewing this with the design team; keep the feedback coming.",
    ),
    "planned": (
        "This is on the roadmap for next quarter. We'll share designs here first.",
        "Planned! It was one of the most requested ideas this year.",
    ),
    "in_progress": (
        "Work has started. Beta testers will get it in the next app release.",
        "In progress: the firmware team is building this now.",
    ),
    "done": (
        "Shipped in the latest update. Thank you for the idea and all the votes!",
        "This is now live for everyone. Tell us what you think.",
    ),
    "declined": (
        "We've decided not to build this for now: it would compromise battery life too much. "
        "We'll revisit if the hardware changes.",
        "Thanks for the idea. We're not planning this because it conflicts with our privacy "
        "commitments, but we've noted the need behind it.",
    ),
}

STAFF_ROOM = (
    ("Weekly support round-up",
     "Top contact reasons this week: {issue}. Volume is up on last week.",
     ("Thanks. Can we get a canned reply for that?", "Escalating to the firmware team.",
      "I'll post an update in the community thread.")),
    ("Heads-up: {issue}",
     "Seeing a cluster of reports about {issue}. Please tag them in the queue.",
     ("Tagged 14 so far today.", "Engineering has a repro, fix ETA next sprint.",
      "Let's pin a public thread so customers know we're on it.")),
    ("Release notes review",
     "Draft release notes for the next firmware are in the shared folder. Comments by "
     "Friday please.",
     ("Looks good, small wording fix in the Wi-Fi section.", "Approved from support's side.")),
)  # fmt: skip
PARTNER_LOUNGE = (
    ("Install slots for next month",
     "We have capacity for about 40 thermostat installs in {city} next month. Send "
     "referrals our way.",
     ("Thanks, we'll route the northern bookings to you.",
      "Could you cover the doorbell wiring jobs too?")),
    ("Referral process question",
     "How do referrals from the community get to us? Some customers mention they were "
     "promised a call back.",
     ("Referrals arrive in the partner inbox within an hour; we're fixing the call-back "
      "wording.", "Same question from our side.")),
    ("Training on firmware 3.2 issues",
     "Our technicians keep getting asked about thermostat Wi-Fi drops. Any guidance?",
     ("Band steering off or a separate 2.4 GHz network. Hotfix is coming.",
      "Thanks, shared with the team.")),
)  # fmt: skip

# Staff announcements that date the planted events: (month, space slug, title, body, replies).
ANNOUNCEMENTS = (
    (5, "doorbell", "Doorbell firmware 2.8: battery life fix",
     "Firmware 2.8 is rolling out to all doorbells this week. It fixes the radio bug that "
     "drained batteries in two weeks on weak Wi-Fi. Battery life should be back to months.",
     ("Finally! Updating now.", "Thanks for the update, fingers crossed.",
      "About time, but good to see it fixed.")),
    (7, "thermostat", "Thermostat firmware 3.2 release notes",
     "Firmware 3.2 brings faster schedules, heat-pump tuning and a new energy report. It "
     "rolls out gradually over the next two weeks.",
     ("Nice, the heat-pump tuning is what I was waiting for.",
      "Installed 3.2 and now the thermostat keeps dropping Wi-Fi. Anyone else?",
      "Same, Wi-Fi drops since 3.2.")),
    (7, "thermostat", "Known issue: thermostat Wi-Fi drops on firmware 3.2",
     "We know some thermostats lose Wi-Fi after firmware 3.2. The cause is a bug in how the "
     "thermostat renews its network lease. Workaround: give it a fixed IP address or a "
     "separate 2.4 GHz network. A hotfix is our top priority; we'll update this thread.",
     ("Thanks for being upfront about it.", "Please hurry, the house was cold this morning.",
      "The workaround worked for me.")),
    (9, "thermostat", "Firmware 3.2.1 hotfix is rolling out",
     "Firmware 3.2.1 fixes the Wi-Fi drops introduced in 3.2. It is rolling out to everyone "
     "now; you can also install it from Settings > Device > Check for update.",
     ("Installed, stable for two days now. Thanks!", "Good job, that fixed it for me.",
      "Still dropping here after 3.2.1, sending diagnostics.")),
    (9, "general", "Changes to Care+ pricing",
     "From next month Care+ costs {price} a month. Existing subscribers keep their current "
     "price for 12 months, and the yearly plan stays cheaper.",
     ("That's a big jump.", "Cancelling, sorry.", "Fair enough if the video history improves.",
      "I'll switch to the yearly plan then.")),
)  # fmt: skip

# Common words with the misspellings people really make; only these are ever "typo'd",
# so the planted problem phrases always stay intact.
TYPOS = {
    "because": "becuase", "really": "realy", "definitely": "definately", "the": "teh",
    "receive": "recieve", "separate": "seperate", "until": "untill", "which": "wich",
    "their": "thier", "thanks": "thx", "though": "tho", "probably": "prolly",
}  # fmt: skip
