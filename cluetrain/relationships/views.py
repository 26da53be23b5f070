"""Relationship pages: my relationships, the card between two parties, the staff map."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from cluetrain.core.access import not_found
from cluetrain.core.errors import ActionError
from cluetrain.core.requests import signed_in_member
from cluetrain.members.models import Member
from cluetrain.members.picker import MemberField, read_member_field
from cluetrain.organizations.models import Organization, Product
from cluetrain.relationships import actions, queries
from cluetrain.relationships.actions import RECORDABLE, Target
from cluetrain.relationships.corrections import check_undo_correction, corrections_of
from cluetrain.relationships.forms import ReferForm
from cluetrain.relationships.models import (
    RelationshipCorrection,
    RelationshipEvent,
    RelationshipKind,
)
from cluetrain_analytics.relationships import KINDS

TIES_PER_PAGE = 25
#: What each button of a card means (the analytics' reasons, translatable), shown as its title.
WHY: dict[str, str | Promise] = {
    RelationshipKind.RECOMMEND: _("a recommendation puts one's own name behind another"),
    RelationshipKind.VOUCH: _("vouching stakes one's own reputation on the other"),
    RelationshipKind.SUBSCRIPTION: _(
        "choosing to hear from the other regularly: a follow, a newsletter"
    ),
    RelationshipKind.BLACKLIST: _("blocking someone ends the relationship on purpose"),
    RelationshipKind.INVITE: _("asking the other in"),
    RelationshipKind.ASK_ADVICE: _("asking someone's advice shows trust in their judgement"),
}
#: The latest expressions shown under each tie (the API and the card show more).
EVENTS_SHOWN = 10


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    member = signed_in_member(request)
    page = Paginator(queries.ties_of(member), TIES_PER_PAGE).get_page(request.GET.get("page"))
    rows = queries.events_of_ties(member, member, page, EVENTS_SHOWN)
    stated = queries.visible_events(
        member, RelationshipEvent.objects.filter(actor_member=member, inferred=False)
    ).order_by("-occurred_at")
    return render(
        request,
        "relationships/mine.html",
        {
            "rows": rows,
            "page": page,
            "stated": stated[:50],
            "corrections": RelationshipCorrection.Action.choices,
            "my_corrections": corrections_of(member),
        },
    )


def _card_page(
    request: HttpRequest,
    viewer: Member,
    other: Member,
    refer_form: ReferForm | None = None,
    error: ActionError | None = None,
    about: MemberField | None = None,
) -> HttpResponse:
    """The card between the viewer and `other`; after a refused expression, the form as it
    was sent with the message beside the field at fault, and the refusal's status. When the
    person referred is not one exact member yet, `about` offers the people the text may mean."""
    if about is None:
        typed = refer_form["about"].value() if refer_form is not None else ""
        about = MemberField(typed or "")
    return render(
        request,
        "relationships/card.html",
        {
            "other": other,
            # Where the card's forms lead back to, also when a POST shows the card again.
            "here": reverse("relationship_card", args=[other.username]),
            "tie": queries.tie_between(viewer, other),
            "events": queries.events_between(viewer, viewer, other)[:50],
            "stated": queries.stated_by(viewer, other),
            "recordable": [
                (kind, RelationshipKind(kind).label, WHY.get(kind, KINDS[kind].reason))
                for kind, sides in RECORDABLE.items()
                if "member" in sides and kind != RelationshipKind.REFERRAL
            ],
            "corrections": RelationshipCorrection.Action.choices,
            "refer_form": refer_form or ReferForm(),
            **about.context("about"),
            "error": error,
        },
        status=error.status if error is not None else 200,
    )


@login_required
def card(request: HttpRequest, username: str) -> HttpResponse:
    viewer = signed_in_member(request)
    other = get_object_or_404(Member, username=username, is_active=True)
    if other == viewer:
        return redirect("relationships")
    return _card_page(request, viewer, other)


def target_from(raw: str) -> Target:
    """'member:alice', 'organization:acme' or 'product:lumen-app' -> the party (404 if none)."""
    side, _, key = raw.partition(":")
    found: Target | None
    if side == "member":
        found = Member.objects.filter(username=key, is_active=True).first()
    elif side == "organization":
        found = Organization.objects.filter(slug=key).first()
    elif side == "product":
        found = Product.objects.filter(slug=key).first()
    else:
        raise ActionError(
            gettext("Say whom it is about: member:, organization: or product:."), field="target"
        )
    if found is None:
        raise ActionError(gettext("Nobody by that name."), field="target", status=404)
    return found


def _card_of(target: Target | None, member: Member) -> Member | None:
    """The other member of the card an expression about `target` was written on, if any."""
    if isinstance(target, Member) and target.is_active and target != member:
        return target
    return None


@login_required
@require_POST
def express(request: HttpRequest) -> HttpResponse:
    member = signed_in_member(request)
    kind = request.POST.get("kind", "")
    form = ReferForm(request.POST) if kind == RelationshipKind.REFERRAL else None
    target: Target | None = None
    referred: MemberField | None = None
    try:
        target = target_from(request.POST.get("target", ""))
        about = None
        note = request.POST.get("note", "").strip()
        if form is not None:
            if not form.is_valid():
                raise ActionError(gettext("Check the referral."))
            note = form.cleaned_data["note"].strip()
            referred = read_member_field(request.POST, "about", member)
            if referred.error:
                raise ActionError(referred.error, field="about")
            about = referred.member
            card_of = _card_of(target, member)
            if about is None and card_of is not None:
                # Several people may be meant: the card again to choose one; nothing refused.
                return _card_page(request, member, card_of, refer_form=form, about=referred)
        event = actions.check_express(member, kind, target, about=about, note=note)
    except ActionError as error:
        card_of = _card_of(target, member)
        if card_of is not None:
            # Back to the card the member wrote on, with what they typed and the reason.
            if form is not None and error.field in form.fields:
                form.add_error(error.field, error.message)
                error = ActionError(error.message, field=error.field, status=error.status)
            return _card_page(
                request, member, card_of, refer_form=form, error=error, about=referred
            )
        return render(request, "relationships/refused.html", {"error": error}, status=error.status)
    messages.success(
        request,
        gettext("Recorded: %(kind)s %(target)s.")
        % {"kind": event.get_kind_display(), "target": target},
    )
    return _back(request, "relationships")


def _own_event(request: HttpRequest, event_id: int) -> RelationshipEvent:
    event = RelationshipEvent.objects.filter(pk=event_id).first()
    if event is None or not actions.is_party(signed_in_member(request), event):
        raise not_found(gettext("No such relationship event."))
    return event


@login_required
@require_POST
def withdraw(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _own_event(request, event_id)
    try:
        actions.check_withdraw(signed_in_member(request), event)
    except ActionError as error:
        return render(request, "relationships/refused.html", {"error": error}, status=error.status)
    messages.success(request, gettext("Withdrawn."))
    return _back(request, "relationships")


@login_required
@require_http_methods(["GET", "POST"])
def correct(request: HttpRequest, event_id: int) -> HttpResponse:
    """GET: the correction form of one inferred event (the lists link here rather than carry a
    form per event); POST: the correction. Only a party to the event gets either."""
    event = _own_event(request, event_id)
    if request.method == "GET":
        if not event.inferred:
            error = ActionError(
                gettext("This was stated, not inferred: its author can withdraw it."), status=409
            )
            return render(
                request, "relationships/refused.html", {"error": error}, status=error.status
            )
        return _correct_page(request, event)
    try:
        actions.check_correct(signed_in_member(request), event, request.POST.get("action", ""))
    except ActionError as error:
        if error.field == "action":
            return _correct_page(request, event, error)
        return render(request, "relationships/refused.html", {"error": error}, status=error.status)
    messages.success(request, gettext("Thanks: corrected, and it stays corrected."))
    return _back(request, "relationships")


def _correct_page(
    request: HttpRequest, event: RelationshipEvent, error: ActionError | None = None
) -> HttpResponse:
    target = request.GET.get("next") or request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = ""
    one = queries.visible_events(
        signed_in_member(request), RelationshipEvent.objects.filter(pk=event.pk)
    )
    return render(
        request,
        "relationships/correct.html",
        {
            "events": list(one),
            "event": event,
            "corrections": RelationshipCorrection.Action.choices,
            "next": target,
            "error": error,
        },
        status=error.status if error is not None else 200,
    )


@login_required
@require_POST
def undo_correction(request: HttpRequest, correction_id: int) -> HttpResponse:
    try:
        check_undo_correction(signed_in_member(request), correction_id)
    except ActionError as error:
        return render(request, "relationships/refused.html", {"error": error}, status=error.status)
    messages.success(request, gettext("Undone: the relationship is inferred again."))
    return _back(request, "relationships")


@login_required
def company_map(request: HttpRequest) -> HttpResponse:
    if not signed_in_member(request).is_company_staff:
        raise PermissionDenied(gettext("The relationship map is for staff."))
    return render(request, "relationships/map.html", {"map": queries.company_map()})


@login_required
def member_ties(request: HttpRequest, username: str) -> HttpResponse:
    """Staff: one customer's relationships, as the card shows them to the customer."""
    viewer = signed_in_member(request)
    if not viewer.is_company_staff:
        raise PermissionDenied(gettext("Only staff see other members' relationships."))
    member = get_object_or_404(Member, username=username)
    page = Paginator(queries.ties_of(member), TIES_PER_PAGE).get_page(request.GET.get("page"))
    rows = queries.events_of_ties(member, member, page, EVENTS_SHOWN)
    return render(
        request, "relationships/member.html", {"member": member, "rows": rows, "page": page}
    )
