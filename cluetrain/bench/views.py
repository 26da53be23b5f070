from django.http import HttpRequest, HttpResponse


def bare(request: HttpRequest) -> HttpResponse:
    # The yardstick for `cluetrain bench web`: the full middleware stack, no template, no query.
    return HttpResponse("ok", content_type="text/plain")
