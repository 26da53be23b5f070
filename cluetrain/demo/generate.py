"""The demo community: "Lumen Home", a smart-home maker, and a year of its customers' talk.

`cluetrain demo` calls `generate()`. Everything comes from one `random.Random(seed)` passed
around, so the same seed gives the same community (titles, texts, graph), and all text is
built from this project's own word banks (`corpus.py`, which reads `data/*.json`), never copied.

What it makes (default sizes)
-----------------------------
- The company, 8 products and services, 12 partner organizations with offerings.
- 1,000 members: ~90% customers, ~4% staff, ~4% partners, moderators and one admin, with
  profiles (headline, city, expertise and interests). Logins: `admin`, `staff`, `moderator`,
  `partner`, `customer`, password `cluetrain-demo` unless `--password` says otherwise.
- A heavy-tailed follow graph (preferential attachment), mutual connections (some pending or
  declined), a few trust ties, space follows.
- Spaces: a forum per main product, General, "Help & How-to" (Q&A), Ideas, Reviews,
  "Staff room" (staff only), "Partner lounge" (partners and staff).
- At least 10,000 posts over the past 12 months in reply trees (depth up to 4), questions with
  accepted answers, J-shaped 1-5 star reviews, ideas with heavy-tailed votes and a public
  status history, reactions, mentions, a few notifications, and the search index.

Planted signals (for analytics to find)
---------------------------------------
Months count from the start of the demo year: month 0 is the 12 months before generation,
month 11 the current one. Each problem's thread volume follows `corpus.ISSUES[...].curve`.

- thermostat_wifi (Lumen Thermostat): "thermostat loses Wi-Fi after firmware 3.2". Near zero,
  then a SPIKE in month 7 (firmware 3.2 ships); hotfix 3.2.1 in month 9; a slow tail.
- doorbell_battery (Lumen Doorbell Cam): "doorbell battery drains in 2 weeks". High in months
  0-4, FIXED by firmware 2.8 in month 5, then fades to almost nothing.
- app_logout (Lumen App): "the app keeps logging me out". Steady all year (a control).
- installer_noshow (Lumen Installation Service, partner installers): "the installer was a
  no-show / didn't turn up". A seasonal bump in months 3-5.
- refund_refused (Lumen Care+): "refund refused". Low, slowly rising.
- care_price_rise (Lumen Care+): "Care+ price increase", with threats to cancel. A spike in
  month 9 (the price rise), then decays.
- hub_zigbee (Lumen Hub): "hub drops Zigbee devices after a power cut". Low, steady.

Also: praise per product ("cut my heating bill by 20%"), "I'd recommend X to anyone",
intent to buy ("thinking of buying..."), comparisons with invented competitors (Brightly,
CasaIQ, Homely, Vireo Home, Nestwise, Ringmate), threats to leave ("switching to ..."),
occasional sarcasm, staff answers (`is_staff_reply=True`, staff voice and sign-off) that
resolve issues, and "turnaround" customers who complained, were helped, and later post
praise or a 4-5 star review. Review stars for a product drop while its issue is active.
"""

import math
import random
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from tqdm import tqdm

from cluetrain.core.markdown import render_markdown
from cluetrain.demo import corpus
from cluetrain.ideas.models import Idea, IdeaStatusChange, IdeaVote
from cluetrain.members.models import COMPANY_STAFF_ROLES, Connection, Member, Profile
from cluetrain.notifications.models import Notification
from cluetrain.notifications.tasks import reply_sentence
from cluetrain.organizations.models import Offering, Organization, Product
from cluetrain.reviews.models import Review
from cluetrain.search.indexing import bulk_index_members, bulk_index_posts, remove_member
from cluetrain.search.models import SearchEntry
from cluetrain.sources.lookup import community_source
from cluetrain.sources.models import Source
from cluetrain.spaces.models import Space, SpaceFollow
from cluetrain.threads.actions import MENTION_RE
from cluetrain.threads.models import Mention, Post, Reaction, Thread
from cluetrain.topics.models import Topic

DEFAULT_SEED = 42
DEFAULT_MEMBERS = 1000
DEFAULT_POSTS = 10_000
DEFAULT_PASSWORD = "cluetrain-demo"  # noqa: S105 - the published demo password
DEMO_EMAIL_DOMAIN = "demo.lumenhome.example"
BATCH_SIZE = 1000  # rows per INSERT; keeps SQLite under its variable limit on wide tables
MAX_DEPTH = 4
DAYS = 365
MONTH = timedelta(days=DAYS / corpus.MONTHS)

# Logins printed at the end: (username, role, display name).
LOGINS = (
    ("admin", Member.Role.ADMIN, "Avery Admin"),
    ("staff", Member.Role.STAFF, "Sam Rivera"),
    ("moderator", Member.Role.MODERATOR, "Morgan Reyes"),
    ("partner", Member.Role.PARTNER, "Pat Okafor"),
    ("customer", Member.Role.CUSTOMER, "Casey Morgan"),
)

SPACES = (
    # slug, name, kind, visibility, product slug, description
    ("general", "General", "forum", "public", None, "Anything about a Lumen home."),
    ("help", "Help & How-to", "qa", "public", None, "Ask a question, get an answer."),
    ("hub", "Lumen Hub", "forum", "public", "lumen-hub", "The hub, Zigbee and networking."),
    ("thermostat", "Lumen Thermostat", "forum", "public", "lumen-thermostat", "Heating."),
    ("doorbell", "Lumen Doorbell Cam", "forum", "public", "lumen-doorbell", "Doorbell cam."),
    ("plugs", "Lumen Smart Plug", "forum", "public", "lumen-plug", "Plugs and energy."),
    ("app", "Lumen App", "forum", "public", "lumen-app", "The app, scenes, automations."),
    ("ideas", "Ideas", "ideas", "public", None, "Suggest and vote on what we build next."),
    ("reviews", "Reviews", "reviews", "public", None, "Honest reviews, 1 to 5 stars."),
    ("staff-room", "Staff room", "forum", "staff", None, "Internal: staff only."),
    ("partner-lounge", "Partner lounge", "forum", "partners", None, "Partners and staff."),
)
ISSUE_TAGS = {
    "thermostat_wifi": ("Wi-Fi", "Firmware", "Troubleshooting"),
    "doorbell_battery": ("Battery", "Firmware"),
    "app_logout": ("Troubleshooting",),
    "installer_noshow": ("Installation",),
    "refund_refused": ("Billing",),
    "care_price_rise": ("Subscriptions", "Billing"),
    "hub_zigbee": ("Zigbee", "Troubleshooting"),
}
PRODUCT_TAGS = {
    "lumen-hub": "Zigbee",
    "lumen-thermostat": "Energy saving",
    "lumen-doorbell": "Security",
    "lumen-plug": "Energy saving",
    "lumen-app": "Automation",
    "lumen-sensor": "Automation",
    "lumen-install": "Installation",
    "lumen-care": "Subscriptions",
}
# Share of threads per kind in an average month; problems add ISSUE_SCALE x their curve.
THREAD_MIX = {
    "question": 0.20,
    "praise": 0.07,
    "intent": 0.05,
    "compare": 0.03,
    "discussion": 0.06,
    "review": 0.16,
    "staff_room": 0.02,
    "partner_lounge": 0.015,
}
ISSUE_SCALE = 0.135
INSTALLER_CATEGORIES = {"Installer", "Electrician network", "Handyman service"}
STARS_J = (0.17, 0.07, 0.09, 0.2, 0.47)  # 1..5 stars: the J shape of real review sites
STATUS_PATHS = {
    "under_review": ("under_review",),
    "planned": ("under_review", "planned"),
    "in_progress": ("under_review", "planned", "in_progress"),
    "done": ("under_review", "planned", "in_progress", "done"),
    "declined": ("under_review", "declined"),
}

