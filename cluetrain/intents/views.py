"""Pages: a customer's requests and the offers side by side; a vendor's inbox and offers."""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from cluetrain.core.access import not_found
from cluetrain.core.errors import ActionError, show_on_form
from cluetrain.core.requests import signed_in_member
from cluetrain.intents import actions, compare
from cluetrain.intents.access import (
    access_intent,
    access_own_intent,
    access_own_offer,
    notice_intent_id,
    vendor_of,
    vendor_view,
)
from cluetrain.intents.forms import DISCLOSE_CHOICES, IntentForm, OfferForm, RatingForm
from cluetrain.intents.matching import sent_today
from cluetrain.intents.models import Deal, DealRating, Intent, Match, Offer
from cluetrain.intents.queries import inbox, offers_of
from cluetrain.members.models import Member
from cluetrain.notifications.models import Notification
from cluetrain.organizations.models import Organization

#: How long after posting (or editing) a request with no match yet reads as "being matched".
MATCHING_GRACE = timedelta(minutes=5)


def _refused(request: HttpRequest, error: ActionError, back: str) -> HttpResponse:
    return render(
        request, "intents/refused.html", {"error": error, "back": back}, status=error.status
    )


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    me = signed_in_member(request)
    intents = Intent.objects.filter(customer=me).order_by("-created_at")
    context = {"intents": intents, "vendor": vendor_of(me), "now": timezone.now()}
    return render(request, "intents/mine.html", context)


def _intent_form_page(
    request: HttpRequest, form: IntentForm, intent: Intent | None, status: int = 200
) -> HttpResponse:
    return render(request, "intents/form.html", {"form": form, "intent": intent}, status=status)


@login_required
def new_request(request: HttpRequest) -> HttpResponse:
    me = signed_in_member(request)
    if request.method != "POST":
        return _intent_form_page(request, IntentForm(), None)
    form = IntentForm(request.POST)
    if not form.is_valid():
        return _intent_form_page(request, form, None, status=400)
    try:
        intent = actions.check_post_intent(me, form.data_for_action())
    except ActionError as error:
        show_on_form(form, error)
        return _intent_form_page(request, form, None, status=error.status)
    if intent.moderation == Intent.Moderation.HELD:
        messages.warning(
            request,
            gettext(
                "Your request is posted and awaits moderation: vendors will see it once a "
                "moderator approves it."
            ),
        )
    else:
        messages.success(
            request, gettext("Your request is posted; vendors that fit it will see it.")
        )
    return redirect("intent", intent_id=intent.pk)


@login_required
def edit_request(request: HttpRequest, intent_id: int) -> HttpResponse:
    me = signed_in_member(request)
    intent = access_own_intent(me, intent_id)
    if request.method != "POST":
        return _intent_form_page(request, IntentForm.for_intent(intent), intent)
    form = IntentForm(request.POST)
    if not form.is_valid():
        return _intent_form_page(request, form, intent, status=400)
    try:
        actions.check_edit_intent(me, intent, form.data_for_action())
    except ActionError as error:
        show_on_form(form, error)
        return _intent_form_page(request, form, intent, status=error.status)
    messages.success(request, gettext("Saved."))
    return redirect("intent", intent_id=intent.pk)


