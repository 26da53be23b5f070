"""While the database is down: a 503 that says so, instead of a 500.

A lost connection, a restarting PostgreSQL or a SQLite file that is locked or cannot be opened
raise Django's OperationalError or InterfaceError wherever a view, a template or a middleware
first touches the database. The answer is 503 Service Unavailable with a Retry-After header:
under /api/ in the API's JSON error shape, elsewhere as the site's error page, rendered
without the request (its context processors read the session and the database).

Nothing needs restarting afterwards: Django closes a connection that met an error at the end
of the request (close_if_unusable_or_obsolete), and the next request opens a new one.
"""

import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
RETRY_AFTER_SECONDS = 30
UNAVAILABLE = (OperationalError, InterfaceError)

logger = logging.getLogger("cluetrain.outage")


def is_database_outage(error: BaseException | None) -> bool:
    return isinstance(error, UNAVAILABLE)


def unavailable_response(request: HttpRequest, error: BaseException) -> HttpResponse:
    """The 503 for a request that met `error`, logged once with its traceback."""
    logger.error(
        "Database unavailable during %s %s: %s",
        request.method,
        request.path,
        error,
        exc_info=(type(error), error, error.__traceback__),
    )
    message = _("The database is unavailable for a moment. Please try again shortly.")
    response: HttpResponse
    if request.path_info.startswith(API_PREFIX):
        # The API's error shape (cluetrain.api.errors.error_body): the core does not import it.
        body: dict[str, object] = {
            "error": {"code": "unavailable", "message": message, "field": None, "details": []}
        }
        response = JsonResponse(body, status=503)
    else:
        html = render_to_string(
            "503.html",
            {"SITE_NAME": settings.SITE_NAME, "retry_after": RETRY_AFTER_SECONDS},
        )
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    """Turns a database outage met by a view (or its template) into the 503 above.

    An outage met by another middleware (saving the session, say) reaches handler500, which
    answers the same way (core.views.server_error).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_outage(exception):
            return unavailable_response(request, exception)
        return None


def current_outage() -> BaseException | None:
    """The database error being handled now, if that is what is being handled (handler500)."""
    error = sys.exc_info()[1]
    return error if is_database_outage(error) else None
