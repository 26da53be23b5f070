"""The whole-product partner network in the JSON API: the directory and its categories, a
bundle for a need, referrals for the three sides (customer, provider, referrer) and the
partner inbox. Every call goes through the same actions and access helpers as the pages."""

from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, ngettext
from ninja import Query, Router, Schema, Status
from pydantic import Field

from cluetrain.api.auth import member
from cluetrain.api.pagination import PageParams, paginate
from cluetrain.api.schemas import Input, MemberRef, Page, member_ref
from cluetrain.core.errors import ActionError
from cluetrain.members.models import Member
from cluetrain.organizations.models import Organization
from cluetrain.partners import bundles, queries
from cluetrain.partners.access import access_category, access_partner, access_referral
from cluetrain.partners.actions import (
    check_answer_referral,
    check_create_category,
    check_edit_category,
    check_order_categories,
    check_rate_referral,
    check_record_outcome,
    check_refer,
    check_retire_category,
    may_configure,
)
from cluetrain.partners.models import Category, Listing, Referral

router = Router(tags=["partners"])

LIMIT = 200


class CategoryOut(Schema):
    slug: str
    name: str
    description: str
    position: int
    retired: bool


class CategoryIn(Input):
    name: str = Field(min_length=1, max_length=100)
    description: str = Field(default="", max_length=2000)


class CategoryPatch(Input):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=2000)
    retired: bool | None = Field(default=None, description="retire it, or bring it back")


class CategoryOrderIn(Input):
    categories: list[str] = Field(
        min_length=1, max_length=500, description="every category's slug, in the new order"
    )


class AreaOut(Schema):
    place: str
    radius_km: int
    latitude: float | None
    longitude: float | None


class OfferingOut(Schema):
    title: str
    description: str


class PartnerReputationOut(Schema):
    score: float
    percent: int
    ratings: int
    raters: int
    explanation: dict[str, object]


class PartnerOut(Schema):
    slug: str
    name: str
    kind: str
    category: CategoryOut | None = Field(description="its main category")
    categories: list[CategoryOut] = Field(description="every category it provides, in use")
    description: str
    offerings: list[OfferingOut]
    areas: list[AreaOut]
    reputation: PartnerReputationOut | None


class ReferralRatingOut(Schema):
    stars: int
    words: str
    customer: MemberRef
    rated_at: datetime


class PartnerDetailOut(PartnerOut):
    people: list[MemberRef]
    ratings: list[ReferralRatingOut]


class DirectoryParams(Schema):
    category: str = Field(
        default="", max_length=50, description="a category's slug (an unknown one is a 400)"
    )


class BundleIn(Input):
    need: str = Field(min_length=1, max_length=2000, description="what is needed, in words")
    categories: list[str] = Field(min_length=1, max_length=12, description="category slugs")
    place: str = Field(default="", max_length=200, description='where, e.g. "Austin, TX"')
    customer: str = Field(
        default="", max_length=150, description="staff and partners: the customer's username"
    )


class CandidateOut(Schema):
    partner: str
    name: str
    score: float
    parts: dict[str, float]
    reasons: list[str]
    distance_km: float | None


class ProposalOut(Schema):
    category: CategoryOut
    choice: CandidateOut | None
    alternatives: list[CandidateOut]


class BundleOut(Schema):
    need: str
    place: str | None
    place_unknown: bool
    proposals: list[ProposalOut]


class ReferralIn(Input):
    provider: str = Field(min_length=1, max_length=50, description="the partner's slug")
    need: str = Field(min_length=1, max_length=2000)
    place: str = Field(default="", max_length=200)
    customer: str = Field(
        default="", max_length=150, description="staff and partners: whom they refer"
    )


class AnswerIn(Input):
    note: str = Field(default="", max_length=500)


class OutcomeIn(Input):
    completed: bool


class ReferralRatingIn(Input):
    stars: int = Field(ge=1, le=5)
    words: str = Field(default="", max_length=2000)


class ReferralOut(Schema):
    id: int
    status: str
    need: str
    place: str
    category: str | None = Field(description="the category's slug")
    category_name: str | None = Field(description="the category's name")
    referrer: MemberRef
    customer: MemberRef
    provider: str
    provider_name: str
    answered_by: MemberRef | None
    answer_note: str
    stars: int | None
    rating_words: str
    created_at: datetime
    answered_at: datetime | None
    closed_at: datetime | None
    rated_at: datetime | None


class ReferralPage(Page):
    items: list[ReferralOut]


def _category(category: Category) -> CategoryOut:
    return CategoryOut(
        slug=category.slug,
        name=category.name,
        description=category.description,
        position=category.position,
        retired=category.retired,
    )


