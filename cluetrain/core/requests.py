"""What views know about a request beyond Django's own type."""

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:  # for annotations only: core sits below every domain app
    from cluetrain.members.models import Member


class HtmxHttpRequest(HttpRequest):
    """For type checking: django-htmx's middleware adds `request.htmx` to every request."""

    htmx: HtmxDetails


def signed_in_member(request: HttpRequest) -> "Member":
    """The member behind a view guarded by login_required (or a stricter decorator)."""
    # The user model is Member (AUTH_USER_MODEL): a signed-in user is one.
    assert request.user.is_authenticated
    return request.user


def client_address(request: HttpRequest) -> str:
    """The address the request came from, as the server saw it.

    Behind a reverse proxy this is the proxy's, unless the WSGI server is told to trust its
    forwarding header (gunicorn's `forwarded_allow_ips`); limits by address then count the
    proxy as one client. Never read X-Forwarded-For here: any client can set it.
    """
    return str(request.META.get("REMOTE_ADDR") or "unknown")
