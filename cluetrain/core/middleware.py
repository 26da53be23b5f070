"""Where every request enters: input that no view should ever see is refused here, once.

- A control character (Unicode category Cc: NUL, the other C0 codes, DEL and C1) in the path
  or the query string is a 400, and so is one in a form field, except tab, CR and LF (a
  textarea's line breaks). PostgreSQL cannot store NUL in text at all, so such a value
  reaching a query was a 500; the others are never typed by a person and only hide text.
- A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE (files uploaded in a form aside) is a 413,
  answered before it is read; Django would raise RequestDataTooBig wherever a view first read
  it, and answer an HTML 400 even under /api/.

Under /api/ a refusal comes in the API's JSON error shape (cluetrain.api.errors), elsewhere as
the site's error page. JSON bodies are left to the API, which refuses NUL field by field.
"""

import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template import TemplateDoesNotExist, loader
from django.utils.html import escape
from django.utils.translation import gettext
from django.views.defaults import ERROR_PAGE_TEMPLATE

API_PREFIX = "/api/"
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_EXCEPT_LINE_BREAKS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_TITLES = {400: "Bad Request", 413: "Request Too Large"}
_CODES = {400: "invalid", 413: "too_large"}


class Refusal(Exception):
    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


class RefuseBadInputMiddleware:
    """Refuses control characters and oversized bodies before any view runs (see above)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            check_request_input(request)
        except Refusal as refusal:
            return refusal_response(request, refusal)
        return self.get_response(request)


def check_request_input(request: HttpRequest) -> None:
    """Raise Refusal for a path, query string, form field or body size no view may see."""
    if _CONTROL.search(request.path):
        raise Refusal(400, gettext("The address contains a control character (such as NUL)."))
    try:
        _check_fields(request.GET.lists(), _CONTROL)
        content_type = request.content_type or ""
        # A multipart POST streams its files to disk and Django counts only its other fields
        # against the limit (while they are read, below); any other body is read whole.
        streamed = request.method == "POST" and content_type == "multipart/form-data"
        if not streamed and _content_length(request) > _body_limit():
            raise _too_large()
        if request.method == "POST" and content_type in FORM_CONTENT_TYPES:
            _check_fields(request.POST.lists(), _CONTROL_EXCEPT_LINE_BREAKS)
    except RequestDataTooBig:
        raise _too_large() from None
    except (TooManyFieldsSent, TooManyFilesSent) as error:
        raise Refusal(400, str(error)) from None
    except MultiPartParserError as error:
        raise Refusal(
            400, gettext("The form data could not be read: %(error)s") % {"error": error}
        ) from None


def _check_fields(fields: Iterable[tuple[str, list[str]]], pattern: re.Pattern[str]) -> None:
    for name, values in fields:
        if pattern.search(name):
            raise Refusal(400, gettext("A field name contains a control character (such as NUL)."))
        if any(pattern.search(value) for value in values):
            raise Refusal(
                400,
                gettext("%(field)s: Control characters (such as NUL) are not allowed")
                % {"field": name},
                name,
            )


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _body_limit() -> float:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return float("inf") if limit is None else limit


def _too_large() -> Refusal:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return Refusal(
        413,
        gettext("The request body is larger than the %(limit)s bytes allowed.")
        % {"limit": f"{limit:,}"},
    )


def refusal_response(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    if request.path_info.startswith(API_PREFIX):
        # The API's error shape (cluetrain.api.errors.error_body), written out because the
        # core does not import the API.
        body: dict[str, object] = {
            "error": {
                "code": _CODES[refusal.status],
                "message": refusal.message,
                "field": refusal.field,
                "details": [],
            }
        }
        return JsonResponse(body, status=refusal.status)
    # The site's error page for the status when there is one (rendered without the request,
    # as Django renders its own 400 page: the request is what was refused), else Django's.
    try:
        template = loader.get_template(f"{refusal.status}.html")
    except TemplateDoesNotExist:
        page = ERROR_PAGE_TEMPLATE % {
            "title": f"{_TITLES[refusal.status]} ({refusal.status})",
            "details": escape(refusal.message),
        }
    else:
        page = template.render({"message": refusal.message})
    return HttpResponse(page, status=refusal.status)
