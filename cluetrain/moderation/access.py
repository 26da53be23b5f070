"""Moderation pages and verbs are for moderators and admins only."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from cluetrain.core.access import not_found
from cluetrain.core.errors import ActionError
from cluetrain.members.models import Member
from cluetrain.moderation.models import Flag, Screening

View = Callable[..., HttpResponse]


def moderator_required(view: Callable[..., HttpResponse]) -> View:
    """Log in first; then anyone but a moderator or admin gets a 403 page that says why."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        user = request.user
        if not isinstance(user, Member) or not user.can_moderate:
            error = ActionError(gettext("Only moderators can do this."), status=403)
            return render(request, "threads/refused.html", {"error": error}, status=403)
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def access_flag(flag_id: int) -> Flag:
    """A flag, for the moderators these pages and endpoints are already limited to."""
    flag = Flag.objects.select_related("post__thread", "reporter").filter(pk=flag_id).first()
    if flag is None:
        raise not_found(gettext("No such flag."))
    return flag


def access_screening(screening_id: int) -> Screening:
    """A screened contribution, for the moderators these pages and endpoints are limited to."""
    found = (
        Screening.objects.select_related("author", "post__thread").filter(pk=screening_id).first()
    )
    if found is None:
        raise not_found(gettext("No such held contribution."))
    return found
