"""Who sees which request, and what of it.

A customer sees their own requests whole. A vendor (an organization of kind vendor or partner,
acting through its member accounts) sees only the requests matched to it, and only while the
customer has not withdrawn or deleted them: the filter is in every query, so a withdrawal
hides a request from every inbox at once. What a vendor sees is `VendorView`: the pseudonym
and the fields the customer chose to disclose; the customer's name only once the vendor's
offer is accepted.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext

from cluetrain.core.access import not_found
from cluetrain.core.sentences import stored_in_words
from cluetrain.intents.models import Deal, Intent, Match, Offer
from cluetrain.members.models import Member
from cluetrain.organizations.models import Organization

VENDOR_KINDS = (Organization.Kind.VENDOR, Organization.Kind.PARTNER)
#: Statuses in which a matched vendor still sees a request (withdrawn ones vanish).
VENDOR_VISIBLE = (Intent.Status.OPEN, Intent.Status.PAUSED, Intent.Status.CLOSED)


def vendor_of(member: Member) -> Organization | None:
    """The vendor or partner organization `member` acts for, if any."""
    org = member.organization if member.is_active else None
    return org if org is not None and org.kind in VENDOR_KINDS else None


def visible_to_vendor(org: Organization) -> QuerySet[Intent]:
    return Intent.objects.filter(
        matches__organization=org,
        status__in=VENDOR_VISIBLE,
        moderation=Intent.Moderation.PASSED,  # edited into spam: gone until approved again
    )


def vendor_people(org_id: int) -> list[int]:
    """The active members who act for a vendor: they are told of its requests and offers."""
    return list(
        Member.objects.filter(organization_id=org_id, is_active=True).values_list("pk", flat=True)
    )


def notice_key(intent_id: int, what: str, *more: object) -> str:
    """A request's notifications' dedupe key: `intent:<id>:` first, so that withdrawing or
    deleting the request finds and removes them (notices.forget_notices)."""
    return ":".join(["intent", str(intent_id), what, *(str(m) for m in more)])


def access_own_intent(member: Member, intent_id: int) -> Intent:
    intent = Intent.objects.filter(pk=intent_id, customer=member).first()
    if intent is None:
        raise not_found(gettext("No such request."))
    return intent


def access_intent(member: Member, intent_id: int) -> tuple[Intent, Organization | None]:
    """The request and, when `member` sees it as a vendor, the organization they act for."""
    intent = Intent.objects.filter(pk=intent_id).first()
    if intent is not None and intent.customer_id == member.pk:
        return intent, None
    org = vendor_of(member)
    if intent is None or org is None or not visible_to_vendor(org).filter(pk=intent.pk).exists():
        raise not_found(gettext("No such request."))
    return intent, org


def access_own_offer(member: Member, offer_id: int) -> Offer:
    org = vendor_of(member)
    offer = Offer.objects.filter(pk=offer_id).select_related("intent").first()
    if offer is None or org is None or offer.organization_id != org.pk:
        raise not_found(gettext("No such offer."))
    if (
        offer.intent.status not in VENDOR_VISIBLE
        or offer.intent.moderation != Intent.Moderation.PASSED
    ):
        raise not_found(gettext("No such offer."))
    return offer


@dataclass
class VendorView:
    """A request as a vendor sees it: nothing the customer did not choose to show."""

    id: int
    title: str
    description: str
    category: str
    pseudonym: str
    status: str
    open_until: datetime
    created_at: datetime
    place: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    budget_min: Decimal | None = None
    budget_max: Decimal | None = None
    currency: str | None = None
    must_haves: list[str] | None = None
    # Set only for the vendor whose offer the customer accepted.
    customer_name: str | None = None
    customer_username: str | None = None
    disclosed: list[str] = field(default_factory=list)
    score: float | None = None
    reasons: list[str] = field(default_factory=list)  # why it was sent, in the reader's language
    distance_km: float | None = None

    def get_status_display(self) -> str:
        """The status as its label, in the reader's language (the API keeps the code)."""
        return str(Intent.Status(self.status).label)


def vendor_view(intent: Intent, org: Organization | None, match: Match | None = None) -> VendorView:
    """What `org` may see of `intent` (None: an outsider, e.g. a webhook: no identity)."""
    shown = set(intent.disclosed)
    view = VendorView(
        id=intent.pk,
        title=intent.title,
        description=intent.description,
        category=intent.category,
        pseudonym=intent.pseudonym,
        status=intent.status,
        open_until=intent.open_until,
        created_at=intent.created_at,
        disclosed=sorted(shown),
    )
    if "place" in shown:
        view.place = intent.place_name or intent.place
    if "dates" in shown:
        view.starts_on, view.ends_on = intent.starts_on, intent.ends_on
    if "budget" in shown:
        view.budget_min, view.budget_max = intent.budget_min, intent.budget_max
        view.currency = intent.currency
    if "must_haves" in shown:
        view.must_haves = list(intent.must_haves)
    if org is not None and Deal.objects.filter(intent=intent, organization=org).exists():
        customer = intent.customer
        view.customer_name, view.customer_username = customer.name, customer.username
    if match is not None:
        view.score, view.distance_km = match.score, match.distance_km
        view.reasons = [stored_in_words(reason) for reason in match.reasons]
    return view


def notice_intent_id(dedupe_key: str) -> int | None:
    """The request a notification's dedupe key names (`notice_key`), if it names one."""
    parts = dedupe_key.split(":")
    if len(parts) < 3 or parts[0] != "intent" or not parts[1].isdigit():
        return None
    return int(parts[1])
