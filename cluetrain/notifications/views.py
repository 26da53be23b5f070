"""The notifications inbox, e-mail settings and the unsubscribe link."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cluetrain.core.errors import ActionError, show_on_form
from cluetrain.core.requests import signed_in_member
from cluetrain.notifications import emails
from cluetrain.notifications.actions import (
    check_set_email_frequency,
    check_unsubscribe,
    do_mark_all_read,
)
from cluetrain.notifications.models import Frequency, Notification
from cluetrain.notifications.visibility import still_visible

PER_PAGE = 30


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    recipient = signed_in_member(request)
    inbox = (
        Notification.objects.filter(still_visible(recipient), recipient=recipient)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(inbox, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    assert request.user.pk is not None
    marked = do_mark_all_read(request.user.pk)
    if marked:
        messages.success(
            request,
            ngettext("Marked %(n)s notification read.", "Marked %(n)s notifications read.", marked)
            % {"n": marked},
        )
    return redirect("notifications")


# --- E-mail settings and unsubscribe ------------------------------------------------------


class EmailSettingsForm(forms.Form):
    frequency = forms.ChoiceField(
        choices=Frequency.choices, widget=forms.RadioSelect, label=_("E-mail me")
    )


@login_required
def email_settings(request: HttpRequest) -> HttpResponse:
    member = signed_in_member(request)
    initial = {"frequency": emails.frequency_of(member.pk)}
    form = (
        EmailSettingsForm(request.POST)
        if request.method == "POST"
        else EmailSettingsForm(initial=initial)
    )
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            try:
                check_set_email_frequency(member, form.cleaned_data["frequency"])
            except ActionError as error:
                status = show_on_form(form, error)
            else:
                messages.success(request, gettext("Your e-mail settings are saved."))
                return redirect("email_settings")
    return render(
        request,
        "notifications/email_settings.html",
        {"form": form, "has_email": bool(member.email)},
        status=status,
    )


# A mail client's one-click POST (RFC 8058) has no session and no CSRF token: the signed token
# in the address is what authorizes it. GET only shows the button (link scanners fetch GETs).
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method not in {"GET", "POST"}:
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    if request.method == "GET":
        valid = emails.read_unsubscribe_token(token) is not None
        return render(
            request,
            "notifications/unsubscribe.html",
            {"token": token, "done": False, "error": "" if valid else INVALID_LINK},
            status=200 if valid else 400,
        )
    try:
        check_unsubscribe(token)
    except ActionError as error:
        return render(
            request,
            "notifications/unsubscribe.html",
            {"token": token, "done": False, "error": error.message},
            status=error.status,
        )
    return render(request, "notifications/unsubscribe.html", {"done": True})


INVALID_LINK = _("This unsubscribe link is not valid. Sign in and choose your e-mail settings.")