def _partner(listing: Listing) -> PartnerOut:
    org = listing.organization
    rep = getattr(org, "reputation", None)
    return PartnerOut(
        slug=org.slug,
        name=org.name,
        kind=org.kind,
        category=_category(listing.category) if listing.category else None,
        categories=[_category(c) for c in listing.shown_categories()],
        description=org.description,
        offerings=[
            OfferingOut(title=o.title, description=o.description) for o in org.offerings.all()
        ],
        areas=[
            AreaOut(
                place=a.place, radius_km=a.radius_km, latitude=a.latitude, longitude=a.longitude
            )
            for a in listing.areas.all()
        ],
        reputation=None
        if rep is None
        else PartnerReputationOut(
            score=rep.score,
            percent=rep.percent,
            ratings=rep.ratings,
            raters=rep.raters,
            explanation=rep.explanation,
        ),
    )


def referral_out(referral: Referral) -> ReferralOut:
    return ReferralOut(
        id=referral.pk,
        status=referral.status,
        need=referral.need,
        place=referral.place,
        category=referral.category.slug if referral.category else None,
        category_name=referral.category.name if referral.category else None,
        referrer=member_ref(referral.referrer),  # type: ignore[arg-type]
        customer=member_ref(referral.customer),  # type: ignore[arg-type]
        provider=referral.provider.slug,
        provider_name=referral.provider.name,
        answered_by=member_ref(referral.answered_by),
        answer_note=referral.answer_note,
        stars=referral.stars,
        rating_words=referral.rating_words,
        created_at=referral.created_at,
        answered_at=referral.answered_at,
        closed_at=referral.closed_at,
        rated_at=referral.rated_at,
    )


def _candidate(candidate: bundles.Candidate) -> CandidateOut:
    org = candidate.listing.organization
    return CandidateOut(
        partner=org.slug,
        name=org.name,
        score=candidate.score,
        parts=candidate.parts,
        reasons=candidate.reasons,
        distance_km=candidate.distance_km,
    )


@router.get("/partners/categories", response=list[CategoryOut])
def categories(request: HttpRequest) -> list[CategoryOut]:
    """The parts of the whole product partners provide, as the company configured them, in
    order; the retired ones too for the company's staff."""
    me = member(request)
    shown = Category.objects.all()
    if not may_configure(me):
        shown = shown.filter(retired=False)
    return [_category(c) for c in shown]


@router.post("/partners/categories", response={201: CategoryOut})
def create_category(request: HttpRequest, payload: CategoryIn) -> Status[CategoryOut]:
    """A new category, last in the order (the company's staff)."""
    made = check_create_category(member(request), payload.name, payload.description)
    return Status(201, _category(made))


@router.put("/partners/categories/order", response=list[CategoryOut])
def order_categories(request: HttpRequest, payload: CategoryOrderIn) -> list[CategoryOut]:
    """Put every category in a new order (the company's staff)."""
    return [_category(c) for c in check_order_categories(member(request), payload.categories)]


@router.patch("/partners/categories/{slug}", response=CategoryOut)
def edit_category(request: HttpRequest, slug: str, payload: CategoryPatch) -> CategoryOut:
    """Rename, describe, retire or bring back a category (the company's staff)."""
    me = member(request)
    if not may_configure(me):
        raise ActionError(gettext("Only the company's staff configure the categories."), status=403)
    category = access_category(slug)
    if payload.name is not None or payload.description is not None:
        category = check_edit_category(
            me, category, name=payload.name, description=payload.description
        )
    if payload.retired is not None:
        category = check_retire_category(me, category, payload.retired)
    return _category(category)


@router.get("/partners", response=list[PartnerOut])
def directory(request: HttpRequest, params: Query[DirectoryParams]) -> list[PartnerOut]:
    """Listed partners by category, with offerings, areas served and reputation."""
    member(request)
    category = None
    if params.category:
        category = Category.objects.filter(slug=params.category, retired=False).first()
        if category is None:
            raise ActionError(
                gettext("No category “%(slug)s”.") % {"slug": params.category}, field="category"
            )
    return [_partner(listing) for listing in queries.directory(category)[:LIMIT]]


@router.get("/partners/inbox", response=ReferralPage)
def inbox(request: HttpRequest, page: Query[PageParams]) -> ReferralPage:
    """Referrals your organization received, pending first (partners' people only)."""
    organization = queries.partner_organization(member(request))
    if organization is None:
        raise ActionError(gettext("The partner inbox is for the people of a partner."), status=403)
    # A referral answered while a client pages leaves the pending part and moves.
    order = ("pending_first", "-created_at", "-pk")
    rows, next_cursor = paginate(queries.inbox(organization), order, page, "partner-inbox")
    return ReferralPage(items=[referral_out(r) for r in rows], next=next_cursor)


