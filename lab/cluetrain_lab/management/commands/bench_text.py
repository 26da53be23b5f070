"""`cluetrain bench_text`: messages/s and peak memory of the text tiers on twcs inbound tweets.

Every configuration runs in fresh processes (``spawn``), so peaks never mix and each tier pays
its own imports: VADER (the anchor), the fast tier and the accurate tier, each on one core
(pinned with ``os.sched_setaffinity``, BLAS and torch limited to one thread) and on two cores
(VADER and the fast tier: two pinned worker processes, each on half of the messages; the
accurate tier: one process on both cores with two torch threads). Model loading and a short
warm-up are excluded from the timing; ``analyze`` (all four classifications) is what is timed,
as the platform's enrichment calls it.
"""

import csv
import gzip
import json
import multiprocessing
import os
import platform
import resource
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from cluetrain_lab.datasets import default_data, missing_data_message, shown_path

DATA = "twcs/twcs_subset.csv.gz"  # under $CLUETRAIN_DATA, unless --data names the file
TIERS = ("vader", "fast", "accurate")
#: Messages handed to ``analyze`` at a time, as an enrichment batch would be.
CHUNK = 256
WARM_UP = 64


def inbound_texts(path: Path) -> list[str]:
    """The text of every inbound (customer) tweet of a twcs CSV, in file order."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        if reader.fieldnames is None or not {"inbound", "text"} <= set(reader.fieldnames):
            raise ValueError(f"{path} is not a twcs CSV (it needs 'inbound' and 'text' columns)")
        return [row["text"] for row in reader if row["inbound"] == "True"]


def _analyzer(tier: str) -> Any:
    """The tier's batch function, loaded (outside the timing)."""
    if tier == "vader":
        from cluetrain_analytics.text.features import _vader

        polarity = _vader().polarity_scores
        return lambda texts: [polarity(text) for text in texts]
    if tier == "fast":
        from cluetrain_analytics.text.fast import load_fast_tier

        return load_fast_tier().analyze
    from cluetrain_analytics.text.accurate import load_accurate_tier

    return load_accurate_tier().analyze


def _worker(
    tier: str,
    cpus: list[int],
    threads: int,
    texts: Sequence[str],
    start: Any,
    results: Any,
    position: int,
) -> None:
    """Run in a fresh process: pin, load, wait for the others, time ``analyze``, report."""
    os.sched_setaffinity(0, cpus)
    # Before any numerical import, so that BLAS and torch start with this many threads.
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(threads)
    os.environ["CLUETRAIN_TORCH_THREADS"] = str(threads)
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    loading = time.perf_counter()
    analyze = _analyzer(tier)
    analyze(list(texts[:WARM_UP]))
    load_seconds = time.perf_counter() - loading
    start.wait()
    with threadpool_limits(limits=threads):
        started = time.perf_counter()
        chunks = range(0, len(texts), CHUNK)
        for offset in tqdm(chunks, desc=f"{tier} cpu{cpus}", position=position, leave=False):
            analyze(list(texts[offset : offset + CHUNK]))
        seconds = time.perf_counter() - started
    results.put(
        {
            "messages": len(texts),
            "seconds": seconds,
            "load_seconds": load_seconds,
            "peak_rss_mb": _peak_rss_mb(),
        }
    )


def _peak_rss_mb() -> float:
    """This process's peak resident memory since it started (Linux ``VmHWM``).

    Not ``getrusage``: its ``ru_maxrss`` survives ``exec`` and so starts at the parent's size.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(tier: str, cores: int, texts: Sequence[str], cpus: Sequence[int]) -> dict[str, Any]:
    """One configuration in fresh processes; throughput over the slowest worker's time."""
    context = multiprocessing.get_context("spawn")
    if tier == "accurate" or cores == 1:
        plan = [(list(cpus[:cores]), cores, list(texts))]
    else:
        half = len(texts) // 2
        plan = [([cpus[0]], 1, list(texts[:half])), ([cpus[1]], 1, list(texts[half:]))]
    start, results = context.Barrier(len(plan)), context.Queue()
    workers = [
        # Daemons: an interrupted benchmark leaves no worker behind.
        context.Process(
            target=_worker,
            args=(tier, cpu_set, threads, part, start, results, position + 1),
            daemon=True,
        )
        for position, (cpu_set, threads, part) in enumerate(plan)
    ]
    for worker in workers:
        worker.start()
    reports = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
        if worker.exitcode:
            raise RuntimeError(f"the {tier} worker failed with exit code {worker.exitcode}")
    messages = sum(report["messages"] for report in reports)
    seconds = max(report["seconds"] for report in reports)
    return {
        "tier": tier,
        "cores": cores,
        "processes": len(plan),
        "threads_per_process": plan[0][1],
        "messages": messages,
        "seconds": round(seconds, 2),
        "messages_per_s": round(messages / seconds, 1),
        "load_seconds": round(max(report["load_seconds"] for report in reports), 2),
        # Two processes hold two copies of the model: their peaks add up.
        "peak_rss_mb": round(sum(report["peak_rss_mb"] for report in reports), 1),
    }


