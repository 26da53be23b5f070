"""The partner network's pages: the directory, a partner, bundles, referrals for the three
sides (customer, provider, referrer), the partner inbox and dashboard. Views parse, call one
action and render; a refused action renders its message with its status and writes nothing.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from cluetrain.core.errors import ActionError
from cluetrain.core.requests import signed_in_member
from cluetrain.members.models import Member
from cluetrain.members.picker import pick_typed_member, typed_member
from cluetrain.organizations.models import Organization
from cluetrain.partners import bundles, queries
from cluetrain.partners.access import access_category, access_partner, access_referral
from cluetrain.partners.actions import (
    check_answer_referral,
    check_create_category,
    check_edit_category,
    check_move_category,
    check_rate_referral,
    check_record_outcome,
    check_refer,
    check_retire_category,
    is_provider,
    may_configure,
)
from cluetrain.partners.models import Category, Referral

MAX_CATEGORIES = 12


def _refused(request: HttpRequest, error: ActionError, back: str) -> HttpResponse:
    return render(
        request, "partners/refused.html", {"error": error, "back": back}, status=error.status
    )


def may_name_customer(member: Member) -> bool:
    """Staff and partners refer other members; customers refer themselves."""
    return member.is_company_staff or member.role == Member.Role.PARTNER


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    slug = request.GET.get("category", "")
    category = Category.objects.filter(slug=slug, retired=False).first() if slug else None
    groups = queries.by_category(list(queries.directory(category)), category)
    return render(
        request,
        "partners/directory.html",
        {
            "groups": groups,
            "categories": Category.objects.filter(retired=False),
            "category": category,
            "may_configure": may_configure(signed_in_member(request)),
        },
    )


@login_required
def partner(request: HttpRequest, slug: str) -> HttpResponse:
    organization = access_partner(slug)
    ratings = (
        Referral.objects.filter(provider=organization, stars__isnull=False)
        .select_related("customer")
        .order_by("-rated_at")[:10]
    )
    return render(
        request,
        "partners/partner.html",
        {
            "organization": organization,
            "listing": organization.partner_listing,
            "offerings": organization.offerings.order_by("title"),
            "people": organization.members.filter(is_active=True).order_by("username"),
            "ratings": ratings,
        },
    )


@login_required
def bundle(request: HttpRequest) -> HttpResponse:
    """Describe a need; see one provider per needed category, and send referrals."""
    viewer = signed_in_member(request)
    need = request.GET.get("need", "").strip()[:2000]
    place = request.GET.get("place", "").strip()[:200]
    chosen = request.GET.getlist("category")[:MAX_CATEGORIES]
    customer_name = typed_member(request.GET, "customer")
    categories = list(Category.objects.filter(slug__in=chosen, retired=False))
    context: dict[str, object] = {
        "need": need,
        "place": place,
        "chosen": {c.slug for c in categories},
        "categories": Category.objects.filter(retired=False),
        "customer_name": customer_name,
        "may_name_customer": may_name_customer(viewer),
    }
    # A link (a partner's page, the directory) may open the page with categories chosen and
    # no need yet: that is the form to fill in, not a refusal. Once the form is sent, its
    # need field is always in the query.
    if (not need and not categories) or "need" not in request.GET:
        return render(request, "partners/bundle.html", context)
    if not need or not categories:
        context["error"] = gettext("Describe the need and choose at least one category.")
        return render(request, "partners/bundle.html", context, status=400)
    customer: Member | None = viewer
    if customer_name and may_name_customer(viewer):
        named = pick_typed_member(customer_name, viewer)
        context |= named.context("customer")
        if named.member is None:
            return named.form_again(request, "partners/bundle.html", context)
        customer = named.member
    proposed = bundles.propose(need, categories, place=place, customer=customer)
    if customer is not None:
        # A provider the customer already has an open referral with shows that referral
        # instead of a button the action would refuse.
        open_referrals = dict(
            Referral.objects.filter(
                customer=customer, status__in=[Referral.Status.PENDING, Referral.Status.ACCEPTED]
            ).values_list("provider_id", "pk")
        )
        for proposal in proposed.proposals:
            for candidate in [proposal.choice, *proposal.alternatives]:
                if candidate is not None:
                    candidate.open_referral = open_referrals.get(candidate.listing.organization_id)
    context["bundle"] = proposed
    context["customer"] = customer
    return render(request, "partners/bundle.html", context)


@login_required
def refer(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        # Referrals are sent from the bundle page's proposals: that is where this address leads.
        return redirect("partner_bundle")
    viewer = signed_in_member(request)
    provider = get_object_or_404(Organization, slug=request.POST.get("provider", ""))
    customer = viewer
    customer_name = request.POST.get("customer", "").strip().lstrip("@")
    if customer_name and customer_name != viewer.username:
        customer = get_object_or_404(Member, username=customer_name)
    try:
        referral = check_refer(
            viewer,
            customer=customer,
            provider=provider,
            need=request.POST.get("need", ""),
            place=request.POST.get("place", ""),
        )
    except ActionError as error:
        return _refused(request, error, "partner_bundle")
    messages.success(request, gettext("Referral sent to %(name)s.") % {"name": provider.name})
    return redirect("referral", referral_id=referral.pk)


@login_required
def referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    viewer = signed_in_member(request)
    found = access_referral(viewer, referral_id)
    provider = is_provider(viewer, found)
    is_customer = viewer.pk == found.customer_id
    return render(
        request,
        "partners/referral.html",
        {
            "referral": found,
            "can_answer": provider and found.status == Referral.Status.PENDING,
            "can_close": (provider or is_customer) and found.status == Referral.Status.ACCEPTED,
            "can_rate": is_customer
            and found.status == Referral.Status.COMPLETED
            and found.rated_at is None,
            "stars": range(5, 0, -1),
        },
    )


def _step(
    request: HttpRequest, referral_id: int, act: Callable[[Member, Referral], object], done: str
) -> HttpResponse:
    """One step of a referral by the signed-in member: done, or refused with the reason."""
    viewer = signed_in_member(request)
    found = access_referral(viewer, referral_id)
    try:
        act(viewer, found)
    except ActionError as error:
        return _refused(request, error, "my_referrals")
    messages.success(request, done)
    return redirect("referral", referral_id=found.pk)


def _choice(request: HttpRequest, name: str, choices: tuple[str, str], message: str) -> bool:
    """Whether the form chose the first of two values; neither is refused."""
    value = request.POST.get(name, "")
    if value not in choices:
        raise ActionError(message, field=name)
    return value == choices[0]


@login_required
@require_POST
def answer(request: HttpRequest, referral_id: int) -> HttpResponse:
    def act(viewer: Member, found: Referral) -> object:
        accept = _choice(
            request, "decision", ("accept", "decline"), gettext("Choose accept or decline.")
        )
        note = request.POST.get("note", "")
        return check_answer_referral(viewer, found, accept=accept, note=note)

    return _step(request, referral_id, act, gettext("Answer sent."))


@login_required
@require_POST
def outcome(request: HttpRequest, referral_id: int) -> HttpResponse:
    def act(viewer: Member, found: Referral) -> object:
        completed = _choice(
            request,
            "outcome",
            ("completed", "not_completed"),
            gettext("Choose completed or not completed."),
        )
        return check_record_outcome(viewer, found, completed=completed)

    return _step(request, referral_id, act, gettext("Outcome recorded."))


@login_required
@require_POST
def rate(request: HttpRequest, referral_id: int) -> HttpResponse:
    def act(viewer: Member, found: Referral) -> object:
        raw = request.POST.get("stars", "")
        if not raw.isdigit():
            raise ActionError(gettext("Give 1 to 5 stars."), field="stars")
        words = request.POST.get("words", "")
        return check_rate_referral(viewer, found, stars=int(raw), words=words)

    return _step(request, referral_id, act, gettext("Thank you for the rating."))


@login_required
def my_referrals(request: HttpRequest) -> HttpResponse:
    viewer = signed_in_member(request)
    return render(
        request,
        "partners/my_referrals.html",
        {"referrals": queries.my_referrals(viewer)[:200]},
    )


def _own_organization(member: Member) -> Organization:
    organization = queries.partner_organization(member)
    if organization is None:
        raise PermissionDenied(
            gettext("The partner inbox is for the people of a partner organization.")
        )
    return organization


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    organization = _own_organization(signed_in_member(request))
    return render(
        request,
        "partners/inbox.html",
        {"organization": organization, "referrals": queries.inbox(organization)[:200]},
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    viewer = signed_in_member(request)
    organization = _own_organization(viewer)
    return render(
        request,
        "partners/dashboard.html",
        {"organization": organization, "board": queries.dashboard(organization, viewer)},
    )


# The categories of the whole product, configured by the company's staff ------------------


def _configurer(request: HttpRequest) -> Member:
    viewer = signed_in_member(request)
    if not may_configure(viewer):
        raise PermissionDenied(gettext("Only the company's staff configure the categories."))
    return viewer


@login_required
def categories(request: HttpRequest) -> HttpResponse:
    """Staff create, rename, reorder, retire and bring back the categories."""
    _configurer(request)
    return _categories_page(request)


def _categories_page(
    request: HttpRequest, error: ActionError | None = None, form: dict[str, str] | None = None
) -> HttpResponse:
    rows = list(Category.objects.annotate(partners=Count("provisions")))
    return render(
        request,
        "partners/categories.html",
        {"rows": rows, "error": error, "form": form or {}, "last": len(rows) - 1},
        status=error.status if error else 200,
    )


@login_required
@require_POST
def category_create(request: HttpRequest) -> HttpResponse:
    viewer = _configurer(request)
    name = request.POST.get("name", "")
    description = request.POST.get("description", "")
    try:
        category = check_create_category(viewer, name, description)
    except ActionError as error:
        return _categories_page(request, error, {"name": name, "description": description})
    messages.success(request, gettext("Category %(name)s added.") % {"name": category.name})
    return redirect("partner_categories")


@login_required
@require_POST
def category_edit(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = _configurer(request)
    category = access_category(slug)
    try:
        action = request.POST.get("action", "rename")
        if action in ("up", "down"):
            check_move_category(viewer, category, -1 if action == "up" else 1)
        elif action in ("retire", "restore"):
            check_retire_category(viewer, category, action == "retire")
        else:
            check_edit_category(
                viewer,
                category,
                name=request.POST.get("name", category.name),
                description=request.POST.get("description", category.description),
            )
    except ActionError as error:
        return _categories_page(request, error)
    return redirect("partner_categories")