def _customer_page(request: HttpRequest, intent: Intent) -> HttpResponse:
    rows = compare.compare(intent)
    with_offer = {row.offer.organization_id for row in rows}
    talk = compare.threads(intent)
    others = [
        compare.Thread(organization=org, messages=talk.get(org.pk, []))
        for org in Organization.objects.filter(
            pk__in=Match.objects.filter(intent=intent).values("organization_id")
        ).exclude(pk__in=with_offer)
    ]
    deal = Deal.objects.filter(intent=intent).select_related("organization").first()
    sent_to = Match.objects.filter(intent=intent).count()
    context: dict[str, Any] = {
        "intent": intent,
        "rows": rows,
        "others": others,
        "disclosed": [str(label) for name, label in DISCLOSE_CHOICES if name in intent.disclosed],
        "sent_to": sent_to,
        # Matching runs in the background moments after posting or editing: until it has
        # sent the request anywhere, "sent to 0 vendors" would read as a verdict.
        "matching": sent_to == 0
        and intent.moderation == Intent.Moderation.PASSED
        and intent.status == Intent.Status.OPEN
        and timezone.now() - intent.updated_at < MATCHING_GRACE,
        "deal": deal,
        "rated": deal is not None
        and DealRating.objects.filter(deal=deal, side=DealRating.Side.CUSTOMER).exists(),
        "now": timezone.now(),
    }
    return render(request, "intents/customer.html", context)


def _vendor_page(
    request: HttpRequest,
    me: Member,
    intent: Intent,
    org: Organization,
    form: OfferForm | None = None,
    status: int = 200,
) -> HttpResponse:
    match = Match.objects.filter(intent=intent, organization=org).first()
    offer = Offer.objects.filter(intent=intent, organization=org).first()
    deal = Deal.objects.filter(intent=intent, organization=org).first()
    view = vendor_view(intent, org, match)
    context: dict[str, Any] = {
        "view": view,
        "org": org,
        "offer": offer,
        "form": form or OfferForm(),
        "thread": compare.threads(intent).get(org.pk, []),
        "deal": deal,
        "rated": deal is not None
        and DealRating.objects.filter(deal=deal, side=DealRating.Side.VENDOR).exists(),
        "can_offer": offer is None
        and intent.status == Intent.Status.OPEN
        and intent.open_until > timezone.now(),
    }
    return render(request, "intents/vendor.html", context, status=status)


