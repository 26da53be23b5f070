"""Personal requests (intentcasting) in the JSON API: requests, offers, private threads, ratings.

A vendor reads a request through the same `vendor_view` as the pages: the pseudonym and the
disclosed fields, the customer's name only after the vendor's offer is accepted.
"""

from dataclasses import asdict, replace
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from pydantic import Field

from cluetrain.api.auth import member
from cluetrain.api.pagination import PageParams, paginate
from cluetrain.api.schemas import Input, MemberRef, Page, member_ref
from cluetrain.core.access import not_found
from cluetrain.core.errors import ActionError
from cluetrain.intents import actions, compare
from cluetrain.intents.access import (
    access_intent,
    access_own_intent,
    access_own_offer,
    vendor_of,
    vendor_view,
)
from cluetrain.intents.models import Intent, IntentMessage, Match, Offer
from cluetrain.intents.queries import inbox_matches, offers_of
from cluetrain.members.models import Member
from cluetrain.organizations.models import Organization

router = Router(tags=["intents"])


class IntentIn(Input):
    title: str = Field(max_length=120, description="what you want, in a line")
    category: str = Field(max_length=100, description="e.g. car rental")
    description: str = Field(default="", max_length=4000)
    place: str = Field(default="", max_length=200, description="a city: 'Boston, MA'")
    starts_on: date | None = None
    ends_on: date | None = None
    budget_min: Decimal | None = Field(default=None, max_digits=12, decimal_places=2)
    budget_max: Decimal | None = Field(default=None, max_digits=12, decimal_places=2)
    currency: str = Field(default="USD", max_length=3)
    must_haves: list[str] = Field(default_factory=list, max_length=10)
    open_days: int = Field(default=14, description="how many days it stays open")
    disclose: list[str] = Field(
        default_factory=list, description="what vendors see: place, dates, budget, must_haves"
    )


class IntentPatch(IntentIn):
    """A partial edit: the fields sent change, the others keep their values."""

    title: str = Field("", max_length=120, description="what you want, in a line")
    category: str = Field("", max_length=100, description="e.g. car rental")


class RequestStatusIn(Input):
    action: str = Field(description="pause, resume or withdraw")


class OfferIn(Input):
    price: Decimal = Field(max_digits=12, decimal_places=2)
    expires_at: datetime
    terms: str = Field(default="", max_length=2000)
    message: str = Field(default="", max_length=2000)


class MessageIn(Input):
    body: str = Field(min_length=1, max_length=2000)
    vendor: str | None = Field(default=None, description="the customer names the vendor (slug)")


class DealRatingIn(Input):
    stars: int
    words: str = Field(default="", max_length=500)


class IntentOut(Schema):
    id: int
    title: str
    description: str
    category: str = Field(description="the category's slug, as other answers name categories")
    category_name: str = Field(description="the category as the customer wrote it")
    status: str
    pseudonym: str
    open_until: datetime
    created_at: datetime
    disclosed: list[str]
    place: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    budget_min: Decimal | None = None
    budget_max: Decimal | None = None
    currency: str | None = None
    must_haves: list[str] | None = None
    # The customer: yourself on your own requests; for a vendor, only once its offer is accepted.
    customer: MemberRef | None = None
    mine: bool = False
    moderation: str | None = Field(
        default=None,
        description="Your own requests only: passed, held (awaiting moderation: no vendor sees "
        "it yet) or rejected (as spam: it goes to no vendor).",
    )
    score: float | None = None
    reasons: list[str] = Field(
        default=[],
        description="A vendor's inbox only: why the request was sent to it, in the language "
        "of the request (Accept-Language).",
    )
    distance_km: float | None = None


class VendorRef(Schema):
    slug: str
    name: str


class VendorReputationOut(Schema):
    percent: int
    score: float
    raw_mean: float | None
    ratings: int
    raters: int


class HistoryOut(Schema):
    past_deals: int
    nature: str | None
    events: int