def _machine() -> dict[str, Any]:
    model = platform.processor()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _markdown(report: dict[str, Any]) -> str:
    rows = "\n".join(
        f"| {r['tier']} | {r['cores']} | {r['processes']} x {r['threads_per_process']} | "
        f"{r['messages']:,} | {r['seconds']} | {r['messages_per_s']:,.0f} | "
        f"{r['peak_rss_mb']:,.0f} | {r['load_seconds']} |"
        for r in report["results"]
    )
    machine = report["machine"]
    return f"""# Text tiers on twcs inbound tweets: messages/s and peak memory

Written by `{report["command"]}` on {report["date"]}.
Machine: {machine["cpu"]}, {machine["cores"]} cores, {machine["memory_gb"]} GB, Python
{machine["python"]}. Load average (1, 5, 15 min) at the start {report["load_average_start"]},
at the end {report["load_average_end"]}: the machine is shared, so compare rows of one run.

Data: the {report["messages"]:,} inbound (customer) tweets of `{report["data"]}`. Each row
is a fresh set of processes pinned to its cores; timed is `analyze` on batches of {CHUNK}
(VADER: `polarity_scores` per message), model loading and a {WARM_UP}-message warm-up
excluded (shown as load s). Two cores: VADER and the fast tier run two processes, one per core,
each on half of the messages (time of the slower one; peak memory is the sum of both); the
accurate tier runs one process with two torch threads. Peak memory is each process's maximum
resident set size (`VmHWM`), imports included.

| tier | cores | processes x threads | messages | seconds | messages/s | peak RSS MB | load s |
|---|---|---|---|---|---|---|---|
{rows}
"""


class Command(BaseCommand):
    help = "Benchmark the text tiers (messages/s, peak memory) on twcs inbound tweets."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data",
            type=Path,
            default=default_data(DATA),
            help=f"a twcs CSV(.gz) (default: $CLUETRAIN_DATA/{DATA})",
        )
        parser.add_argument("--out", type=Path, default=Path("benchmarks"))
        parser.add_argument(
            "--tiers", default=",".join(TIERS), help=f"comma-separated, of {', '.join(TIERS)}"
        )
        parser.add_argument(
            "--limit", type=int, default=None, help="only the first N inbound tweets"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path | None = options["data"]
        if path is None:
            raise CommandError(missing_data_message("--data", DATA))
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        tiers = [tier.strip() for tier in options["tiers"].split(",") if tier.strip()]
        unknown = sorted(set(tiers) - set(TIERS))
        if not tiers or unknown:
            raise CommandError(f"--tiers takes some of {', '.join(TIERS)}; got {unknown or []}")
        limit = options["limit"]
        if limit is not None and limit < 2:
            raise CommandError("--limit must be at least 2")
        cpus = sorted(os.sched_getaffinity(0))
        if len(cpus) < 2:
            raise CommandError("the benchmark needs two cores to measure the two-core rows")
        try:
            texts = inbound_texts(path)[:limit]
        except (ValueError, OSError, EOFError) as error:
            raise CommandError(str(error)) from error
        if len(texts) < 2:
            raise CommandError(f"{path} has fewer than 2 inbound tweets")
        if "accurate" in tiers:
            _check_accurate_extra()
        load_start = [round(value, 2) for value in os.getloadavg()]
        results = []
        plan = [(tier, cores) for tier in tiers for cores in (1, 2)]
        for tier, cores in tqdm(plan, desc="configurations", position=0):
            results.append(measure(tier, cores, texts, cpus))
            tqdm.write(json.dumps(results[-1]), file=sys.stderr)
        report = {
            "command": " ".join(["cluetrain bench_text", *sys.argv[2:]]),
            "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "machine": _machine(),
            "load_average_start": load_start,
            "load_average_end": [round(value, 2) for value in os.getloadavg()],
            "data": shown_path(path),
            "messages": len(texts),
            "results": results,
        }
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        (out / "text-twcs.json").write_text(json.dumps(report, indent=2) + "\n")
        (out / "text-twcs.md").write_text(_markdown(report))
        self.stdout.write(f"wrote {out / 'text-twcs.json'} and {out / 'text-twcs.md'}")


def _check_accurate_extra() -> None:
    """Fail before any timing when the accurate tier cannot load (no extra, no artifact)."""
    try:
        from cluetrain_analytics.text.accurate import CONFIG_PATH, WEIGHTS_PATH
    except ImportError as error:
        raise CommandError(f"{error}; or leave it out with --tiers vader,fast") from error
    for artifact in (WEIGHTS_PATH, CONFIG_PATH):
        if not artifact.exists():
            raise CommandError(f"{artifact} is missing: train it with train_text --tier accurate")
