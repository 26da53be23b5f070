"""What the partner pages and the API read: the directory, inboxes, dashboards."""

from dataclasses import dataclass, field

from django.db.models import Avg, Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When

from cluetrain.members.models import Member
from cluetrain.organizations.models import Offering, Organization
from cluetrain.partners.models import Category, Listing, Provision, Referral
from cluetrain.search.backends import PostHit, search_posts

S = Referral.Status


def directory(category: Category | None = None) -> QuerySet[Listing]:
    """Listed partners by name, with their categories, offerings, areas and reputation; those
    that provide `category` when given."""
    listings = (
        Listing.objects.filter(active=True)
        .select_related("organization", "organization__reputation")
        .prefetch_related(
            "areas",
            Prefetch("provisions", queryset=Provision.objects.select_related("category")),
            Prefetch("organization__offerings", queryset=Offering.objects.order_by("title")),
        )
        .order_by("organization__name")
    )
    if category is not None:
        listings = listings.filter(provisions__category=category)
    return listings


def by_category(
    listings: list[Listing], category: Category | None = None
) -> dict[Category, list[Listing]]:
    """The listings grouped under each category they provide still in use, in the company's
    order of categories; only `category`'s group when given."""
    groups: dict[Category, list[Listing]] = {}
    for listing in listings:
        for provided in listing.shown_categories():
            if category is None or provided == category:
                groups.setdefault(provided, []).append(listing)
    return dict(sorted(groups.items(), key=lambda item: (item[0].position, item[0].name)))


def _referrals() -> QuerySet[Referral]:
    return Referral.objects.select_related(
        "provider", "customer", "referrer", "category", "answered_by"
    )


def inbox(organization: Organization) -> QuerySet[Referral]:
    """Referrals a provider received: pending first, then the newest."""
    pending_first = Case(
        When(status=S.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        _referrals()
        .filter(provider=organization)
        .annotate(pending_first=pending_first)
        .order_by("pending_first", "-created_at", "-pk")
    )


def my_referrals(member: Member) -> QuerySet[Referral]:
    """Referrals for the member as the customer, or sent by them, newest first."""
    return (
        _referrals().filter(Q(customer=member) | Q(referrer=member)).order_by("-created_at", "-pk")
    )


def partner_organization(member: Member) -> Organization | None:
    """The listed (or partner-kind) organization a member speaks for, if any."""
    if member.organization_id is None:
        return None
    return Organization.objects.filter(
        Q(partner_listing__isnull=False)
        | Q(kind__in=[Organization.Kind.PARTNER, Organization.Kind.VENDOR]),
        pk=member.organization_id,
    ).first()


@dataclass
class Dashboard:
    received: int
    by_status: dict[str, int]
    accepted: int
    completed: int
    acceptance: float | None  # accepted (or beyond) / answered
    conversion: float | None  # completed / received
    mean_rating: float | None
    ratings: int
    recent_ratings: list[Referral] = field(default_factory=list)
    conversations: list[PostHit] = field(default_factory=list)


def dashboard(organization: Organization, viewer: Member) -> Dashboard:
    counts = dict(
        Referral.objects.filter(provider=organization)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    received = sum(counts.values())
    accepted = sum(counts.get(s, 0) for s in (S.ACCEPTED, S.COMPLETED, S.NOT_COMPLETED))
    answered = accepted + counts.get(S.DECLINED, 0)
    completed = counts.get(S.COMPLETED, 0)
    rated = Referral.objects.filter(provider=organization, stars__isnull=False)
    summary = rated.aggregate(mean=Avg("stars"), n=Count("pk"))
    return Dashboard(
        received=received,
        by_status={str(label): counts.get(value, 0) for value, label in S.choices},
        accepted=accepted,
        completed=completed,
        acceptance=accepted / answered if answered else None,
        conversion=completed / received if received else None,
        mean_rating=summary["mean"],
        ratings=summary["n"],
        recent_ratings=list(
            _referrals().filter(pk__in=rated.values("pk")).order_by("-rated_at")[:5]
        ),
        conversations=conversations(organization, viewer),
    )


def conversations(organization: Organization, viewer: Member, limit: int = 8) -> list[PostHit]:
    """Recent posts the viewer may read that mention the partner's offerings or its name."""
    terms = [organization.name, *organization.offerings.values_list("title", flat=True)[:10]]
    seen: dict[int, PostHit] = {}
    for term in terms:
        for hit in search_posts(viewer, term, limit=limit).hits:
            if hit.post is not None:
                seen.setdefault(hit.object_id, hit)
    posts = {pk: hit.post for pk, hit in seen.items() if hit.post is not None}
    newest = sorted(posts, key=lambda pk: (posts[pk].created_at, pk), reverse=True)
    return [seen[pk] for pk in newest[:limit]]
