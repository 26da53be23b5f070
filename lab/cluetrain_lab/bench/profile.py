"""`cluetrain bench profile`: where one page's time goes, in this process, under cProfile.

The page is requested through Django's WSGI handler (the same middleware, session cookie and
templates as under gunicorn, without the network), first to warm up, then timed, then under
the profiler. Run it against the benchmark's data (`--data-dir` of `bench web`), with
BENCH_VIEWS on for the yardsticks.
"""

import cProfile
import io
import pstats
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection


@dataclass(frozen=True)
class Profile:
    path: str
    ms_per_request: float
    queries: list[str]
    stats: str


def profile_page(path: str, session_key: str, *, requests: int, top: int) -> Profile:
    app = WSGIHandler()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session_key}" if session_key else ""
    # As a browser: the CSRF cookie the first answer sets is sent back afterwards.
    first = _request(app, path, cookie)
    csrf = first.get(settings.CSRF_COOKIE_NAME)
    if csrf:
        cookie = f"{cookie}; {settings.CSRF_COOKIE_NAME}={csrf}".lstrip("; ")
    for _ in range(20):
        _request(app, path, cookie)
    # Not CaptureQueriesContext: each request starts by clearing the connection's query log.
    queries: list[str] = []

    def record(execute: Callable[..., object], sql: str, *args: object) -> object:
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(record):
        _request(app, path, cookie)
    started = time.perf_counter()
    for _ in range(requests):
        _request(app, path, cookie)
    ms = (time.perf_counter() - started) / requests * 1000
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        _request(app, path, cookie)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return Profile(path, round(ms, 3), queries, out.getvalue())


def _request(app: WSGIHandler, path: str, cookie: str) -> dict[str, str]:
    """GET `path`; the cookies the answer sets. Anything but a 200 is an error."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path.split("?")[0],
        "QUERY_STRING": path.partition("?")[2],
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": cookie,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }
    answer: dict[str, str] = {}

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: object = None
    ) -> Callable[[bytes], object]:
        if not status.startswith("200"):
            raise RuntimeError(f"{path} answered {status}")
        for name, value in headers:
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                answer[key] = rest.split(";")[0]
        return lambda data: None  # the WSGI write(), which Django never calls

    body = app(environ, start_response)
    b"".join(body)
    return answer
