"""gunicorn's configuration for Cluetrain: `gunicorn -c python:cluetrain.gunicorn_conf ...`.

gunicorn writes `Server: gunicorn` into every response itself, after the application has
answered, and has no setting to leave it out; telling every visitor which server (and so
which bugs) to try is needless. Loading this module (gunicorn reads it in the master, before
the workers fork) removes that one line from the headers gunicorn writes. The test in
cluetrain/core/tests/test_security.py starts gunicorn with and without it, so a gunicorn
release that changes how it writes headers fails there, not silently.

The access log (`--access-logfile`, which `cluetrain serve` sets from ACCESS_LOG) keeps
gunicorn's combined format, less what must not be written down: `AccessLog` below.
"""

from typing import Any
from urllib.parse import urlsplit

from gunicorn import glogging
from gunicorn.http import wsgi

from cluetrain.core.logs import redacted_path

_gunicorns_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(self: Any) -> list[str]:
    headers: list[str] = _gunicorns_default_headers(self)
    return [line for line in headers if not line.lower().startswith("server:")]


wsgi.Response.default_headers = _default_headers_without_server


def redacted_url(url: str) -> str:
    """A Referer as logged: no user name or password, no query string, no secrets in the path."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "-"
    if not parts.scheme:
        return "-" if url in {"", "-"} else redacted_path(parts.path)
    host = parts.netloc.rsplit("@", 1)[-1]
    return f"{parts.scheme}://{host}{redacted_path(parts.path)}"


class AccessLog(glogging.Logger):  # type: ignore[misc] # gunicorn is untyped
    """gunicorn's combined log format, with nothing in it that lets a reader in.

    Query strings are left out (search words, `?next=`, whatever a link carries), secret parts
    of paths are `[redacted]` (the unsubscribe token, the password-reset uid and token), in
    the request line and in the Referer alike. Header and environment atoms (`%({cookie}i)s`)
    are not offered. The client address is the one the site itself believes: from
    CLIENT_ADDRESS_HEADER behind a proxy (core/requests.py).
    """

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> Any:
        from django.http import HttpRequest

        from cluetrain.core.requests import client_address

        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        raw = str(environ.get("RAW_URI") or environ.get("PATH_INFO") or "/")
        # An absolute-form request line (`GET http://host/path`) has its path after the host.
        path = raw if raw.startswith("/") else urlsplit(raw).path
        path = redacted_path(path.split("?", 1)[0])
        request = HttpRequest()
        request.META = environ
        atoms |= {
            "h": client_address(request),
            "r": f"{environ.get('REQUEST_METHOD')} {path} {environ.get('SERVER_PROTOCOL')}",
            "U": path,
            "q": "-",
            "f": redacted_url(str(environ.get("HTTP_REFERER", "-"))),
        }
        return {name: value for name, value in atoms.items() if not name.startswith("{")}


logger_class = AccessLog
