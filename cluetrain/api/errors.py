"""One error format for every refused API request.

    {"error": {"code": "...", "message": "...", "field": "<name or null>", "details": [...]}}

Pydantic's errors are turned into messages that name the field, from ERROR_TEMPLATES: a test
fails when an error type without a template can reach a client (the Zulip discipline).
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from cluetrain.core.errors import ActionError

# Pydantic error type -> message; `{field}` and the error's context (`ctx`) fill it in.
ERROR_TEMPLATES: dict[str, str] = {
    "missing": "{field}: This field is required",
    "extra_forbidden": "{field}: Unknown field",
    "string_type": "{field}: Input should be a string",
    "string_too_short": "{field}: Should have at least {min_length} characters",
    "string_too_long": "{field}: Should have at most {max_length} characters",
    "string_pattern_mismatch": "{field}: Should match the pattern {pattern}",
    "string_unicode": "{field}: Input should be a valid string",
    "int_type": "{field}: Input should be a whole number",
    "int_parsing": "{field}: Input should be a whole number",
    "int_parsing_size": "{field}: The number is too large",
    "int_from_float": "{field}: Input should be a whole number",
    "bool_type": "{field}: Input should be true or false",
    "bool_parsing": "{field}: Input should be true or false",
    "greater_than": "{field}: Input should be greater than {gt}",
    "greater_than_equal": "{field}: Input should be greater than or equal to {ge}",
    "less_than": "{field}: Input should be less than {lt}",
    "less_than_equal": "{field}: Input should be less than or equal to {le}",
    "literal_error": "{field}: Input should be {expected}",
    "enum": "{field}: Input should be {expected}",
    "model_type": "{field}: Input should be an object",
    "model_attributes_type": "{field}: Input should be an object",
    "dict_type": "{field}: Input should be an object",
    "list_type": "{field}: Input should be a list",
    "too_short": "{field}: Should have at least {min_length} items",
    "too_long": "{field}: Should have at most {max_length} items",
    "json_invalid": "{field}: Invalid JSON",
    "json_type": "{field}: Invalid JSON",
    "value_error": "{field}: {error}",
    "none_required": "{field}: Input should be null",
    "decimal_parsing": "{field}: Input should be a number",
    "decimal_type": "{field}: Input should be a number",
    "decimal_max_digits": "{field}: Should have at most {max_digits} digits",
    "decimal_max_places": "{field}: Should have at most {decimal_places} decimal places",
    "decimal_whole_digits": "{field}: Should have at most {whole_digits} digits before the point",
    "finite_number": "{field}: Input should be a finite number",
    "date_type": "{field}: Input should be a date (YYYY-MM-DD)",
    "date_parsing": "{field}: Input should be a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "{field}: Input should be a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "{field}: Input should be a date without a time",
    "datetime_type": "{field}: Input should be a date and time (ISO 8601)",
    "datetime_parsing": "{field}: Input should be a date and time (ISO 8601)",
    "datetime_from_date_parsing": "{field}: Input should be a date and time (ISO 8601)",
}


def error_body(
    code: str, message: str, *, field: str | None = None, details: list[Any] | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field, "details": details or []}}


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    # Ninja's locations start with where the value came from and the parameter's name
    # ("body", "payload", "stars"); the client knows the field by the last parts.
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "payload")]
    return ".".join(parts) or "body"


def validation_message(error: dict[str, Any]) -> str:
    template = ERROR_TEMPLATES.get(error["type"])
    field = _field_name(error.get("loc", ()))
    if template is None:
        return f"{field}: {error.get('msg', 'Invalid input')}"
    ctx = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    try:
        return template.format(field=field, **ctx)
    except (KeyError, IndexError):
        return f"{field}: {error.get('msg', 'Invalid input')}"


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
        first = details[0] if details else {"field": None, "message": "Invalid input."}
        body = error_body("invalid", first["message"], field=first["field"], details=details)
        return _respond(api, request, 400, body)

    @api.exception_handler(ActionError)
    def on_action_error(request: HttpRequest, exc: ActionError) -> HttpResponse:
        code = CODES.get(exc.status, "refused")
        body = error_body(code, exc.message, field=exc.field)
        response = _respond(api, request, exc.status, body)
        if exc.status == 429:
            response["Retry-After"] = "60"  # the actions' own limits count per minute
        return response

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = "Log in, or send a valid token as 'Authorization: Bearer <token>'."
        return _respond(api, request, 401, error_body("unauthorized", message))

    @api.exception_handler(RateLimited)
    def on_rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        message = f"Too many requests with this token; retry in {exc.retry_after} seconds."
        response = _respond(api, request, 429, error_body("rate_limited", message))
        response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(Throttled)
    def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        return _respond(api, request, 429, error_body("rate_limited", "Too many requests."))

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = CODES.get(exc.status_code, "error")
        return _respond(api, request, exc.status_code, error_body(code, str(exc.message)))

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        message = str(exc) or "Not found."
        return _respond(api, request, 404, error_body("not_found", message))
