from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest


class RejectNullCharactersMiddleware:
    """Answer 400 to a query string carrying NUL characters, which PostgreSQL cannot store or
    search for; form fields already refuse them (Django's ProhibitNullCharactersValidator)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or "\x00" in value for key, value in request.GET.items()
        ):
            return HttpResponseBadRequest(
                "Null characters are not allowed in the address.", content_type="text/plain"
            )
        return self.get_response(request)
