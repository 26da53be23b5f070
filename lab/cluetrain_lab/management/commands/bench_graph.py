"""`cluetrain bench_graph`: PageRank on the Epinions trust + ratings graph, ours beside igraph
and networkit, in the same run.

Each library runs in its own fresh process (multiprocessing, spawn), so the peak resident
memory of one does not hide another's. Inside that process: load the edge arrays, note the
resident high-water mark, build the library's graph, run PageRank (damping 0.85, dangling mass
spread uniformly), note the time and the new high-water mark. igraph's PRPACK solves the
system directly (about 1e-12), so it is the reference: every result is reported with its L1
distance to it and the overlap of its top 100. The memory-bandwidth floor of one CSR
matrix-vector pass (numpy copy bandwidth x the bytes such a pass must touch) is measured in
the same run.
"""

import gzip
import json
import multiprocessing
import os
import platform
import resource
import shlex
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]
from django.core.management.base import BaseCommand, CommandError, CommandParser
from numpy.typing import NDArray
from tqdm import tqdm

from cluetrain_lab.datasets import default_data, missing_data_message

DATA = "ratings_epinions_ciao"  # under $CLUETRAIN_DATA, unless --data names the folder
DAMPING = 0.85
#: L1 change at which our power iteration stops; networkit gets the same number.
TOLERANCE = 1e-10
TOP = 100
#: PageRank runs per library on the same built graph; the median time is reported.
REPEATS = 3
LIBRARIES = ("scipy (ours)", "igraph", "networkit")


def _read_columns(path: Path, columns: tuple[int, int]) -> NDArray[np.int64]:
    with gzip.open(path, "rt") as handle:
        header = handle.readline()
        if not header.strip():
            raise CommandError(f"{path} is empty")
        table = np.loadtxt(handle, delimiter=",", usecols=columns, dtype=np.int64, ndmin=2)
    return table


def load_epinions(folder: Path) -> tuple[NDArray[np.int64], NDArray[np.int64], int]:
    """Arcs truster -> trustee and rater -> product as 0-based arrays, and the node count.

    Products get their own ids after the users', so the graph has both kinds of node.
    """
    ratings = _read_columns(folder / "epinions_ratings.csv.gz", (0, 1))
    trust = _read_columns(folder / "epinions_trust.csv.gz", (0, 1))
    users = np.unique(np.concatenate([ratings[:, 0], trust.ravel()]))
    products = np.unique(ratings[:, 1])
    user_code = np.searchsorted(users, np.concatenate([trust[:, 0], trust[:, 1], ratings[:, 0]]))
    product_code = len(users) + np.searchsorted(products, ratings[:, 1])
    n_trust = len(trust)
    sources = np.concatenate([user_code[:n_trust], user_code[2 * n_trust :]])
    targets = np.concatenate([user_code[n_trust : 2 * n_trust], product_code])
    return sources, targets, len(users) + len(products)


