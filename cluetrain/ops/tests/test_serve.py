"""What `cluetrain serve` says at start-up about where background tasks run."""

from cluetrain.ops.management.commands.serve import background_tasks_line


def test_the_console_says_where_background_tasks_run() -> None:
    assert background_tasks_line("database", run_worker=True) == "a worker beside the server"
    # --no-worker with the database queue: tasks are queued and wait for `cluetrain worker`,
    # they are not run in the request (the console said "in-request" before).
    no_worker = background_tasks_line("database", run_worker=False)
    assert "queued" in no_worker
    assert "cluetrain worker" in no_worker
    assert background_tasks_line("immediate", run_worker=False) == "in-request"
