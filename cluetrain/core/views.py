"""The site's own error page for server errors."""

from django.conf import settings
from django.http import HttpRequest, HttpResponseServerError
from django.template.loader import render_to_string


def server_error(request: HttpRequest) -> HttpResponseServerError:
    """500.html in the site's layout, rendered without the request's context processors.

    Those read the session and the database, which may be what failed; the page needs
    neither (the navigation shows the signed-out links).
    """
    html = render_to_string("500.html", {"SITE_NAME": settings.SITE_NAME})
    return HttpResponseServerError(html)
