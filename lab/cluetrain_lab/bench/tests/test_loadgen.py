import httpx
import pytest
from pytest_django.live_server_helper import LiveServer

from cluetrain_lab.bench.loadgen import run_load

# The yardsticks are served only with BENCH_VIEWS on; these tests use the URLs it adds.
pytestmark = pytest.mark.urls("cluetrain_lab.bench.tests.urls")
# Spawning a client process took over 3 s on a busy 2-core machine (load average 9).
STARTUP_S = 4.0


@pytest.mark.django_db(transaction=True)
def test_load_generator_counts_answers_and_errors(live_server: LiveServer) -> None:
    # First, as `bench web` does: the first request imports every view (seconds on a busy machine).
    assert httpx.get(f"{live_server.url}/bench/bare/", timeout=60).status_code == 200
    ok = run_load(
        f"{live_server.url}/bench/bare/",
        clients=3,
        warmup_s=0.2,
        duration_s=1.0,
        processes=1,
        startup_allowance_s=STARTUP_S,
    )
    assert len(ok.latencies_s) > 0
    assert all(0 < s < 30 for s in ok.latencies_s)  # 30 s: the client timeout
    assert (ok.errors, ok.error_examples) == (0, [])

    missing = run_load(
        f"{live_server.url}/bench/no-such-page/",
        clients=2,
        warmup_s=0.2,
        duration_s=1.0,
        processes=2,
        startup_allowance_s=STARTUP_S,
    )
    assert missing.errors == len(missing.latencies_s) > 0
    assert missing.error_examples[0] == "HTTP 404"