class OfferOut(Schema):
    id: int
    request_id: int
    vendor: VendorRef
    price: Decimal
    terms: str
    message: str
    expires_at: datetime
    status: str
    created_at: datetime
    # Filled in for the customer's comparison only.
    reputation: VendorReputationOut | None = None
    history: HistoryOut | None = None
    distance_km: float | None = None


class MessageOut(Schema):
    id: int
    vendor: VendorRef
    sender: str  # "customer" or "vendor"
    body: str
    created_at: datetime


class DealRatingOut(Schema):
    id: int
    side: str
    stars: int
    words: str
    created_at: datetime


class DealOut(Schema):
    id: int
    request_id: int
    vendor: VendorRef
    price: Decimal
    currency: str
    accepted_at: datetime


class IntentPage(Page):
    items: list[IntentOut]


class OfferPage(Page):
    items: list[OfferOut]


class MessagePage(Page):
    items: list[MessageOut]


class ThreadQuery(PageParams):
    vendor: str | None = Field(
        default=None, description="the customer names the vendor (slug; an unknown one is a 400)"
    )


def _own(intent: Intent) -> IntentOut:
    return IntentOut(
        id=intent.pk,
        title=intent.title,
        description=intent.description,
        category=intent.category_slug,
        category_name=intent.category,
        status=intent.status,
        pseudonym=intent.pseudonym,
        open_until=intent.open_until,
        created_at=intent.created_at,
        disclosed=list(intent.disclosed),
        place=intent.place_name or None,
        starts_on=intent.starts_on,
        ends_on=intent.ends_on,
        budget_min=intent.budget_min,
        budget_max=intent.budget_max,
        currency=intent.currency,
        must_haves=list(intent.must_haves),
        customer=member_ref(intent.customer),
        mine=True,
        moderation=intent.moderation,
    )


def _category(intent: Intent) -> tuple[str, str]:
    """A category is named by its slug, the words beside it, as everywhere in the API."""
    return intent.category_slug, intent.category


def _as_vendor(intent: Intent, org: Organization) -> IntentOut:
    view = vendor_view(intent, org, Match.objects.filter(intent=intent, organization=org).first())
    fields = asdict(view)
    fields.pop("customer_name")
    # The customer only once the vendor may know them (vendor_view says when).
    customer = member_ref(intent.customer) if fields.pop("customer_username") else None
    fields["category"], fields["category_name"] = _category(intent)
    return IntentOut(**fields, customer=customer)


def _vendor(org: Organization) -> VendorRef:
    return VendorRef(slug=org.slug, name=org.name)


def _offer(offer: Offer) -> OfferOut:
    return OfferOut(
        id=offer.pk,
        request_id=offer.intent_id,
        vendor=_vendor(offer.organization),
        price=offer.price,
        terms=offer.terms,
        message=offer.message,
        expires_at=offer.expires_at,
        status=offer.status,
        created_at=offer.created_at,
    )


def _compared(row: compare.OfferRow) -> OfferOut:
    out = _offer(row.offer)
    if row.reputation is not None:
        rep = row.reputation
        out.reputation = VendorReputationOut(
            percent=rep.percent,
            score=rep.score,
            raw_mean=rep.explanation.get("raw_mean"),
            ratings=rep.ratings,
            raters=rep.raters,
        )
    out.history = HistoryOut(
        past_deals=row.past_deals,
        nature=row.tie.nature if row.tie else None,
        events=row.tie.event_count if row.tie else 0,
    )
    out.distance_km = row.distance_km
    return out


def _data(payload: IntentIn) -> actions.IntentData:
    return actions.IntentData(**payload.model_dump())


@router.get("/requests", response=IntentPage)
def my_requests(request: HttpRequest, page: Query[PageParams]) -> IntentPage:
    """Your own requests, newest first."""
    mine = Intent.objects.filter(customer=member(request))
    rows, next_cursor = paginate(mine, ("-created_at", "-pk"), page, "requests")
    return IntentPage(items=[_own(i) for i in rows], next=next_cursor)


