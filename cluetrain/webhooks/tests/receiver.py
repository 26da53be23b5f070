"""Real servers on 127.0.0.1 for webhook tests: a receiver that verifies, and bad answerers.

The receiver checks every request with the `standardwebhooks` package, as a customer's
receiver would, once the test gives it the endpoint's secret.
"""

import contextlib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    # Whether `standardwebhooks` accepted the signature (None: no secret was given).
    verified: bool | None = None


@dataclass
class Receiver:
    url: str
    port: int
    # Status codes to answer with, in turn; the last one repeats.
    statuses: list[int] = field(default_factory=lambda: [200])
    # Sent back with every answer: what a receiver might say that staff must not see.
    answer_body: bytes = b""
    answer_headers: dict[str, str] = field(default_factory=dict)
    secret: str | None = None
    requests: list[Received] = field(default_factory=list)


def _verified(secret: str | None, headers: dict[str, str], body: bytes) -> bool | None:
    if secret is None:
        return None
    try:
        Webhook(secret).verify(body, headers)
    except WebhookVerificationError:
        return False
    return True


@contextmanager
def receiver(
    statuses: list[int] | None = None,
    answer_body: bytes = b"",
    host: str = "127.0.0.1",
    port: int = 0,
) -> Iterator[Receiver]:
    state = Receiver(url="", port=0, statuses=statuses or [200], answer_body=answer_body)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = dict(self.headers.items())
            verified = _verified(state.secret, headers, body)
            state.requests.append(Received(headers, body, verified))
            index = min(len(state.requests), len(state.statuses)) - 1
            self.send_response(401 if verified is False else state.statuses[index])
            for name, value in state.answer_headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(state.answer_body)))
            self.end_headers()
            self.wfile.write(state.answer_body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        address_family = socket.AF_INET6 if ":" in host else socket.AF_INET

    server = Server((host, port), Handler)
    state.port = server.server_address[1]
    state.url = f"http://{f'[{host}]' if ':' in host else host}:{state.port}/hook"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connections are refused), for now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@contextmanager
def hung_endpoint() -> Iterator[str]:
    """Accepts TCP connections (the kernel does) but never answers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
    finally:
        sock.close()


@contextmanager
def banner_endpoint(banner: bytes) -> Iterator[str]:
    """A service that is not HTTP (SSH, a database): says its banner to whoever connects."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.05)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with connection:
                connection.sendall(banner)
                # Then waits for the client to speak its protocol, as SSH does, until it leaves.
                connection.settimeout(2)
                with contextlib.suppress(OSError):
                    while connection.recv(4096):
                        pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
    finally:
        stop.set()
        thread.join()
        sock.close()
