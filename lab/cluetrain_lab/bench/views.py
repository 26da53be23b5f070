from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bare(request: HttpRequest) -> HttpResponse:
    # The yardstick for `cluetrain bench web`: the full middleware stack, no template, no query.
    return HttpResponse("ok", content_type="text/plain")


def layout(request: HttpRequest) -> HttpResponse:
    # The second yardstick: the least any page costs a signed-in member (session, member,
    # unread count, the site's layout) and nothing of its own.
    return render(request, "bench/layout.html")