T = TypeVar("T")


@dataclass
class Summary:
    members: int = 0
    threads: int = 0
    posts: int = 0
    reviews: int = 0
    ideas: int = 0
    votes: int = 0
    follows: int = 0
    connections: int = 0
    reactions: int = 0
    mentions: int = 0
    notifications: int = 0
    logins: list[str] = field(default_factory=list)


def demo_exists() -> bool:
    return Organization.objects.filter(slug=corpus.COMPANY["slug"]).exists()


def demo_logins() -> list[str]:
    """The usual log-ins (LOGINS) that the demo there now made, in LOGINS's order."""
    made = set(
        Member.objects.filter(
            username__in=[username for username, _, _ in LOGINS],
            email__endswith=f"@{DEMO_EMAIL_DOMAIN}",
        ).values_list("username", flat=True)
    )
    return [username for username, _, _ in LOGINS if username in made]


@transaction.atomic
def delete_demo() -> None:
    """Delete every row the demo made (and posts others wrote in the demo's spaces)."""
    space_slugs = [space[0] for space in SPACES]
    post_ids = list(Post.objects.filter(thread__space__slug__in=space_slugs).values_list("pk"))
    SearchEntry.objects.filter(
        kind=SearchEntry.Kind.POST, object_id__in=[pk for (pk,) in post_ids]
    ).delete()
    demo_members = Member.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    for member_id in demo_members.values_list("pk", flat=True):
        remove_member(member_id)
    Space.objects.filter(slug__in=space_slugs).delete()
    demo_members.delete()
    org_slugs = [corpus.COMPANY["slug"], *(partner.slug for partner in corpus.PARTNERS)]
    Organization.objects.filter(slug__in=org_slugs).delete()


def generate(
    *,
    seed: int = DEFAULT_SEED,
    members: int = DEFAULT_MEMBERS,
    posts: int = DEFAULT_POSTS,
    password: str = DEFAULT_PASSWORD,
    progress: bool = True,
) -> Summary:
    """Create the demo community. Callers check `demo_exists()` first."""
    builder = _Demo(random.Random(seed), timezone.now(), progress)
    with transaction.atomic():
        builder.build(member_count=max(members, 20), post_target=max(posts, 50), password=password)
    return builder.summary


# --- Helpers ---------------------------------------------------------------------------------


