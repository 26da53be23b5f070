"""The load generator: closed-loop clients, each on its own persistent HTTP connection.

Runs in worker processes of its own (never in the server's), started by `cluetrain bench web`.
Each client sends a request, waits for the answer, and sends the next one at once, so the
number of requests in flight is always the number of clients.

The clients share the machine with the server, so every CPU second they spend is one the
server does not get: they use aiohttp, whose C parser costs a fraction of httpx's pure-Python
stack per request, and report their own CPU time beside every figure.
"""

import asyncio
import time
from dataclasses import dataclass, field
from multiprocessing import get_context

import aiohttp

_STARTUP_ALLOWANCE_S = 2.0  # time to spawn the load-generator processes


@dataclass
class Samples:
    latencies_s: list[float] = field(default_factory=list)
    errors: int = 0
    error_examples: list[str] = field(default_factory=list)
    # CPU seconds the load generator itself used, over all its processes: near one core per
    # process means the clients, not the server, may be the bottleneck.
    client_cpu_s: float = 0.0
    wall_s: float = 0.0

    def add(self, other: "Samples") -> None:
        self.latencies_s.extend(other.latencies_s)
        self.errors += other.errors
        self.client_cpu_s += other.client_cpu_s
        self.wall_s = max(self.wall_s, other.wall_s)
        self.error_examples.extend(other.error_examples[: 5 - len(self.error_examples)])


async def _client(
    url: str, cookies: dict[str, str], start: float, stop: float, out: Samples
) -> None:
    # start and stop are wall-clock (time.time) so that every process measures the same window.
    # One connection per client, kept alive: like a browser tab, not a new TCP handshake each
    # time; and a cookie jar of its own, so cookies the site sets (the CSRF token) are sent
    # back as a browser would. unsafe: the jar keeps cookies of an IP address (127.0.0.1).
    connector = aiohttp.TCPConnector(limit=1)
    timeout = aiohttp.ClientTimeout(total=30.0)
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, cookies=cookies, cookie_jar=jar
    ) as session:
        while time.time() < stop:
            sent = time.perf_counter()
            error = ""
            try:
                async with session.get(url, allow_redirects=False) as response:
                    await response.read()
                    if response.status != 200:
                        error = f"HTTP {response.status}"
            except (aiohttp.ClientError, TimeoutError) as exc:
                error = f"{type(exc).__name__}: {exc}"
            latency = time.perf_counter() - sent
            if not start <= time.time() <= stop:
                continue  # warm-up, or finished after the window closed
            out.latencies_s.append(latency)
            if error:
                out.errors += 1
                if len(out.error_examples) < 5:
                    out.error_examples.append(error)


async def _run_clients(
    url: str, clients: int, cookies: dict[str, str], start: float, stop: float
) -> Samples:
    out = Samples()
    await asyncio.gather(*(_client(url, cookies, start, stop, out) for _ in range(clients)))
    return out


def _process_main(
    url: str, clients: int, cookies: dict[str, str], start: float, stop: float
) -> Samples:
    cpu, wall = time.process_time(), time.perf_counter()
    samples = asyncio.run(_run_clients(url, clients, cookies, start, stop))
    samples.client_cpu_s = time.process_time() - cpu
    samples.wall_s = time.perf_counter() - wall
    return samples


def run_load(
    url: str,
    *,
    clients: int,
    warmup_s: float,
    duration_s: float,
    cookies: dict[str, str] | None = None,
    processes: int = 1,
    startup_allowance_s: float = _STARTUP_ALLOWANCE_S,
) -> Samples:
    """Load `url` with `clients` concurrent clients spread over `processes` processes.

    Samples are those that completed inside the measured window, after `warmup_s`.
    """
    processes = max(1, min(processes, clients))
    shares = [clients // processes + (i < clients % processes) for i in range(processes)]
    total = Samples()
    # The window opens after the warm-up, counted from when the slowest process should be up.
    start = time.time() + startup_allowance_s + warmup_s
    stop = start + duration_s
    # "spawn": fresh interpreters with no Django state or DB connections from the parent.
    # Leaving the block terminates the workers, so an interrupted bench leaves none behind.
    with get_context("spawn").Pool(len(shares)) as pool:
        jobs = [(url, share, cookies or {}, start, stop) for share in shares]
        for samples in pool.starmap(_process_main, jobs):
            total.add(samples)
    return total
