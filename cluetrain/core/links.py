"""Links that work outside the site (e-mails, webhook payloads, API answers): SITE_URL plus
the path, since no request says where the site is served."""

from django.conf import settings
from django.urls import reverse


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def absolute_url(name: str, *args: object) -> str:
    """The full address of the page named `name` (a URL pattern's name) with `args`."""
    return site_url(reverse(name, args=args))
