"""What views know about a request beyond Django's own type."""

import ipaddress
from typing import TYPE_CHECKING

from django.conf import settings
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
    """The address the request came from.

    Behind a reverse proxy the server sees the proxy's address for every request (gunicorn
    never takes it from a forwarding header), and limits by address would count all clients
    as one: with settings.CLIENT_ADDRESS_HEADER the proxy's header says it. Its last entry is
    the one our proxy wrote (X-Forwarded-For lists the addresses a client claimed first); a
    value that is not an address falls back to the server's.
    """
    if settings.CLIENT_ADDRESS_HEADER:
        forwarded = str(request.META.get(settings.CLIENT_ADDRESS_HEADER, ""))
        candidate = forwarded.rsplit(",", 1)[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return str(request.META.get("REMOTE_ADDR") or "unknown")