@login_required
def request_notice(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Where a notification about a request leads: the request, if its reader may still see
    it (checked now: withdrawn, deleted, held or no longer theirs reads as not found)."""
    me = signed_in_member(request)
    notice = Notification.objects.filter(
        pk=notification_id, recipient=me, kind=Notification.Kind.REQUEST
    ).first()
    intent_id = notice_intent_id(notice.dedupe_key) if notice is not None else None
    if intent_id is None:
        raise not_found(gettext("No such request."))
    intent, _ = access_intent(me, intent_id)
    return redirect("intent", intent_id=intent.pk)


@login_required
def intent_page(request: HttpRequest, intent_id: int) -> HttpResponse:
    me = signed_in_member(request)
    intent, org = access_intent(me, intent_id)
    if org is None:
        return _customer_page(request, intent)
    return _vendor_page(request, me, intent, org)


@login_required
@require_POST
def set_status(request: HttpRequest, intent_id: int) -> HttpResponse:
    me = signed_in_member(request)
    intent = access_own_intent(me, intent_id)
    try:
        actions.check_set_status(me, intent, request.POST.get("action", ""))
    except ActionError as error:
        return _refused(request, error, f"/requests/{intent.pk}/")
    messages.success(
        request,
        gettext("The request is %(status)s.") % {"status": intent.get_status_display().lower()},
    )
    return redirect("intent", intent_id=intent.pk)


@login_required
@require_POST
def delete_request(request: HttpRequest, intent_id: int) -> HttpResponse:
    me = signed_in_member(request)
    intent = access_own_intent(me, intent_id)
    actions.check_delete_intent(me, intent)
    messages.success(request, gettext("The request is deleted."))
    return redirect("my_requests")


@login_required
@require_POST
def make_offer(request: HttpRequest, intent_id: int) -> HttpResponse:
    me = signed_in_member(request)
    intent, org = access_intent(me, intent_id)
    back = f"/requests/{intent.pk}/"
    form = OfferForm(request.POST)
    if not form.is_valid():
        if org is None:  # the customer's own request: there is no offer form to show again
            return _refused(request, ActionError(gettext("Check the offer.")), back)
        # The vendor's page again, with what they typed and a message beside each field.
        return _vendor_page(request, me, intent, org, form=form, status=400)
    d = form.cleaned_data
    try:
        actions.check_make_offer(
            me,
            intent,
            price=d["price"],
            expires_at=d["expires_at"],
            terms=d["terms"],
            message=d["message"],
        )
    except ActionError as error:
        if org is None:
            return _refused(request, error, back)
        show_on_form(form, error)
        return _vendor_page(request, me, intent, org, form=form, status=error.status)
    messages.success(request, gettext("Your offer is sent."))
    return redirect("intent", intent_id=intent.pk)


@login_required
@require_POST
def send_message(request: HttpRequest, intent_id: int) -> HttpResponse:
    me = signed_in_member(request)
    intent, _ = access_intent(me, intent_id)
    vendor = None
    if intent.customer_id == me.pk:
        vendor = Organization.objects.filter(slug=request.POST.get("vendor", "")).first()
    try:
        actions.check_send_message(me, intent, request.POST.get("body", ""), vendor=vendor)
    except ActionError as error:
        return _refused(request, error, f"/requests/{intent.pk}/")
    return redirect("intent", intent_id=intent.pk)


@login_required
@require_POST
def accept_offer(request: HttpRequest, intent_id: int) -> HttpResponse:
    me = signed_in_member(request)
    intent = access_own_intent(me, intent_id)
    offer_id = request.POST.get("offer", "")
    offer = intent.offers.filter(pk=int(offer_id) if offer_id.isdigit() else 0).first()
    if offer is None:
        raise not_found(gettext("No such offer."))
    try:
        deal = actions.check_accept_offer(me, offer)
    except ActionError as error:
        return _refused(request, error, f"/requests/{intent.pk}/")
    messages.success(
        request, gettext("You accepted %(name)s's offer.") % {"name": deal.organization.name}
    )
    return redirect("intent", intent_id=intent.pk)


@login_required
@require_POST
def rate_deal(request: HttpRequest, intent_id: int) -> HttpResponse:
    me = signed_in_member(request)
    intent, _ = access_intent(me, intent_id)
    form = RatingForm(request.POST)
    back = f"/requests/{intent.pk}/"
    if not form.is_valid():
        return _refused(request, ActionError(gettext("Give 1 to 5 stars."), field="stars"), back)
    try:
        actions.check_rate_deal(
            me, intent, stars=form.cleaned_data["stars"], words=form.cleaned_data["words"]
        )
    except ActionError as error:
        return _refused(request, error, back)
    messages.success(request, gettext("Thank you for rating the deal."))
    return redirect("intent", intent_id=intent.pk)


def _vendor_or_403(me: Member) -> Organization:
    org = vendor_of(me)
    if org is None:
        raise PermissionDenied(gettext("The inbox is for the staff of vendors and partners."))
    return org


@login_required
def vendor_inbox(request: HttpRequest) -> HttpResponse:
    org = _vendor_or_403(signed_in_member(request))
    return render(
        request,
        "intents/inbox.html",
        {"org": org, "views": inbox(org), "sent_today": sent_today(org.pk)},
    )


@login_required
def vendor_offers(request: HttpRequest) -> HttpResponse:
    org = _vendor_or_403(signed_in_member(request))
    deals = Deal.objects.filter(organization=org).order_by("-accepted_at")[:200]
    context = {"org": org, "offers": offers_of(org), "deals": deals}
    return render(request, "intents/offers.html", context)


@login_required
@require_POST
def withdraw_offer(request: HttpRequest, offer_id: int) -> HttpResponse:
    me = signed_in_member(request)
    offer = access_own_offer(me, offer_id)
    try:
        actions.check_withdraw_offer(me, offer)
    except ActionError as error:
        return _refused(request, error, "/vendor/offers/")
    messages.success(request, gettext("Your offer is withdrawn."))
    return redirect("vendor_offers")
