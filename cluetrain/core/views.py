from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails

from cluetrain.core.feed import NEW, build_feed


class HtmxHttpRequest(HttpRequest):
    """For type checking: django-htmx's middleware adds `request.htmx` to every request."""

    htmx: HtmxDetails


def not_built_yet(request: HttpRequest, **kwargs: object) -> HttpResponse:
    # Placeholder while the page is written; replaced app by app.
    return HttpResponse("This page is not built yet.", status=501, content_type="text/plain")


def _page_number(raw: str | None) -> int:
    try:
        return int(raw or 1)
    except ValueError:
        return 1


def home(request: HtmxHttpRequest) -> HttpResponse:
    feed = build_feed(
        request.user,
        tab=request.GET.get("tab", NEW),
        page=_page_number(request.GET.get("page")),
    )
    template = "core/_feed.html" if request.htmx else "core/home.html"
    return render(request, template, {"feed": feed})
