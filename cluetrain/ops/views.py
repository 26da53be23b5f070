"""The staff page on the background queue's health."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from cluetrain.members.models import Member
from cluetrain.ops.health import queue_health

View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not (isinstance(request.user, Member) and request.user.is_company_staff):
            raise PermissionDenied(gettext("The queue's health is for staff."))
        return view(request, *args, **kwargs)

    return wrapped


@staff_required
def queue_health_page(request: HttpRequest) -> HttpResponse:
    return render(request, "ops/queue_health.html", {"health": queue_health()})