@router.post("/partners/bundles", response=BundleOut)
def bundle(request: HttpRequest, payload: BundleIn) -> BundleOut:
    """One provider per needed category, ranked by fit, reputation, distance and ties."""
    me = member(request)
    chosen = list(Category.objects.filter(slug__in=payload.categories, retired=False))
    unknown = set(payload.categories) - {c.slug for c in chosen}
    if unknown:
        raise ActionError(
            ngettext("No such category: %(slugs)s.", "No such categories: %(slugs)s.", len(unknown))
            % {"slugs": ", ".join(sorted(unknown))},
            field="categories",
        )
    customer: Member = me
    if payload.customer and payload.customer != me.username:
        if not (me.is_company_staff or me.role == Member.Role.PARTNER):
            raise ActionError(
                gettext("Only staff and partners can ask for someone else."),
                field="customer",
                status=403,
            )
        customer = get_object_or_404(Member, username=payload.customer, is_active=True)
    found = bundles.propose(payload.need, chosen, place=payload.place, customer=customer)
    return BundleOut(
        need=found.need,
        place=found.place.name if found.place else None,
        place_unknown=found.place_unknown,
        proposals=[
            ProposalOut(
                category=_category(p.category),
                choice=_candidate(p.choice) if p.choice else None,
                alternatives=[_candidate(a) for a in p.alternatives],
            )
            for p in found.proposals
        ],
    )


@router.get("/partners/{slug}", response=PartnerDetailOut)
def partner(request: HttpRequest, slug: str) -> PartnerDetailOut:
    member(request)
    organization = access_partner(slug)
    listing = queries.directory().get(organization=organization)
    rated = (
        Referral.objects.filter(provider=organization, stars__isnull=False)
        .select_related("customer")
        .order_by("-rated_at")[:20]
    )
    return PartnerDetailOut(
        **_partner(listing).model_dump(),
        people=[
            member_ref(p)  # type: ignore[misc]
            for p in organization.members.filter(is_active=True).order_by("username")
        ],
        ratings=[
            ReferralRatingOut(
                stars=r.stars or 0,
                words=r.rating_words,
                customer=member_ref(r.customer),  # type: ignore[arg-type]
                rated_at=r.rated_at,  # type: ignore[arg-type]
            )
            for r in rated
        ],
    )


@router.post("/referrals", response={201: ReferralOut})
def create_referral(request: HttpRequest, payload: ReferralIn) -> Status[ReferralOut]:
    """Refer yourself (customers) or a customer (staff, partners) to a listed partner."""
    me = member(request)
    provider = Organization.objects.filter(slug=payload.provider).first()
    if provider is None:
        raise ActionError(gettext("No such partner."), field="provider", status=404)
    customer = me
    if payload.customer and payload.customer != me.username:
        found = Member.objects.filter(username=payload.customer).first()
        if found is None:
            raise ActionError(gettext("No such member."), field="customer", status=404)
        customer = found
    referral = check_refer(
        me, customer=customer, provider=provider, need=payload.need, place=payload.place
    )
    return Status(201, referral_out(referral))


@router.get("/referrals", response=ReferralPage)
def my_referrals(request: HttpRequest, page: Query[PageParams]) -> ReferralPage:
    """Referrals for you as the customer, and those you sent, newest first."""
    referrals = queries.my_referrals(member(request))
    rows, next_cursor = paginate(referrals, ("-created_at", "-pk"), page, "referrals")
    return ReferralPage(items=[referral_out(r) for r in rows], next=next_cursor)


@router.get("/referrals/{int:referral_id}", response=ReferralOut)
def referral(request: HttpRequest, referral_id: int) -> ReferralOut:
    return referral_out(access_referral(member(request), referral_id))


@router.post("/referrals/{int:referral_id}/accept", response=ReferralOut)
def accept(request: HttpRequest, referral_id: int, payload: AnswerIn) -> ReferralOut:
    me = member(request)
    found = access_referral(me, referral_id)
    return referral_out(check_answer_referral(me, found, accept=True, note=payload.note))


@router.post("/referrals/{int:referral_id}/decline", response=ReferralOut)
def decline(request: HttpRequest, referral_id: int, payload: AnswerIn) -> ReferralOut:
    me = member(request)
    found = access_referral(me, referral_id)
    return referral_out(check_answer_referral(me, found, accept=False, note=payload.note))


@router.post("/referrals/{int:referral_id}/outcome", response=ReferralOut)
def outcome(request: HttpRequest, referral_id: int, payload: OutcomeIn) -> ReferralOut:
    me = member(request)
    found = access_referral(me, referral_id)
    return referral_out(check_record_outcome(me, found, completed=payload.completed))


@router.post("/referrals/{int:referral_id}/rating", response=ReferralOut)
def rate(request: HttpRequest, referral_id: int, payload: ReferralRatingIn) -> ReferralOut:
    me = member(request)
    found = access_referral(me, referral_id)
    return referral_out(check_rate_referral(me, found, stars=payload.stars, words=payload.words))