@router.post("/requests", response={201: IntentOut})
def post_request(request: HttpRequest, payload: IntentIn) -> Status[IntentOut]:
    """Post a request; it is matched to the vendors that fit it (anonymous by default)."""
    intent = actions.check_post_intent(member(request), _data(payload))
    return Status(201, _own(intent))


@router.get("/requests/{int:request_id}", response=IntentOut)
def get_request(request: HttpRequest, request_id: int) -> IntentOut:
    """Yours in full; a vendor's view (pseudonym, disclosed fields) if it was sent to you."""
    me = member(request)
    intent, org = access_intent(me, request_id)
    return _own(intent) if org is None else _as_vendor(intent, org)


@router.patch("/requests/{int:request_id}", response=IntentOut)
def edit_request(request: HttpRequest, request_id: int, payload: IntentPatch) -> IntentOut:
    """Change the fields sent; the others stay as they are (not their defaults)."""
    me = member(request)
    intent = access_own_intent(me, request_id)
    changed = payload.model_dump(exclude_unset=True)
    data = replace(actions.IntentData.of(intent), **changed)
    return _own(actions.check_edit_intent(me, intent, data))


@router.delete("/requests/{int:request_id}", response={204: None})
def delete_request(request: HttpRequest, request_id: int) -> Status[None]:
    """Delete your request: gone from every vendor's view at once."""
    me = member(request)
    actions.check_delete_intent(me, access_own_intent(me, request_id))
    return Status(204, None)


@router.post("/requests/{int:request_id}/status", response=IntentOut)
def set_status(request: HttpRequest, request_id: int, payload: RequestStatusIn) -> IntentOut:
    """Pause, resume or withdraw your request."""
    me = member(request)
    intent = access_own_intent(me, request_id)
    return _own(actions.check_set_status(me, intent, payload.action))


@router.get("/requests/{int:request_id}/offers", response=list[OfferOut])
def request_offers(request: HttpRequest, request_id: int) -> list[OfferOut]:
    """The customer: every offer, compared (reputation, history, distance). A vendor: its own."""
    me = member(request)
    intent, org = access_intent(me, request_id)
    if org is None:
        return [_compared(row) for row in compare.compare(intent)]
    return [
        _offer(o) for o in intent.offers.filter(organization=org).select_related("organization")
    ]


@router.post("/requests/{int:request_id}/offers", response={201: OfferOut})
def make_offer(request: HttpRequest, request_id: int, payload: OfferIn) -> Status[OfferOut]:
    """A vendor the request was sent to answers it."""
    me = member(request)
    intent, _ = access_intent(me, request_id)
    offer = actions.check_make_offer(
        me,
        intent,
        price=payload.price,
        expires_at=payload.expires_at,
        terms=payload.terms,
        message=payload.message,
    )
    return Status(201, _offer(offer))


@router.post("/requests/{int:request_id}/offers/{int:offer_id}/accept", response=DealOut)
def accept_offer(request: HttpRequest, request_id: int, offer_id: int) -> DealOut:
    """Accept one offer: the request closes and the other vendors are told politely."""
    me = member(request)
    intent = access_own_intent(me, request_id)
    offer = intent.offers.filter(pk=offer_id).select_related("organization").first()
    if offer is None:
        raise not_found(gettext("No such offer."))
    deal = actions.check_accept_offer(me, offer)
    return DealOut(
        id=deal.pk,
        request_id=intent.pk,
        vendor=_vendor(deal.organization),
        price=deal.price,
        currency=deal.currency,
        accepted_at=deal.accepted_at,
    )


