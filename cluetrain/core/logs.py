"""Logging filters (settings.LOGGING).

Django logs a refused request (PermissionDenied: 403) at WARNING on `django.request` with the
exception's traceback; a refusal is the site working, so it gets the one line ("Forbidden
(Permission denied): /path") and no traceback. 5xx keep theirs.

Paths are logged with their secret parts replaced (`redacted_path`): a refused unsubscribe or
password-reset link would otherwise write its token into the log. The access log
(cluetrain/gunicorn_conf.py) uses the same function.
"""

import functools
import logging
import re
from typing import Any
from urllib.parse import unquote


class NoTracebackForClientErrors(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.exc_info and isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True


# URL parameters that are secrets: the unsubscribe link's token, the password-reset link's
# uid and token (Django's `reset/<uidb64>/<token>/`). A new route names its secret `token`.
SECRET_URL_PARAMETERS = frozenset({"token", "uidb64"})
REDACTED = "[redacted]"


@functools.cache
def secret_routes() -> list[re.Pattern[str]]:
    """The full patterns of the site's routes that take a secret parameter, found once.

    Matching these few is cheap; resolving every logged path through all the site's routes
    took a few hundred microseconds a line.
    """
    from django.urls import URLResolver, get_resolver

    found = []

    def walk(entries: list[Any], prefix: str) -> None:
        for entry in entries:
            regex = prefix + entry.pattern.regex.pattern.removeprefix("^")
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, regex)
            elif SECRET_URL_PARAMETERS & set(entry.pattern.regex.groupindex):
                found.append(re.compile(regex))

    walk(get_resolver().url_patterns, "^/")
    return found


def redacted_path(path: str) -> str:
    """`path` as logged: the segments that are secret parameters of its route replaced."""
    readable = unquote(path)
    for route in secret_routes():
        match = route.match(readable)
        if match is not None:
            names = SECRET_URL_PARAMETERS & set(route.groupindex)
            secrets = {match[name] for name in names if match[name]}
            parts = path.split("/")
            return "/".join(REDACTED if unquote(part) in secrets else part for part in parts)
    return path


class SecretPathsRedacted(logging.Filter):
    """`django.request` logs "Bad Request: /unsubscribe/<token>/": the path goes in redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                redacted_path(arg) if isinstance(arg, str) and arg.startswith("/") else arg
                for arg in record.args
            )
        return True