def _reset_peak_rss() -> bool:
    """Reset the kernel's resident high-water mark (Linux ``clear_refs``); False if not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_rss_bytes() -> int:
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def _current_rss_bytes() -> int:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def _run_library(name: str, edge_file: str, n: int) -> dict[str, Any]:
    """In a fresh process: build ``name``'s graph, run PageRank, measure it."""
    arrays = np.load(edge_file)
    sources, targets = arrays["sources"], arrays["targets"]
    # Import every library before the baseline, so its code is not counted as the run's memory.
    for module in ("igraph", "networkit", "scipy.sparse"):
        import_module(module)

    peak_was_reset = _reset_peak_rss()
    start_rss = _current_rss_bytes()
    started = time.perf_counter()
    iterations: list[int | None] = [None]
    solve: Callable[[], NDArray[np.float64]]
    if name == "scipy (ours)":
        from cluetrain_analytics.graph.influence import pagerank_vector

        matrix = sp.csr_array((np.ones(len(sources)), (sources, targets)), shape=(n, n))

        def solve() -> NDArray[np.float64]:
            return pagerank_vector(matrix, damping=DAMPING, tol=TOLERANCE)

    elif name == "igraph":
        import igraph  # type: ignore[import-untyped]

        graph = igraph.Graph(n=n, edges=np.column_stack([sources, targets]), directed=True)

        def solve() -> NDArray[np.float64]:
            return np.array(graph.pagerank(damping=DAMPING, implementation="prpack"))

    else:
        import networkit as nk  # type: ignore[import-untyped]

        network = nk.GraphFromCoo(
            (np.ones(len(sources)), (sources, targets)), n=n, weighted=False, directed=True
        )

        def solve() -> NDArray[np.float64]:
            algorithm = nk.centrality.PageRank(
                network,
                damp=DAMPING,
                tol=TOLERANCE,
                distributeSinks=nk.centrality.SinkHandling.DistributeSinks,
            )
            algorithm.norm = nk.centrality.Norm.L1_NORM
            algorithm.run()
            iterations[0] = int(algorithm.numberOfIterations())
            return np.array(algorithm.scores())

    built = time.perf_counter()
    times = []
    for _ in range(REPEATS):
        solve_started = time.perf_counter()
        scores = solve()
        times.append(time.perf_counter() - solve_started)
    return {
        "build_s": built - started,
        "pagerank_s": float(np.median(times)),
        "pagerank_runs_s": times,
        "iterations": iterations[0],
        "peak_rss_mb": _peak_rss_bytes() / 2**20,
        "peak_rss_added_mb": (_peak_rss_bytes() - start_rss) / 2**20,
        "peak_measured_from_start": peak_was_reset,
        "scores": (scores / scores.sum()).tolist(),
    }


def _copy_bandwidth(size_bytes: int = 512 * 2**20, repeats: int = 5) -> float:
    """Bytes per second of the fastest of ``repeats`` large numpy copies (read + write)."""
    source = np.ones(size_bytes // 8)
    target = np.empty_like(source)
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        np.copyto(target, source)
        best = min(best, time.perf_counter() - started)
    return 2 * size_bytes / best


def _our_pass_seconds(sources: NDArray[np.int64], targets: NDArray[np.int64], n: int) -> float:
    matrix = sp.csr_array((np.ones(len(sources)), (targets, sources)), shape=(n, n))
    vector = np.ones(n)
    times = []
    for _ in range(20):
        started = time.perf_counter()
        matrix @ vector
        times.append(time.perf_counter() - started)
    return float(np.median(times))


def _machine() -> dict[str, Any]:
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": model,
        "cpus": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }


