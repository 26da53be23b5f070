"""Staff: accounts the reputation defences flagged, with the reasons."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from cluetrain.core.requests import signed_in_member
from cluetrain.reputation.models import FlaggedAccount, Reputation


@login_required
def flagged(request: HttpRequest) -> HttpResponse:
    if not signed_in_member(request).is_company_staff:
        raise PermissionDenied(gettext("Flagged accounts are for staff."))
    return render(
        request,
        "reputation/flagged.html",
        {
            "flagged": FlaggedAccount.objects.select_related("member").order_by("member__username"),
            "top": Reputation.objects.filter(member__isnull=False, ratings__gte=1)
            .select_related("member")
            .order_by("-score")[:20],
        },
    )
