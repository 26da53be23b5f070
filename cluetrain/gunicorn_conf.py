"""gunicorn's configuration for Cluetrain: `gunicorn -c python:cluetrain.gunicorn_conf ...`.

gunicorn writes `Server: gunicorn` into every response itself, after the application has
answered, and has no setting to leave it out; telling every visitor which server (and so
which bugs) to try is needless. Loading this module (gunicorn reads it in the master, before
the workers fork) removes that one line from the headers gunicorn writes. The test in
cluetrain/core/tests/test_security.py starts gunicorn with and without it, so a gunicorn
release that changes how it writes headers fails there, not silently.
"""

from typing import Any

from gunicorn.http import wsgi

_gunicorns_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(self: Any) -> list[str]:
    headers: list[str] = _gunicorns_default_headers(self)
    return [line for line in headers if not line.lower().startswith("server:")]


wsgi.Response.default_headers = _default_headers_without_server
