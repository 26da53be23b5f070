import pytest
from pytest_django.live_server_helper import LiveServer

from cluetrain.bench.loadgen import run_load


@pytest.mark.django_db(transaction=True)
def test_load_generator_counts_answers_and_errors(live_server: LiveServer) -> None:
    ok = run_load(
        f"{live_server.url}/bench/bare/",
        clients=3,
        warmup_s=0.2,
        duration_s=0.5,
        processes=1,
        startup_allowance_s=1.0,
    )
    assert len(ok.latencies_s) > 0
    assert all(0 < s < 30 for s in ok.latencies_s)  # 30 s: the client timeout
    assert (ok.errors, ok.error_examples) == (0, [])

    missing = run_load(
        f"{live_server.url}/bench/no-such-page/",
        clients=2,
        warmup_s=0.2,
        duration_s=0.5,
        processes=2,
        startup_allowance_s=1.0,
    )
    assert missing.errors == len(missing.latencies_s) > 0
    assert missing.error_examples[0] == "HTTP 404"