class _Picker:
    """Weighted choice with precomputed cumulative weights (random.choices re-sums each call)."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items: list[Any] = list(items)
        self.cum = list(accumulate(weights))

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect_left(self.cum, rng.random() * self.cum[-1])]

    def __bool__(self) -> bool:
        return bool(self.items)


def _batched(items: Sequence[T], size: int = BATCH_SIZE) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _first_name(member: Member) -> str:
    return member.first_name or member.name.split(" ")[0]


@dataclass
class _ThreadDraft:
    thread: Thread
    posts: list[Post]
    depth: dict[int, int]  # index in posts -> depth
    tags: list[Topic]
    accepted: int | None = None  # index in posts of the accepted answer
    review: tuple[Product, int] | None = None  # (product, stars) when the thread is a review

    @property
    def op(self) -> Member:
        author = self.thread.author
        assert isinstance(author, Member)
        return author


class _Demo:
    def __init__(self, rng: random.Random, now: datetime, progress: bool) -> None:
        self.rng = rng
        self.now = now
        self.start = now - timedelta(days=DAYS)
        self.progress = progress
        self.summary = Summary()
        self.drafts: list[_ThreadDraft] = []
        self.post_count = 0
        self.reviewed: set[tuple[int, int]] = set()
        self.by_username: dict[str, Member] = {}

    # --- Orchestration ---------------------------------------------------------------------

    def build(self, *, member_count: int, post_target: int, password: str) -> None:
        self.source: Source = community_source()
        self._organizations()
        self._topics()
        self._members(member_count, password)
        self._spaces()
        self._graph()
        self._conversations(post_target)
        self._write_conversations()
        self._reactions()
        self._notifications()
        self._search_index()

    def _bar(self, total: int, desc: str) -> "tqdm[Any]":
        return tqdm(total=total, desc=desc.ljust(14), unit="row", disable=not self.progress)

    def _bulk(self, model: type[models.Model], rows: Sequence[Any], desc: str) -> None:
        with self._bar(len(rows), desc) as bar:
            for batch in _batched(rows):
                model.objects.bulk_create(batch)  # type: ignore[attr-defined]
                bar.update(len(batch))

    def time_in_month(self, month: int) -> datetime:
        return self.start + MONTH * (month + self.rng.random())

    def month_of(self, when: datetime) -> int:
        return min(corpus.MONTHS - 1, max(0, int((when - self.start) / MONTH)))

    # --- Companies, products, topics -------------------------------------------------------

    def _organizations(self) -> None:
        company = corpus.COMPANY
        self.company = Organization.objects.create(
            name=company["name"],
            slug=company["slug"],
            kind=Organization.Kind.COMPANY,
            description=company["description"],
            website=company["website"],
            location=company["location"],
        )
        self.products = {
            spec.slug: Product(
                organization=self.company,
                name=spec.name,
                slug=spec.slug,
                kind=spec.kind,
                category=spec.category,
                description=spec.description,
            )
            for spec in corpus.PRODUCTS
        }
        Product.objects.bulk_create(list(self.products.values()))
        self.product_specs = {spec.slug: spec for spec in corpus.PRODUCTS}
        self.partners = [
            Organization(
                name=p.name,
                slug=p.slug,
                kind=Organization.Kind.PARTNER,
                category=p.category,
                description=p.description,
                location=p.location,
                website=f"https://{p.slug}.example",
            )
            for p in corpus.PARTNERS
        ]
        Organization.objects.bulk_create(self.partners)
        self.installers = [p for p in self.partners if p.category in INSTALLER_CATEGORIES]
        offerings = [
            Offering(
                provider=org,
                product=self.products[product] if product else None,
                title=title,
                description=description,
            )
            for org, spec in zip(self.partners, corpus.PARTNERS, strict=True)
            for title, product, description in spec.offerings
        ]
        Offering.objects.bulk_create(offerings)

    def _topics(self) -> None:
        names = list(corpus.TOPICS) + [spec.name for spec in corpus.PRODUCTS]
        existing = {t.slug: t for t in Topic.objects.filter(slug__in=[slugify(n) for n in names])}
        missing = [Topic(name=n, slug=slugify(n)) for n in names if slugify(n) not in existing]
        Topic.objects.bulk_create(missing)
        self.topics = {
            t.slug: t for t in Topic.objects.filter(slug__in=[slugify(n) for n in names])
        }

    def topic(self, name: str) -> Topic:
        return self.topics[slugify(name)]

    # --- Members ---------------------------------------------------------------------------

    def _members(self, count: int, password: str) -> None:
        rng = self.rng
        password_hash = make_password(password)  # hashed once, shared: hashing is slow
        staff_n = max(3, round(count * 0.04))
        partner_n = max(2, round(count * 0.04))
        mod_n = max(1, round(count * 0.015))
        roles = (
            [Member.Role.ADMIN]
            + [Member.Role.STAFF] * staff_n
            + [Member.Role.PARTNER] * partner_n
            + [Member.Role.MODERATOR] * mod_n
        )
        roles += [Member.Role.CUSTOMER] * (count - len(roles))
        taken = set(Member.objects.values_list("username", flat=True))
        login_for = {}
        for username, role, display in LOGINS:
            if username not in taken:
                login_for[role] = (username, display)
        members: list[Member] = []
        used_names = set(taken)
        for index, role in enumerate(roles):
            if role in login_for:
                username, display = login_for.pop(role)
                first, last = display.split(" ", 1)
                self.summary.logins.append(username)
            else:
                first, last = rng.choice(corpus.FIRST_NAMES), rng.choice(corpus.LAST_NAMES)
                username = self._username(first, last, used_names)
                display = f"{first} {last}" if rng.random() < 0.8 else f"{first} {last[0]}."
            used_names.add(username)
            org = self.company if role in COMPANY_STAFF_ROLES else None
            if role == Member.Role.PARTNER:
                org = self.partners[index % len(self.partners)]
            members.append(
                Member(
                    username=username,
                    email=f"{username}@{DEMO_EMAIL_DOMAIN}",
                    password=password_hash,
                    role=role,
                    first_name=first,
                    last_name=last,
                    display_name=display,
                    organization=org,
                    is_staff=role == Member.Role.ADMIN,
                    is_superuser=role == Member.Role.ADMIN,
                    date_joined=self.start - timedelta(days=rng.uniform(1, 3 * DAYS)),
                )
            )
        self._bulk(Member, members, "Members")
        self.members = members
        self.by_username = {m.username: m for m in members}
        self.summary.members = len(members)

        # Who is who, and how active: activity is heavy-tailed (a few write a lot).
        self.customers = [m for m in members if m.role == Member.Role.CUSTOMER]
        self.staff = [m for m in members if m.role in COMPANY_STAFF_ROLES]
        self.support = [m for m in members if m.role == Member.Role.STAFF]
        self.partner_members = [m for m in members if m.role == Member.Role.PARTNER]
        # Capped so that no single account writes a tenth of the community.
        self.activity = {m.pk: min(150.0, rng.paretovariate(1.16)) for m in members}
        for username in ("customer", "staff"):
            if username in self.by_username and username in self.summary.logins:
                self.activity[self.by_username[username].pk] = 25.0
        self.active_customers = _Picker(
            self.customers, [self.activity[m.pk] for m in self.customers]
        )
        self.active_staff = _Picker(self.support, [self.activity[m.pk] for m in self.support])
        # Helpful customers: those who answer questions, weighted by activity squared.
        self.experts = _Picker(self.customers, [self.activity[m.pk] ** 2 for m in self.customers])
        self.anyone = _Picker(members, [self.activity[m.pk] for m in members])
        self.owned: dict[str, _Picker] = {}
        self.owns: dict[int, list[str]] = {m.pk: [] for m in self.customers}
        for spec in corpus.PRODUCTS:
            owners = [m for m in self.customers if rng.random() < spec.ownership]
            for owner in owners:
                self.owns[owner.pk].append(spec.slug)
            self.owned[spec.slug] = _Picker(owners, [self.activity[m.pk] for m in owners])
        self._profiles()

    def _username(self, first: str, last: str, used: set[str]) -> str:
        rng = self.rng
        base_last = slugify(last).replace("-", "")
        styles = (
            f"{first}.{base_last}",
            f"{first}{base_last[0]}",
            f"{first}_{base_last}",
            f"{first}{rng.randint(1, 99)}",
            f"{first[0]}{base_last}",
        )
        name = rng.choice(styles).lower()
        candidate = name
        while candidate in used:
            candidate = f"{name}{rng.randint(2, 999)}"
        return candidate

    def _profiles(self) -> None:
        rng = self.rng
        topics = [self.topic(name) for name in corpus.TOPICS]
        product_topics = {spec.slug: self.topic(spec.name) for spec in corpus.PRODUCTS}
        profiles = []
        chosen_topics: list[tuple[list[Topic], list[Topic]]] = []
        expertise_rows = []
        interest_rows = []
        expertise_through = Profile.expertise.through
        interests_through = Profile.interests.through
        for member in self.members:
            city = rng.choice(corpus.CITIES)
            if member.is_company_staff:
                headline = rng.choice(corpus.HEADLINES_STAFF)
            elif member.role == Member.Role.PARTNER:
                assert member.organization is not None
                headline = rng.choice(corpus.HEADLINES_PARTNER).format(
                    partner=member.organization.name
                )
                city = member.organization.location
            else:
                headline = rng.choice(corpus.HEADLINES_CUSTOMER).format(city=city.split(",")[0])
            profiles.append(
                Profile(
                    member=member, headline=headline, location=city, bio=rng.choice(corpus.BIOS)
                )
            )
            member_interests = rng.sample(topics, rng.randint(1, 4))
            member_interests += [product_topics[s] for s in self.owns.get(member.pk, [])[:2]]
            expert_count = 0
            if member.is_company_staff or member.role == Member.Role.PARTNER:
                expert_count = rng.randint(1, 3)
            elif self.activity[member.pk] > 4:
                expert_count = rng.randint(1, 2)
            member_expertise = rng.sample(topics, expert_count)
            chosen_topics.append((member_expertise, member_interests))
        self._bulk(Profile, profiles, "Profiles")
        for profile, (member_expertise, member_interests) in zip(
            profiles, chosen_topics, strict=True
        ):
            for topic in member_expertise:
                expertise_rows.append(expertise_through(profile_id=profile.pk, topic_id=topic.pk))
            for topic in dict.fromkeys(member_interests):
                interest_rows.append(interests_through(profile_id=profile.pk, topic_id=topic.pk))
        self._bulk(expertise_through, expertise_rows, "Expertise")
        self._bulk(interests_through, interest_rows, "Interests")

    # --- Spaces and the social graph ---------------------------------------------------------

    def _spaces(self) -> None:
        spaces = [
            Space(
                slug=slug,
                name=name,
                kind=kind,
                visibility=visibility,
                product=self.products[product] if product else None,
                description=description,
                position=position,
            )
            for position, (slug, name, kind, visibility, product, description) in enumerate(SPACES)
        ]
        Space.objects.bulk_create(spaces)
        self.spaces = {space.slug: space for space in spaces}
        self.product_space = {s.product.slug: s for s in spaces if s.product is not None}
        rng = self.rng
        follows = []
        for member in self.members:
            chosen: list[Space] = []
            for slug in self.owns.get(member.pk, []):
                if slug in self.product_space and rng.random() < 0.45:
                    chosen.append(self.product_space[slug])
            for slug, chance in (("general", 0.3), ("help", 0.2), ("ideas", 0.15)):
                if rng.random() < chance:
                    chosen.append(self.spaces[slug])
            if member.is_company_staff:
                chosen += [self.spaces["staff-room"], self.spaces["help"]]
            if member.role == Member.Role.PARTNER:
                chosen.append(self.spaces["partner-lounge"])
            follows += [SpaceFollow(member=member, space=s) for s in dict.fromkeys(chosen)]
        self._bulk(SpaceFollow, follows, "Space follows")

    def _graph(self) -> None:
        """Follows by preferential attachment, so a few members are followed by hundreds."""
        rng = self.rng
        members = self.members
        index = {m.pk: i for i, m in enumerate(members)}
        # Each member starts with a fitness (staff and very active posters are easy to find);
        # every follow they get adds to their chance of the next one.
        pool: list[int] = []
        for i, member in enumerate(members):
            fitness = 1 + int(self.activity[member.pk])
            if member.is_company_staff:
                fitness += 10
            pool += [i] * fitness
        order = list(range(len(members)))
        rng.shuffle(order)
        seen: set[tuple[int, int]] = set()
        rows: list[Connection] = []
        for i in order:
            wanted = min(len(members) - 1, 1 + int(rng.paretovariate(1.3) * 3))
            for _ in range(wanted * 3):
                if wanted == 0:
                    break
                j = pool[rng.randrange(len(pool))]
                if j == i or (i, j) in seen:
                    continue
                seen.add((i, j))
                pool.append(j)
                wanted -= 1
                rows.append(
                    Connection(
                        from_member=members[i],
                        to_member=members[j],
                        kind=Connection.Kind.FOLLOW,
                        created_at=self.time_in_month(rng.randrange(corpus.MONTHS)),
                    )
                )
        self.summary.follows = len(rows)
        # Mutual connections: the active connect more, with anyone.
        pairs: set[frozenset[int]] = set()
        active = _Picker(list(range(len(members))), [self.activity[m.pk] for m in members])
        for _ in range(int(len(members) * 1.2)):
            a, b = active(rng), rng.randrange(len(members))
            if a == b or frozenset((a, b)) in pairs:
                continue
            pairs.add(frozenset((a, b)))
            created = self.time_in_month(rng.randrange(corpus.MONTHS))
            roll = rng.random()
            status = (
                Connection.Status.ACCEPTED
                if roll < 0.8
                else Connection.Status.PENDING
                if roll < 0.95
                else Connection.Status.DECLINED
            )
            responded = None
            if status != Connection.Status.PENDING:
                responded = min(self.now, created + timedelta(hours=rng.uniform(1, 96)))
            rows.append(
                Connection(
                    from_member=members[a],
                    to_member=members[b],
                    kind=Connection.Kind.CONNECT,
                    status=status,
                    created_at=created,
                    responded_at=responded,
                )
            )
            self.summary.connections += 1
        # Trust: a few customers vouch for the experts who helped them.
        trusted: set[tuple[int, int]] = set()
        for _ in range(max(5, len(members) // 12)):
            a, b = rng.randrange(len(members)), index[self.experts(rng).pk]
            if a == b or (a, b) in trusted:
                continue
            trusted.add((a, b))
            rows.append(
                Connection(
                    from_member=members[a],
                    to_member=members[b],
                    kind=Connection.Kind.TRUST,
                    created_at=self.time_in_month(rng.randrange(corpus.MONTHS)),
                )
            )
        self._bulk(Connection, rows, "Connections")

    # --- Text ----------------------------------------------------------------------------------

    def slots(self, product: str | None = None, **extra: str) -> dict[str, str]:
        rng = self.rng
        spec = self.product_specs[product or rng.choice(list(self.product_specs))]
        values = {
            "product": spec.name,
            "short": spec.short,
            "short_noun": spec.short.removeprefix("the "),
            "competitor": rng.choice(corpus.COMPETITORS),
            "city": rng.choice(corpus.CITIES).split(",")[0],
            "partner": rng.choice(self.installers).name,
            "room": rng.choice(corpus.ROOMS),
            "device": rng.choice(corpus.DEVICES),
            "price": rng.choice(("€7.99", "£6.99", "$8.99")),
            "days": str(rng.randint(9, 16)),
            "n": str(rng.randint(2, 6)),
            "name": "there",
            "staff": "the team",
            "mention": "",
            "problem": "a problem",
            "issue": "thermostat Wi-Fi drops",
        }
        values.update(extra)
        return values

    def customer_voice(self, parts: Iterable[str], slots: dict[str, str], mood: int = 0) -> str:
        """Join sentences the way people type: casing, typos and emoji, now and then."""
        rng = self.rng
        parts = [p for p in parts if p]
        text = ""
        for part in parts:
            # "Hi all," on a line of its own; otherwise sentences run on, or break a paragraph.
            if text[-1:].isalnum() and part[:1].isupper():
                text += "."
            if not text:
                text = part
            elif text.endswith((",", ":")) or rng.random() < 0.2:
                text += "\n\n" + part
            else:
                text += " " + part
        text = text.format_map(slots)
        if rng.random() < 0.1:
            text = self._typo(text)
        if rng.random() < 0.05:
            text = text.lower()
        if mood < 0 and rng.random() < 0.08 and text.endswith("."):
            text = text.rstrip(".") + "!!"
        if mood < 0 and rng.random() < 0.15:
            text += " " + rng.choice(corpus.EMOJI_UNHAPPY)
        elif mood > 0 and rng.random() < 0.2:
            text += " " + rng.choice(corpus.EMOJI_HAPPY)
        return text.strip()

    def _typo(self, text: str) -> str:
        words = [w for w in corpus.TYPOS if re.search(rf"\b{w}\b", text)]
        if not words:
            return text
        word = self.rng.choice(words)
        return re.sub(rf"\b{word}\b", corpus.TYPOS[word], text, count=1)

    def staff_voice(
        self,
        staff: Member,
        body: str,
        slots: dict[str, str],
        extra: bool,
        to: Member | None = None,
    ) -> str:
        rng = self.rng
        own = dict(slots, staff=_first_name(staff))
        if to is not None:
            own["name"] = self.refer_to(to)
        parts = [body]
        if "{name}" not in body:
            parts.insert(0, rng.choice(corpus.STAFF_GREETINGS))
        if extra and rng.random() < 0.5:
            parts.append(rng.choice(corpus.STAFF_ANSWER_EXTRA))
        parts.append(rng.choice(corpus.STAFF_SIGNOFFS))
        return "\n\n".join(parts).format_map(own)

    def refer_to(self, member: Member) -> str:
        """How people name someone in a post: by @username (a mention) or first name."""
        if self.rng.random() < 0.45:
            return f"@{member.username}"
        return _first_name(member)

    # --- Threads ---------------------------------------------------------------------------------

    def new_thread(
        self,
        space: str,
        kind: str,
        title: str,
        author: Member,
        when: datetime,
        body: str,
        *,
        tags: Iterable[str] = (),
    ) -> _ThreadDraft:
        thread = Thread(
            space=self.spaces[space],
            title=title[:200],
            kind=kind,
            author=author,
            created_at=when,
            last_activity_at=when,
        )
        draft = _ThreadDraft(thread, [], {}, [self.topic(t) for t in dict.fromkeys(tags)])
        self._add_post(draft, author, body, None, when)
        self.drafts.append(draft)
        return draft

    def _add_post(
        self, draft: _ThreadDraft, author: Member, body: str, parent: int | None, when: datetime
    ) -> int:
        post = Post(
            thread=draft.thread,
            parent=draft.posts[parent] if parent is not None else None,
            author=author,
            source=self.source,
            body_md=body,
            body_html="",
            is_staff_reply=author.is_company_staff,
            created_at=when,
        )
        draft.posts.append(post)
        index = len(draft.posts) - 1
        draft.depth[index] = 0 if parent is None else draft.depth[parent] + 1
        self.post_count += 1
        return index

    def reply(
        self,
        draft: _ThreadDraft,
        author: Member,
        body: str,
        *,
        parent: int | None = None,
        minutes: float | None = None,
    ) -> int | None:
        """Add a reply after the thread's last post; None when it would fall in the future."""
        rng = self.rng
        if minutes is None:
            median = 240 if author.is_company_staff else 100
            minutes = math.exp(rng.gauss(math.log(median), 1.2))
        when = draft.posts[-1].created_at + timedelta(minutes=max(2.0, minutes))
        if when >= self.now:
            return None
        if parent is None:
            if rng.random() < 0.55 or len(draft.posts) == 1:
                parent = 0
            else:
                recent = [i for i in range(len(draft.posts))[-3:] if draft.depth[i] < MAX_DEPTH]
                parent = rng.choice(recent) if recent else 0
        if draft.depth[parent] >= MAX_DEPTH:
            parent = 0
        addressed = draft.posts[parent].author
        if (
            parent > 0
            and isinstance(addressed, Member)
            and addressed.pk != author.pk
            and not body.startswith(("@", "Hi", "Hello", "Hey", "Thanks for"))
            and rng.random() < 0.3
        ):
            body = f"@{addressed.username} {body}"  # answering someone in a busy thread
        return self._add_post(draft, author, body, parent, when)

    def other_customer(self, *avoid: Member, product: str | None = None) -> Member:
        picker = self.owned.get(product or "", self.active_customers) or self.active_customers
        for _ in range(10):
            member: Member = picker(self.rng)
            if member not in avoid:
                return member
        return self.rng.choice(self.customers)

    def pick_staff(self) -> Member:
        if self.rng.random() < 0.08:
            return self.rng.choice(self.staff)
        member: Member = self.active_staff(self.rng)
        return member

    # --- The year of conversations ---------------------------------------------------------------

    def _conversations(self, post_target: int) -> None:
        rng = self.rng
        self.turnarounds: list[tuple[datetime, Member, corpus.Issue, Member]] = []
        self._ideas(max(6, post_target // 150))
        self._announcements()
        months = list(range(corpus.MONTHS))
        kinds = list(THREAD_MIX) + [issue.key for issue in corpus.ISSUES]
        issues = {issue.key: issue for issue in corpus.ISSUES}
        per_month = []
        month_weight = []
        for m in months:
            weights = list(THREAD_MIX.values()) + [ISSUE_SCALE * i.curve[m] for i in corpus.ISSUES]
            per_month.append(_Picker(kinds, weights))
            month_weight.append((0.7 + 0.06 * m) * sum(weights))
        month_picker = _Picker(months, month_weight)
        makers: dict[str, Callable[[datetime], None]] = {
            "question": self._question,
            "praise": self._praise,
            "intent": self._intent,
            "compare": self._compare,
            "discussion": self._discussion,
            "review": self._review,
            "staff_room": self._staff_room,
            "partner_lounge": self._partner_lounge,
        }
        with self._bar(post_target, "Conversations") as bar:
            while self.post_count < post_target:
                before = self.post_count
                month = month_picker(rng)
                kind = per_month[month](rng)
                when = self.time_in_month(month)
                if kind in issues:
                    self._issue(issues[kind], when)
                else:
                    makers[kind](when)
                while self.turnarounds and self.turnarounds[0][0] <= when:
                    self._turnaround(*self.turnarounds.pop(0))
                bar.update(self.post_count - before)

    def _issue(self, issue: corpus.Issue, when: datetime) -> None:
        rng = self.rng
        month = self.month_of(when)
        op = self.other_customer(product=issue.product)
        slots = self.slots(issue.product, name=_first_name(op))
        fixed = issue.fix_month is not None and month >= issue.fix_month
        parts = [rng.choice(corpus.OPENERS), rng.choice(issue.statements)]
        parts += rng.sample(issue.details, min(len(issue.details), rng.randint(1, 2)))
        if rng.random() < 0.18:
            parts.append(rng.choice(corpus.THREATS))
        if rng.random() < 0.05:
            parts.append(rng.choice(corpus.SARCASM))
        parts.append(rng.choice(corpus.CLOSERS))
        body = self.customer_voice(parts, slots, mood=-1)
        as_question = rng.random() < 0.3
        space = "help" if as_question else self._forum_for(issue.product)
        kind = Thread.Kind.QUESTION if as_question else Thread.Kind.DISCUSSION
        title = rng.choice(issue.titles).format_map(slots)
        tags = [*ISSUE_TAGS.get(issue.key, ()), self.product_specs[issue.product].name]
        draft = self.new_thread(space, kind, title, op, when, body, tags=tags)
        # Others chime in; the louder the issue that month, the more "me too".
        for _ in range(min(12, int(rng.expovariate(1 / (1.5 + 2 * issue.curve[month]))))):
            member = self.other_customer(op)
            text = self.customer_voice(
                [rng.choice(issue.me_too)], self.slots(issue.product), mood=-1
            )
            self.reply(draft, member, text)
        if rng.random() < 0.82:
            staff = self.pick_staff()
            answers = issue.staff_fixed if fixed and issue.staff_fixed else issue.staff_replies
            body = self.staff_voice(staff, rng.choice(answers), slots, extra=True, to=op)
            answer = self.reply(draft, staff, body, parent=0)
            if answer is None:
                return
            if as_question and rng.random() < 0.75:
                draft.accepted = answer
            if issue.resolved and rng.random() < (0.7 if fixed else 0.45):
                text = self.customer_voice(
                    [rng.choice(issue.resolved)],
                    dict(slots, staff=self.refer_to(staff)),
                    mood=1,
                )
                if self.reply(draft, op, text, parent=answer) is not None and rng.random() < 0.4:
                    later = draft.posts[-1].created_at + timedelta(days=rng.uniform(10, 60))
                    if later < self.now:
                        self.turnarounds.append((later, op, issue, staff))
                        self.turnarounds.sort(key=lambda item: item[0])
            elif rng.random() < 0.5:
                text = self.customer_voice(
                    ["Still happening for me.", rng.choice(corpus.THREATS)], slots, mood=-1
                )
                self.reply(draft, op, text, parent=answer)

    def _forum_for(self, product: str) -> str:
        space = self.product_space.get(product)
        return space.slug if space is not None else "general"

    def _question(self, when: datetime) -> None:
        rng = self.rng
        title, body, answer, product = rng.choice(corpus.QUESTIONS)
        op = self.other_customer(product=product)
        slots = self.slots(product, name=_first_name(op))
        text = self.customer_voice(
            [rng.choice(corpus.OPENERS), body, rng.choice(corpus.CLOSERS)], slots
        )
        tags = [PRODUCT_TAGS[product], self.product_specs[product].name, "Setup"]
        draft = self.new_thread("help", Thread.Kind.QUESTION, title, op, when, text, tags=tags)
        answers: list[int] = []
        for _ in range(rng.randint(0, 2)):
            index = self.reply(draft, self.other_customer(op), rng.choice(corpus.ALT_ANSWERS))
            if index is not None:
                answers.append(index)
        if rng.random() < 0.5:
            helper = self.pick_staff()
            body = self.staff_voice(helper, answer, slots, extra=True, to=op)
        else:
            helper = self.experts(rng)
            if helper == op:
                helper = self.other_customer(op)
            body = self.customer_voice([answer], slots)
        best = self.reply(draft, helper, body, parent=0)
        if best is None:
            return
        if rng.random() < 0.7:
            draft.accepted = best
            thanks = rng.choice(corpus.QUESTION_FOLLOWUPS)
            self.reply(
                draft,
                op,
                thanks.format_map(dict(slots, mention=self.refer_to(helper))),
                parent=best,
            )

    def _praise(self, when: datetime) -> None:
        rng = self.rng
        product = rng.choice([p for p in corpus.PRAISE if self.owned.get(p)])
        op = self.other_customer(product=product)
        slots = self.slots(product)
        parts = [rng.choice(corpus.PRAISE[product])]
        if rng.random() < 0.5:
            parts.append(rng.choice(corpus.RECOMMEND))
        if rng.random() < 0.2:
            parts.append(rng.choice(corpus.SUPPORT_PRAISE))
        title = rng.choice(corpus.PRAISE_TITLES).format_map(slots)
        body = self.customer_voice(parts, dict(slots, staff=_first_name(self.pick_staff())), mood=1)
        draft = self.new_thread(
            self._forum_for(product),
            Thread.Kind.DISCUSSION,
            title,
            op,
            when,
            body,
            tags=[PRODUCT_TAGS[product]],
        )
        for _ in range(rng.randint(0, 4)):
            self.reply(
                draft,
                self.other_customer(op),
                rng.choice(corpus.PRAISE_REPLIES).format_map(slots),
            )
        if rng.random() < 0.35:
            staff = self.pick_staff()
            self.reply(
                draft,
                staff,
                self.staff_voice(staff, rng.choice(corpus.STAFF_THANKS), slots, extra=False, to=op),
                parent=0,
            )

    def _intent(self, when: datetime) -> None:
        rng = self.rng
        product = rng.choice(list(self.product_specs))
        op = rng.choice(self.customers)
        slots = self.slots(product)
        title = rng.choice(corpus.INTENT_TITLES).format_map(slots)
        body = self.customer_voice([rng.choice(corpus.OPENERS), rng.choice(corpus.INTENT)], slots)
        space = "help" if rng.random() < 0.3 else "general"
        kind = Thread.Kind.QUESTION if space == "help" else Thread.Kind.DISCUSSION
        draft = self.new_thread(space, kind, title, op, when, body, tags=[PRODUCT_TAGS[product]])
        for _ in range(rng.randint(1, 5)):
            member = self.other_customer(op)
            parts = [rng.choice(corpus.ANSWER_INTENT)]
            if rng.random() < 0.3:
                parts.append(rng.choice(corpus.RECOMMEND))
            self.reply(draft, member, self.customer_voice(parts, slots, mood=1))
        if rng.random() < 0.4:
            self.reply(
                draft, op, self.customer_voice(["Thanks all, just ordered it!"], slots, mood=1)
            )

    def _compare(self, when: datetime) -> None:
        rng = self.rng
        product = rng.choice(["lumen-hub", "lumen-thermostat", "lumen-doorbell", "lumen-app"])
        op = self.other_customer(product=product)
        slots = self.slots(product)
        title = rng.choice(corpus.COMPARE_TITLES).format_map(slots)
        body = self.customer_voice([rng.choice(corpus.COMPARE), rng.choice(corpus.CLOSERS)], slots)
        draft = self.new_thread(
            "general", Thread.Kind.DISCUSSION, title, op, when, body, tags=[PRODUCT_TAGS[product]]
        )
        for _ in range(rng.randint(1, 6)):
            member = self.other_customer(op)
            options = [*corpus.ANSWER_INTENT, *corpus.COMPARE, *corpus.RECOMMEND]
            self.reply(
                draft, member, self.customer_voice([rng.choice(options)], self.slots(product))
            )

    def _discussion(self, when: datetime) -> None:
        rng = self.rng
        op = self.other_customer()
        slots = self.slots("lumen-hub")
        title = rng.choice(corpus.DISCUSSION_TITLES)
        body = self.customer_voice([rng.choice(corpus.DISCUSSION)], slots, mood=1)
        draft = self.new_thread(
            "general", Thread.Kind.DISCUSSION, title, op, when, body, tags=["Automation", "Scenes"]
        )
        for _ in range(min(20, int(rng.expovariate(1 / 4)))):
            member = self.other_customer(op)
            pool = corpus.DISCUSSION_REPLIES if rng.random() < 0.6 else corpus.DISCUSSION
            self.reply(draft, member, self.customer_voice([rng.choice(pool)], self.slots()))

    def _review(
        self,
        when: datetime,
        member: Member | None = None,
        product: str | None = None,
        stars: int | None = None,
        text: str | None = None,
    ) -> None:
        rng = self.rng
        month = self.month_of(when)
        if product is None:
            product = _Picker(list(self.product_specs), [s.ownership for s in corpus.PRODUCTS])(rng)
        if member is None:
            for _ in range(8):
                member = self.other_customer(product=product)
                if (member.pk, self.products[product].pk) not in self.reviewed:
                    break
            else:
                return
        if (member.pk, self.products[product].pk) in self.reviewed:
            return
        slots = self.slots(product)
        # Only the problems people have that month: no firmware 3.2 complaints before 3.2.
        issues = [i for i in corpus.ISSUES if i.product == product and i.curve[month] > 0]
        pressure = sum(i.curve[month] for i in issues)
        if stars is None:
            if issues and rng.random() < min(0.6, 0.3 * pressure):
                stars = rng.choice((1, 1, 1, 2))
            else:
                stars = _Picker((1, 2, 3, 4, 5), STARS_J)(rng)
        if text is None:
            if stars <= 2:
                if issues and rng.random() < 0.85:
                    issue = _Picker(issues, [i.curve[month] for i in issues])(rng)
                    parts = [rng.choice(issue.statements), rng.choice(issue.details)]
                else:
                    parts = [rng.choice(corpus.REVIEW_NEGATIVE)]
                if rng.random() < 0.35:
                    parts.append(rng.choice(corpus.THREATS))
                text = self.customer_voice(parts, slots, mood=-1)
            elif stars == 3:
                text = self.customer_voice([rng.choice(corpus.REVIEW_MIDDLE)], slots)
            elif stars == 4:
                text = self.customer_voice(
                    [rng.choice(corpus.PRAISE[product]), rng.choice(corpus.REVIEW_FOUR)],
                    slots,
                    mood=1,
                )
            else:
                parts = [rng.choice(corpus.PRAISE[product])]
                if rng.random() < 0.6:
                    parts.append(rng.choice(corpus.RECOMMEND))
                text = self.customer_voice(parts, slots, mood=1)
        title = rng.choice(corpus.REVIEW_TITLES[stars])
        tags = [self.product_specs[product].name]
        draft = self.new_thread("reviews", Thread.Kind.REVIEW, title, member, when, text, tags=tags)
        draft.review = (self.products[product], stars)
        self.reviewed.add((member.pk, self.products[product].pk))
        if stars <= 2 and rng.random() < 0.6:
            staff = self.pick_staff()
            body = self.staff_voice(
                staff,
                rng.choice(corpus.STAFF_REVIEW_REPLIES),
                slots,
                extra=False,
                to=member,
            )
            self.reply(draft, staff, body, parent=0)
        elif stars == 5 and rng.random() < 0.1:
            staff = self.pick_staff()
            self.reply(
                draft,
                staff,
                self.staff_voice(
                    staff,
                    rng.choice(corpus.STAFF_THANKS),
                    slots,
                    extra=False,
                    to=member,
                ),
                parent=0,
            )
        if rng.random() < 0.12:
            self.reply(
                draft,
                self.other_customer(member),
                self.customer_voice(["Agree with this review."], slots),
            )

    def _turnaround(
        self, when: datetime, member: Member, issue: corpus.Issue, staff: Member
    ) -> None:
        rng = self.rng
        slots = self.slots(
            issue.product,
            problem=issue.problem,
            staff=self.refer_to(staff),
        )
        text = self.customer_voice([rng.choice(corpus.TURNAROUND)], slots, mood=1)
        if rng.random() < 0.5 and (member.pk, self.products[issue.product].pk) not in self.reviewed:
            self._review(when, member, issue.product, rng.choice((4, 5, 5)), text)
            return
        title = rng.choice(corpus.TURNAROUND_TITLES).format_map(slots)
        draft = self.new_thread(
            self._forum_for(issue.product),
            Thread.Kind.DISCUSSION,
            title,
            member,
            when,
            text,
            tags=[PRODUCT_TAGS[issue.product]],
        )
        for _ in range(rng.randint(0, 3)):
            self.reply(
                draft,
                self.other_customer(member),
                self.customer_voice([rng.choice(corpus.DISCUSSION_REPLIES)], slots),
            )
        if rng.random() < 0.5:
            self.reply(
                draft,
                staff,
                self.staff_voice(
                    staff,
                    rng.choice(corpus.STAFF_THANKS),
                    slots,
                    extra=False,
                    to=member,
                ),
                parent=0,
            )

    def _staff_room(self, when: datetime) -> None:
        rng = self.rng
        month = self.month_of(when)
        loudest = max(corpus.ISSUES, key=lambda i: i.curve[month] * rng.uniform(0.7, 1.3))
        slots = self.slots(loudest.product, issue=loudest.label.lower())
        title, body, replies = rng.choice(corpus.STAFF_ROOM)
        draft = self.new_thread(
            "staff-room",
            Thread.Kind.DISCUSSION,
            title.format_map(slots),
            rng.choice(self.staff),
            when,
            body.format_map(slots),
        )
        for text in rng.sample(replies, rng.randint(1, len(replies))):
            self.reply(draft, rng.choice(self.staff), text.format_map(slots))

    def _partner_lounge(self, when: datetime) -> None:
        rng = self.rng
        title, body, replies = rng.choice(corpus.PARTNER_LOUNGE)
        slots = self.slots()
        draft = self.new_thread(
            "partner-lounge",
            Thread.Kind.DISCUSSION,
            title,
            rng.choice(self.partner_members),
            when,
            body.format_map(slots),
        )
        for text in replies:
            author = rng.choice(self.staff if rng.random() < 0.6 else self.partner_members)
            self.reply(draft, author, text.format_map(slots))

    def _announcements(self) -> None:
        """Pinned staff posts that date the planted events (firmware 3.2, the price rise)."""
        rng = self.rng
        for month, space, title, body, replies in corpus.ANNOUNCEMENTS:
            staff = self.pick_staff()
            when = self.start + MONTH * (month + rng.uniform(0.02, 0.12))
            slots = self.slots()
            signoff = rng.choice(corpus.STAFF_SIGNOFFS).format(staff=_first_name(staff))
            text = f"{body.format_map(slots)}\n\n{signoff}"
            draft = self.new_thread(space, Thread.Kind.ARTICLE, title, staff, when, text)
            draft.thread.is_pinned = True
            for reply in replies:
                self.reply(draft, self.other_customer(), self.customer_voice([reply], slots))

    def _ideas(self, count: int) -> None:
        rng = self.rng
        self.idea_rows: list[
            tuple[_ThreadDraft, str, list[tuple[str, Member, datetime, str]], int]
        ] = []
        variants = (
            "{title}",
            "{title} please",
            "Any plans for {lower}?",
            "{title}?",
            "Request: {lower}",
        )
        for number in range(count):
            title, product, body = corpus.IDEAS[number % len(corpus.IDEAS)]
            if number >= len(corpus.IDEAS):
                title = rng.choice(variants).format(title=title, lower=title[0].lower() + title[1:])
            when = self.time_in_month(rng.randrange(corpus.MONTHS - 1))
            op = self.other_customer()
            slots = self.slots(product)
            draft = self.new_thread(
                "ideas",
                Thread.Kind.IDEA,
                title,
                op,
                when,
                self.customer_voice([body], slots),
                tags=[PRODUCT_TAGS[product]],
            )
            for _ in range(min(10, int(rng.expovariate(1 / 2.5)))):
                self.reply(
                    draft,
                    self.other_customer(op),
                    self.customer_voice([rng.choice(corpus.IDEA_COMMENTS)], slots),
                )
            # Heavy-tailed votes: most ideas get a handful, a few get hundreds.
            votes = min(int(len(self.members) * 0.4), int(rng.paretovariate(1.25) * 4))
            roll = rng.random()
            if votes > 60:
                status = rng.choice(("planned", "in_progress", "done", "under_review", "declined"))
            elif roll < 0.7:
                status = "new"
            else:
                status = rng.choice(("under_review", "declined", "planned", "done"))
            changes: list[tuple[str, Member, datetime, str]] = []
            moment = draft.posts[-1].created_at
            for step in STATUS_PATHS.get(status, ()):
                moment = moment + timedelta(days=rng.uniform(3, 30))
                if moment >= self.now:
                    break
                staff = self.pick_staff()
                explanation = rng.choice(corpus.IDEA_STATUS_EXPLANATIONS[step])
                changes.append((step, staff, moment, explanation))
            if changes:
                step, staff, moment, explanation = changes[-1]
                if moment > draft.posts[-1].created_at:
                    body = self.staff_voice(
                        staff,
                        f"**Status: {Idea.Status(step).label}.** {explanation}",
                        slots,
                        extra=False,
                        to=op,
                    )
                    self.reply(
                        draft,
                        staff,
                        body,
                        parent=0,
                        minutes=(moment - draft.posts[-1].created_at).total_seconds() / 60,
                    )
            self.idea_rows.append((draft, product, changes, votes))

    # --- Writing -----------------------------------------------------------------------------

    def _write_conversations(self) -> None:
        drafts = sorted(self.drafts, key=lambda d: d.thread.created_at)
        threads = []
        for draft in drafts:
            draft.thread.reply_count = len(draft.posts) - 1
            draft.thread.last_activity_at = draft.posts[-1].created_at
            threads.append(draft.thread)
        self._bulk(Thread, threads, "Threads")
        tag_through = Thread.tags.through
        tag_rows = [
            tag_through(thread_id=d.thread.pk, topic_id=topic.pk)
            for d in drafts
            for topic in d.tags
        ]
        self._bulk(tag_through, tag_rows, "Thread tags")
        # Posts go in by depth, so that every parent has its id before its replies are written.
        by_depth: dict[int, list[Post]] = {}
        self.all_posts: list[Post] = []
        for draft in drafts:
            for index, post in enumerate(draft.posts):
                by_depth.setdefault(draft.depth[index], []).append(post)
        with self._bar(sum(len(d.posts) for d in drafts), "Posts") as bar:
            for depth in sorted(by_depth):
                posts = by_depth[depth]
                for post in posts:
                    post.body_html = render_markdown(post.body_md)
                for batch in _batched(posts):
                    Post.objects.bulk_create(batch)
                    bar.update(len(batch))
                self.all_posts += posts
        self.summary.threads, self.summary.posts = len(threads), len(self.all_posts)
        accepted = []
        for draft in drafts:
            if draft.accepted is not None:
                draft.thread.accepted_answer = draft.posts[draft.accepted]
                accepted.append(draft.thread)
        Thread.objects.bulk_update(accepted, ["accepted_answer"], batch_size=BATCH_SIZE)
        self._mentions()
        self._write_reviews(drafts)
        self._write_ideas()

    def _mentions(self) -> None:
        rows = []
        for post in self.all_posts:
            for match in MENTION_RE.finditer(post.body_md):
                member = self.by_username.get(match.group(1).rstrip("."))
                if member is not None and member.pk != post.author_id:
                    rows.append(Mention(post=post, member=member, created_at=post.created_at))
        unique = {(m.post.pk, m.member.pk): m for m in rows}
        self._bulk(Mention, list(unique.values()), "Mentions")
        self.summary.mentions = len(unique)

    def _write_reviews(self, drafts: list[_ThreadDraft]) -> None:
        self.reviews: dict[int, Review] = {}  # root post id -> review
        rows = []
        for draft in drafts:
            if draft.review is None:
                continue
            product, stars = draft.review
            row = Review(
                thread=draft.thread,
                author=draft.op,
                product=product,
                stars=stars,
                created_at=draft.thread.created_at,
            )
            rows.append(row)
            self.reviews[draft.posts[0].pk] = row
        self._bulk(Review, rows, "Reviews")
        self.summary.reviews = len(rows)

    def _write_ideas(self) -> None:
        rng = self.rng
        ideas = []
        for draft, product, changes, _votes in self.idea_rows:
            status = changes[-1][0] if changes else Idea.Status.NEW
            ideas.append(
                Idea(
                    thread=draft.thread,
                    product=self.products[product],
                    status=status,
                    status_changed_at=changes[-1][2] if changes else None,
                )
            )
        votes: list[IdeaVote] = []
        history: list[IdeaStatusChange] = []
        for idea, (draft, _product, changes, vote_target) in zip(
            ideas, self.idea_rows, strict=True
        ):
            voters = self.sample_members(vote_target, avoid=draft.op)
            start = draft.thread.created_at
            span = (self.now - start).total_seconds()
            for voter in voters:
                # Votes come early: most within the first weeks after the idea is posted.
                delay = min(span * 0.999, rng.expovariate(1 / (14 * 86400)))
                votes.append(
                    IdeaVote(idea=idea, member=voter, created_at=start + timedelta(seconds=delay))
                )
            idea.vote_count = len(voters)
            previous: str = Idea.Status.NEW
            for step, staff, moment, explanation in changes:
                history.append(
                    IdeaStatusChange(
                        idea=idea,
                        from_status=previous,
                        to_status=step,
                        explanation=explanation,
                        changed_by=staff,
                        created_at=moment,
                    )
                )
                previous = step
        self._bulk(Idea, ideas, "Ideas")
        self._bulk(IdeaVote, votes, "Idea votes")
        self._bulk(IdeaStatusChange, history, "Idea statuses")
        self.ideas = ideas
        self.summary.ideas, self.summary.votes = len(ideas), len(votes)

    def _reactions(self) -> None:
        """Likes and helpful marks, heavy-tailed; post scores and review counts follow them."""
        rng = self.rng
        rows: list[Reaction] = []
        accepted = {d.posts[d.accepted].pk for d in self.drafts if d.accepted is not None}
        for post in self.all_posts:
            review = self.reviews.get(post.pk)
            useful = post.pk in accepted or review is not None
            boost = (3.0 if useful else 1.0) * (1.5 if post.is_staff_reply else 1.0)
            count = min(60, int((rng.paretovariate(1.6) - 1) * boost))
            if count == 0:
                continue
            kind = Reaction.Kind.HELPFUL if useful else Reaction.Kind.LIKE
            span = max(60.0, (self.now - post.created_at).total_seconds())
            visibility = post.thread.space.visibility
            for member in self.sample_members(count, avoid=post.author):
                if visibility == Space.Visibility.STAFF and not member.is_company_staff:
                    continue
                if visibility == Space.Visibility.PARTNERS and not (
                    member.is_company_staff or member.role == Member.Role.PARTNER
                ):
                    continue
                delay = min(span * 0.99, rng.expovariate(1 / 86400))
                rows.append(
                    Reaction(
                        post=post,
                        member=member,
                        kind=kind,
                        created_at=post.created_at + timedelta(seconds=delay),
                    )
                )
                post.score += 1
                if review is not None:
                    review.helpful_count += 1
        self._bulk(Reaction, rows, "Reactions")
        self.summary.reactions = len(rows)
        scored = [p for p in self.all_posts if p.score]
        Post.objects.bulk_update(scored, ["score"], batch_size=BATCH_SIZE)
        helped = [r for r in self.reviews.values() if r.helpful_count]
        Review.objects.bulk_update(helped, ["helpful_count"], batch_size=BATCH_SIZE)

    def sample_members(self, count: int, *, avoid: object = None) -> list[Member]:
        """`count` distinct members, the more active more likely."""
        rng = self.rng
        if count <= 0:
            return []
        if count * 4 < len(self.members):
            chosen: dict[int, Member] = {}
            for _ in range(count * 8):
                member: Member = self.anyone(rng)
                if member is not avoid and member.pk not in chosen:
                    chosen[member.pk] = member
                    if len(chosen) == count:
                        break
            return list(chosen.values())
        # Many voters: weighted sampling without replacement (Efraimidis-Spirakis keys).
        keyed = sorted(
            (m for m in self.members if m is not avoid),
            key=lambda m: rng.random() ** (1 / self.activity[m.pk]),
            reverse=True,
        )
        return keyed[:count]

    def _notifications(self) -> None:
        """A few unread notifications, so the demo logins have something in their inbox."""
        rows = []
        for draft in self.drafts:
            op = draft.op
            for post in draft.posts[1:]:
                author = post.author
                assert isinstance(author, Member)
                if author.pk == op.pk or post.created_at < self.now - timedelta(days=45):
                    continue
                if op.username not in self.summary.logins and self.rng.random() > 0.02:
                    continue
                kind = (
                    Notification.Kind.STAFF_REPLY
                    if post.is_staff_reply
                    else Notification.Kind.REPLY
                )
                replied = reply_sentence(author.name, draft.thread.title)
                rows.append(
                    Notification(
                        recipient=op,
                        kind=kind,
                        actor=author,
                        thread=draft.thread,
                        post=post,
                        text=replied.as_record(),
                        sentence=replied.to_json(),
                        dedupe_key=f"demo:{kind}:{post.pk}",
                        created_at=post.created_at,
                    )
                )
        self._bulk(Notification, rows, "Notifications")
        self.summary.notifications = len(rows)

    def _search_index(self) -> None:
        with self._bar(len(self.all_posts) + len(self.members), "Search index") as bar:
            for batch in _batched(self.all_posts, 2000):
                bulk_index_posts(batch)
                bar.update(len(batch))
            members = (
                Member.objects.filter(pk__in=[m.pk for m in self.members])
                .select_related("profile")
                .prefetch_related("profile__expertise", "profile__interests")
            )
            bulk_index_members(members)
            bar.update(len(self.members))
