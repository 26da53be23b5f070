from django.http import HttpRequest, HttpResponse


def not_built_yet(request: HttpRequest, **kwargs: object) -> HttpResponse:
    # Placeholder while the page is written; replaced app by app.
    return HttpResponse("This page is not built yet.", status=501, content_type="text/plain")
