"""What views know about a request beyond Django's own type."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from cluetrain.members.models import Member


class HtmxHttpRequest(HttpRequest):
    """For type checking: django-htmx's middleware adds `request.htmx` to every request."""

    htmx: HtmxDetails


def signed_in_member(request: HttpRequest) -> Member:
    """The member behind a view guarded by login_required (or a stricter decorator)."""
    assert isinstance(request.user, Member)
    return request.user