class Command(BaseCommand):
    help = "Benchmark PageRank on the Epinions trust + ratings graph: ours, igraph, networkit."
    requires_system_checks: list[str] = []  # reads files only: no database, no URLs

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data",
            type=Path,
            default=default_data(DATA),
            help=f"the {DATA} folder (default: $CLUETRAIN_DATA/{DATA})",
        )
        parser.add_argument("--out", type=Path, default=Path("benchmarks"))

    def handle(self, *args: Any, **options: Any) -> None:
        missing = [name for name in ("igraph", "networkit") if find_spec(name) is None]
        if missing:
            raise CommandError(
                f"{' and '.join(missing)} missing: pip install -e lab (the lab brings them)"
            )
        folder: Path | None = options["data"]
        if folder is None:
            raise CommandError(missing_data_message("--data", f"{DATA}/"))
        for name in ("epinions_ratings.csv.gz", "epinions_trust.csv.gz"):
            if not (folder / name).is_file():
                raise CommandError(f"{folder / name} is missing")
        machine = _machine()
        self.stdout.write("Reading the Epinions ratings and trust edges...")
        sources, targets, n = load_epinions(folder)
        results: dict[str, dict[str, Any]] = {}
        context = multiprocessing.get_context("spawn")
        with tempfile.TemporaryDirectory() as scratch:
            edge_file = str(Path(scratch) / "edges.npz")
            np.savez(edge_file, sources=sources, targets=targets)
            with context.Pool(1, maxtasksperchild=1) as pool:
                for name in tqdm(LIBRARIES, desc="PageRank per library", unit="library"):
                    results[name] = pool.apply(_run_library, (name, edge_file, n))
        reference = np.array(results["igraph"]["scores"])
        reference_top = set(np.argsort(-reference, kind="stable")[:TOP].tolist())
        for result in results.values():
            scores = np.array(result.pop("scores"))
            result["l1_distance_to_igraph"] = float(np.abs(scores - reference).sum())
            top = set(np.argsort(-scores, kind="stable")[:TOP].tolist())
            result["top100_overlap_with_igraph"] = len(top & reference_top)
        bandwidth = _copy_bandwidth()
        nnz = len(sources)
        # One CSR pass reads indptr (int32), indices (int32) and data (float64) once, the
        # vector at least once, and writes the result once.
        pass_bytes = (n + 1) * 4 + nnz * (4 + 8) + 2 * n * 8
        report = {
            "command": " ".join(["cluetrain bench_graph", shlex.join(sys.argv[2:])]).strip(),
            "graph": {
                "what": "Epinions trust (truster -> trustee) + ratings (rater -> product), "
                "the 80 % of each file in shared/data",
                "nodes": n,
                "arcs": nnz,
            },
            "pagerank": {"damping": DAMPING, "tolerance_l1": TOLERANCE, "dangling": "uniform"},
            "machine": machine,
            "results": results,
            "floor": {
                "copy_bandwidth_gb_s": bandwidth / 1e9,
                "csr_pass_bytes": pass_bytes,
                "floor_ms_per_pass": pass_bytes / bandwidth * 1e3,
                "scipy_ms_per_pass": _our_pass_seconds(sources, targets, n) * 1e3,
            },
        }
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        (out / "graph-epinions.json").write_text(json.dumps(report, indent=2) + "\n")
        (out / "graph-epinions.md").write_text(_markdown(report))
        self.stdout.write(f"Wrote {out / 'graph-epinions.json'} and {out / 'graph-epinions.md'}")


def _markdown(report: dict[str, Any]) -> str:
    graph, machine, floor = report["graph"], report["machine"], report["floor"]
    lines = [
        "# PageRank on the Epinions trust + ratings graph",
        "",
        f"Command: `{report['command']}` (written by it; see docs/influence.md).",
        "",
        f"Graph: {graph['what']}: {graph['nodes']:,} nodes, {graph['arcs']:,} arcs. PageRank "
        f"damping {report['pagerank']['damping']}, dangling mass spread uniformly; ours and "
        f"networkit stop at an L1 change below {report['pagerank']['tolerance_l1']:g}; igraph "
        "(PRPACK) solves directly and is the reference.",
        "",
        f"Machine: {machine['cpu']}, {machine['cpus']} CPUs, {machine['memory_gb']} GiB, "
        f"Python {machine['python']}, load average before the run {machine['load_average_before']}"
        " (the machine is shared: trust ratios more than absolute times).",
        "",
        "| library | build s | PageRank s | iterations | peak RSS MiB | added by the run MiB "
        "| L1 to igraph | top-100 overlap |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in report["results"].items():
        lines.append(
            f"| {name} | {r['build_s']:.3f} | {r['pagerank_s']:.3f} | {r['iterations'] or '-'} "
            f"| {r['peak_rss_mb']:.0f} | {r['peak_rss_added_mb']:.0f} "
            f"| {r['l1_distance_to_igraph']:.1e} | {r['top100_overlap_with_igraph']} |"
        )
    lines += [
        "",
        f"Floor: numpy copies {floor['copy_bandwidth_gb_s']:.1f} GB/s here; one CSR pass must "
        f"touch {floor['csr_pass_bytes'] / 1e6:.1f} MB, so it costs at least "
        f"{floor['floor_ms_per_pass']:.2f} ms; scipy takes {floor['scipy_ms_per_pass']:.2f} ms "
        "per pass (median of 20).",
        "",
    ]
    return "\n".join(lines)
