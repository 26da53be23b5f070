"""One error format for every refused API request.

    {"error": {"code": "...", "message": "...", "field": "<name or null>", "details": [...]}}

Pydantic's errors are turned into messages that name the field, from ERROR_TEMPLATES: a test
fails when an error type without a template can reach a client (the Zulip discipline).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from cluetrain.core.errors import ActionError

# Pydantic error type -> message; `{field}` and the error's context (`ctx`) fill it in.
# Translated when the message is made, in the request's language (docs/i18n.md).
ERROR_TEMPLATES: dict[str, Promise] = {
    "missing": _("{field}: This field is required"),
    "extra_forbidden": _("{field}: Unknown field"),
    "string_type": _("{field}: Input should be a string"),
    "string_too_short": _("{field}: Should have at least {min_length} characters"),
    "string_too_long": _("{field}: Should have at most {max_length} characters"),
    "string_pattern_mismatch": _("{field}: Should match the pattern {pattern}"),
    "string_unicode": _("{field}: Input should be a valid string"),
    "int_type": _("{field}: Input should be a whole number"),
    "int_parsing": _("{field}: Input should be a whole number"),
    "int_parsing_size": _("{field}: The number is too large"),
    "int_from_float": _("{field}: Input should be a whole number"),
    "bool_type": _("{field}: Input should be true or false"),
    "bool_parsing": _("{field}: Input should be true or false"),
    "greater_than": _("{field}: Input should be greater than {gt}"),
    "greater_than_equal": _("{field}: Input should be greater than or equal to {ge}"),
    "less_than": _("{field}: Input should be less than {lt}"),
    "less_than_equal": _("{field}: Input should be less than or equal to {le}"),
    "literal_error": _("{field}: Input should be {expected}"),
    "enum": _("{field}: Input should be {expected}"),
    "model_type": _("{field}: Input should be an object"),
    "model_attributes_type": _("{field}: Input should be an object"),
    "dict_type": _("{field}: Input should be an object"),
    "list_type": _("{field}: Input should be a list"),
    "too_short": _("{field}: Should have at least {min_length} items"),
    "too_long": _("{field}: Should have at most {max_length} items"),
    "json_invalid": _("{field}: Invalid JSON"),
    "json_type": _("{field}: Invalid JSON"),
    "value_error": _("{field}: {error}"),
    "none_required": _("{field}: Input should be null"),
    "float_type": _("{field}: Input should be a number"),
    "decimal_parsing": _("{field}: Input should be a number"),
    "decimal_type": _("{field}: Input should be a number"),
    "decimal_max_digits": _("{field}: Should have at most {max_digits} digits"),
    "decimal_max_places": _("{field}: Should have at most {decimal_places} decimal places"),
    "decimal_whole_digits": _(
        "{field}: Should have at most {whole_digits} digits before the point"
    ),
    "finite_number": _("{field}: Input should be a finite number"),
    "date_type": _("{field}: Input should be a date (YYYY-MM-DD)"),
    "date_parsing": _("{field}: Input should be a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": _("{field}: Input should be a date (YYYY-MM-DD)"),
    "date_from_datetime_inexact": _("{field}: Input should be a date without a time"),
    "datetime_type": _("{field}: Input should be a date and time (ISO 8601)"),
    "datetime_parsing": _("{field}: Input should be a date and time (ISO 8601)"),
    "datetime_from_date_parsing": _("{field}: Input should be a date and time (ISO 8601)"),
}


# Types whose message carries a count: worded with the count's plural form ("at least 1
# character", not "1 characters"), keyed by the context value that is the count.
COUNTED_TEMPLATES: dict[str, tuple[str, Callable[[int], str]]] = {
    "string_too_short": (
        "min_length",
        lambda count: ngettext(
            "{field}: Should have at least {min_length} character",
            "{field}: Should have at least {min_length} characters",
            count,
        ),
    ),
    "string_too_long": (
        "max_length",
        lambda count: ngettext(
            "{field}: Should have at most {max_length} character",
            "{field}: Should have at most {max_length} characters",
            count,
        ),
    ),
    "too_short": (
        "min_length",
        lambda count: ngettext(
            "{field}: Should have at least {min_length} item",
            "{field}: Should have at least {min_length} items",
            count,
        ),
    ),
    "too_long": (
        "max_length",
        lambda count: ngettext(
            "{field}: Should have at most {max_length} item",
            "{field}: Should have at most {max_length} items",
            count,
        ),
    ),
}


def error_body(
    code: str, message: str, *, field: str | None = None, details: list[Any] | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field, "details": details or []}}


# What pydantic says of a request body that is missing or is not a JSON object.
NOT_AN_OBJECT = {"missing", "model_type", "model_attributes_type", "dict_type"}


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str | None:
    """The field at fault, or None for the request body as a whole."""
    # Ninja's locations start with where the value came from and the parameter's name
    # ("body", "payload", "stars"); the client knows the field by the last parts.
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "payload")]
    return ".".join(parts) or None


def validation_message(error: dict[str, Any]) -> str:
    template = ERROR_TEMPLATES.get(error["type"])
    field = _field_name(error.get("loc", ()))
    if field is None and error["type"] in NOT_AN_OBJECT:
        # No body, or one that is not an object: naming it "body" read as the posts' field.
        return gettext("Send a JSON object as the request body.")
    field = field or "body"
    fallback = gettext("{field}: {error}")
    if template is None:
        return fallback.format(field=field, error=error.get("msg", gettext("Invalid input")))
    ctx = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    wording = str(template)
    counted = COUNTED_TEMPLATES.get(error["type"])
    if counted is not None and ctx.get(counted[0], "").isdigit():
        wording = counted[1](int(ctx[counted[0]]))
    try:
        return wording.format(field=field, **ctx)
    except (KeyError, IndexError):
        return fallback.format(field=field, error=error.get("msg", gettext("Invalid input")))


def _respond(
    api: NinjaAPI, request: HttpRequest, status: int, body: dict[str, Any]
) -> HttpResponse:
    return api.create_response(request, body, status=status)


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


CODES = {400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "not_found"}
CODES |= {405: "method_not_allowed", 409: "conflict", 429: "rate_limited"}


def install_handlers(api: NinjaAPI) -> None:
    """Every 4xx the API can answer goes through here, in the one format."""

    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        details = [
            {
                "type": error["type"],
                "field": _field_name(error.get("loc", ())),
                "message": validation_message(error),
            }
            for error in exc.errors
        ]
        first = details[0] if details else {"field": None, "message": gettext("Invalid input.")}
        body = error_body("invalid", first["message"], field=first["field"], details=details)
        return _respond(api, request, 400, body)

    @api.exception_handler(ActionError)
    def on_action_error(request: HttpRequest, exc: ActionError) -> HttpResponse:
        code = CODES.get(exc.status, "refused")
        body = error_body(code, exc.message, field=exc.field)
        response = _respond(api, request, exc.status, body)
        if exc.status == 429 and exc.retry_after is not None:
            # The action's own window (a minute for posting, an hour for flags and tokens).
            response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = gettext("Log in, or send a valid token as 'Authorization: Bearer <token>'.")
        response = _respond(api, request, 401, error_body("unauthorized", message))
        # Every 401 must name the scheme to use (RFC 9110); a token that was sent and refused
        # is said to be invalid (RFC 6750), so a client knows to make a new one.
        sent = "Authorization" in request.headers
        response["WWW-Authenticate"] = 'Bearer realm="api"' + (
            ', error="invalid_token"' if sent else ""
        )
        return response

    @api.exception_handler(RateLimited)
    def on_rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        message = gettext("Too many requests with this token; retry in {seconds} seconds.").format(
            seconds=exc.retry_after
        )
        response = _respond(api, request, 429, error_body("rate_limited", message))
        response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(Throttled)
    def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        return _respond(
            api, request, 429, error_body("rate_limited", gettext("Too many requests."))
        )

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = CODES.get(exc.status_code, "error")
        return _respond(api, request, exc.status_code, error_body(code, str(exc.message)))

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        message = str(exc) or gettext("Not found.")
        return _respond(api, request, 404, error_body("not_found", message))


@contextmanager
def fields_named(**api_names: str) -> Iterator[None]:
    """Name a refused action's field as this endpoint's input does: actions name the page
    form's field (`body`), which the API may call otherwise (`body_md`)."""
    try:
        yield
    except ActionError as error:
        if error.field in api_names:
            error.field = api_names[error.field]
        raise