def _thread_vendor(org: Organization | None, slug: str | None) -> Organization:
    if org is not None:
        return org
    if not slug:
        raise ActionError(gettext("Name the vendor (its slug)."), field="vendor")
    vendor = Organization.objects.filter(slug=slug).first()
    if vendor is None:
        raise ActionError(gettext("No vendor “%(slug)s”.") % {"slug": slug}, field="vendor")
    return vendor


def _message(m: IntentMessage, vendor: Organization) -> MessageOut:
    return MessageOut(
        id=m.pk,
        vendor=_vendor(vendor),
        sender="customer" if m.from_customer else "vendor",
        body=m.body,
        created_at=m.created_at,
    )


@router.get("/requests/{int:request_id}/messages", response=MessagePage)
def thread(request: HttpRequest, request_id: int, params: Query[ThreadQuery]) -> MessagePage:
    """The private thread between the customer and one vendor, oldest first."""
    me = member(request)
    intent, org = access_intent(me, request_id)
    vendor = _thread_vendor(org, params.vendor)
    messages = intent.messages.filter(organization=vendor)
    rows, next_cursor = paginate(messages, ("created_at", "pk"), params, "request-messages")
    return MessagePage(items=[_message(m, vendor) for m in rows], next=next_cursor)


@router.post("/requests/{int:request_id}/messages", response={201: MessageOut})
def send_message(request: HttpRequest, request_id: int, payload: MessageIn) -> Status[MessageOut]:
    me = member(request)
    intent, org = access_intent(me, request_id)
    vendor = _thread_vendor(org, payload.vendor)
    message = actions.check_send_message(me, intent, payload.body, vendor=vendor)
    return Status(201, _message(message, vendor))


@router.post("/requests/{int:request_id}/rating", response={201: DealRatingOut})
def rate_deal(
    request: HttpRequest, request_id: int, payload: DealRatingIn
) -> Status[DealRatingOut]:
    """After the deal, each side rates the other once (1 to 5 stars and a few words)."""
    me = member(request)
    intent, _ = access_intent(me, request_id)
    rating = actions.check_rate_deal(me, intent, stars=payload.stars, words=payload.words)
    out = DealRatingOut(
        id=rating.pk,
        side=rating.side,
        stars=rating.stars,
        words=rating.words,
        created_at=rating.created_at,
    )
    return Status(201, out)


def _vendor_or_403(me: Member) -> Organization:
    org = vendor_of(me)
    if org is None:
        raise ActionError(
            gettext("The inbox is for the staff of vendors and partners."), status=403
        )
    return org


@router.get("/vendor/requests", response=IntentPage)
def vendor_inbox(request: HttpRequest, page: Query[PageParams]) -> IntentPage:
    """Your organization's inbox: open requests that fit what it offers, best fit first."""
    org = _vendor_or_403(member(request))
    order = ("-score", "-created_at", "-pk")
    matches, next_cursor = paginate(inbox_matches(org), order, page, "vendor-requests")
    out = []
    for match in matches:
        fields = asdict(vendor_view(match.intent, org, match))
        del fields["customer_name"], fields["customer_username"]  # never in an inbox
        fields["category"], fields["category_name"] = _category(match.intent)
        out.append(IntentOut(**fields))
    return IntentPage(items=out, next=next_cursor)


@router.get("/vendor/offers", response=OfferPage)
def vendor_offers(request: HttpRequest, page: Query[PageParams]) -> OfferPage:
    """Your organization's offers on the requests it still sees, newest first."""
    org = _vendor_or_403(member(request))
    offers = offers_of(org).select_related("organization")
    rows, next_cursor = paginate(offers, ("-created_at", "-pk"), page, "vendor-offers")
    return OfferPage(items=[_offer(o) for o in rows], next=next_cursor)


@router.post("/vendor/offers/{int:offer_id}/withdraw", response=OfferOut)
def withdraw_offer(request: HttpRequest, offer_id: int) -> OfferOut:
    me = member(request)
    offer = actions.check_withdraw_offer(me, access_own_offer(me, offer_id))
    return _offer(offer)
