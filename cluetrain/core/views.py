from django.http import HttpResponse
from django.shortcuts import render

from cluetrain.core.feed import NEW, build_feed
from cluetrain.core.requests import HtmxHttpRequest


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
