"""The assembled JSON API: the one NinjaAPI object with every app's router, and its URLs.

The top of the layers (pyproject.toml's import contracts): apps build their routers with the
toolkit in cluetrain.api (auth, pagination, errors, schemas) and never import this module.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.urls import URLPattern, path, re_path
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI

from cluetrain.api.auth import MEMBER_AUTH
from cluetrain.api.errors import error_body, install_handlers
from cluetrain.api.token_api import router as tokens
from cluetrain.blogs.api import router as blogs
from cluetrain.expertise.api import router as expertise
from cluetrain.ideas.api import router as ideas
from cluetrain.intents.api import router as intents
from cluetrain.jams.api import router as jams
from cluetrain.members.api import router as members
from cluetrain.moderation.api import router as moderation
from cluetrain.notifications.api import router as notifications
from cluetrain.orders.api import router as orders
from cluetrain.partners.api import router as partners
from cluetrain.relationships.api import router as relationships
from cluetrain.reviews.api import router as reviews
from cluetrain.search.api import router as search
from cluetrain.spaces.api import router as spaces
from cluetrain.threads.api import router as threads

api = NinjaAPI(
    title="Cluetrain API",
    version="1",
    description=(
        "The community's everyday work, as in the pages; data export, account deletion, "
        "webhooks, imports and the staff dashboards are in the pages only (docs/api.md). "
        "Authenticate with a personal token "
        "(`Authorization: Bearer ct_...`, from /settings/tokens/) or the browser session. "
        'Errors: `{"error": {"code", "message", "field", "details"}}`. Lists take '
        "`cursor` and `limit` (at most 100) and answer `next`."
    ),
    auth=MEMBER_AUTH,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_handlers(api)


ROUTERS = (
    spaces,
    threads,
    reviews,
    ideas,
    members,
    search,
    notifications,
    moderation,
    tokens,
    relationships,
    expertise,
    partners,
    intents,
    orders,
    jams,
    blogs,
)
for router in ROUTERS:
    api.add_router("", router)


@csrf_exempt  # it changes nothing; and a token client sends no CSRF token
def api_not_found(request: HttpRequest) -> JsonResponse:
    # A path no operation matches still answers in the API's error format.
    return JsonResponse(error_body("not_found", gettext("No such API endpoint.")), status=404)


def _method_not_allowed_as_json(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Ninja answers a method no operation of the path takes with a bare text "Method not
    allowed"; this answers it in the API's error format instead, keeping the Allow header.

    Ninja also refuses HEAD; HTTP servers must take it wherever they take GET (RFC 9110, and
    Django's own views do), so a HEAD is answered as the GET, without its body.
    """

    @wraps(view)  # keeps csrf_exempt, which Ninja's views carry
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method != "HEAD":
            return _as_json_if_not_allowed(request, view(request, *args, **kwargs))
        request.method = "GET"
        response = view(request, *args, **kwargs)
        request.method = "HEAD"
        response = _as_json_if_not_allowed(request, response)
        if isinstance(response, HttpResponse):
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    return answer


def _as_json_if_not_allowed(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    if not isinstance(response, HttpResponseNotAllowed):
        return response
    # Ninja lists the methods from a set: sorted, the header is the same every time.
    methods = {method.strip() for method in response["Allow"].split(",")}
    allowed = ", ".join(sorted(methods | ({"HEAD"} if "GET" in methods else set())))
    message = gettext("This endpoint does not take %(method)s; it takes %(allowed)s.") % {
        "method": request.method,
        "allowed": allowed,
    }
    refused = JsonResponse(error_body("method_not_allowed", message), status=405)
    refused["Allow"] = allowed
    return refused


def _api_urls() -> tuple[list[Any], str, str]:
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _method_not_allowed_as_json(pattern.callback)
        if isinstance(pattern, URLPattern) and pattern.name == "api-root":
            # Ninja's root answers Django's HTML 404; every other unknown path is JSON.
            pattern.callback = api_not_found
    return patterns, app_name, namespace


urlpatterns = [
    path("api/", _api_urls()),
    re_path(r"^api/", api_not_found),
]
