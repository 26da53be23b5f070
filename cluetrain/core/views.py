"""The site's own error page for server errors."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string

from cluetrain.core.outage import current_outage, unavailable_response


def server_error(request: HttpRequest) -> HttpResponse:
    """500.html in the site's layout, rendered without the request's context processors.

    Those read the session and the database, which may be what failed; the page needs
    neither (the navigation shows the signed-out links). A database outage met outside a view
    (a middleware saving the session, say) is a 503 instead (core.outage).
    """
    outage = current_outage()
    if outage is not None:
        return unavailable_response(request, outage)
    html = render_to_string("500.html", {"SITE_NAME": settings.SITE_NAME})
    return HttpResponseServerError(html)
