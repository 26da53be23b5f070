"""How the shipped forecaster (``cluetrain_analytics/models/spread-forecaster.joblib``) is made.

    python -m cluetrain_lab.analytics.spread.shipped ../shared/data/cascades_twitter1516

trains :class:`~cluetrain_analytics.spread.forecast.CascadeForecaster` with its defaults on
every cascade of the folder (seeded) and writes the model and a Markdown training report.
The product loads it with ``cluetrain_analytics.spread.shipped.load_forecaster``.
"""

import argparse
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import sklearn  # type: ignore[import-untyped]
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from cluetrain_analytics.artifacts import save_artifact
from cluetrain_analytics.spread.cascades import read_cascades
from cluetrain_analytics.spread.forecast import CascadeForecaster
from cluetrain_analytics.spread.shipped import MODEL_PATH

__all__ = ["SHIPPED_DOUBLING_KS", "main", "train_and_save"]

#: The evaluation's k and the larger ones where doubling is not a foregone conclusion.
SHIPPED_DOUBLING_KS = (5, 10, 20, 50, 100, 200)


def train_and_save(
    folder: str | Path,
    out: str | Path = MODEL_PATH,
    *,
    observe_minutes: float = 60.0,
    seed: int = 0,
) -> str:
    """Fit on every cascade of ``folder``, save to ``out``, write ``<out stem>-report.md``.

    Returns the report's text.
    """
    started = time.perf_counter()
    cascades = list(read_cascades(folder).values())
    forecaster = CascadeForecaster(
        observe_minutes=observe_minutes, doubling_ks=SHIPPED_DOUBLING_KS, random_state=seed
    ).fit(cascades)
    seconds = time.perf_counter() - started
    out = Path(out)
    # With the manifest of library versions that load_forecaster checks (docs/artifacts.md).
    save_artifact(forecaster, out, compress=3)
    sizes = np.asarray([cascade.size for cascade in cascades])
    rows = []
    for k in SHIPPED_DOUBLING_KS:
        reached = int((sizes >= k).sum())
        doubled = int((sizes >= 2 * k).sum())
        rows.append(f"| {k} | {reached} | {doubled / max(reached, 1):.3f} |")
    doubling_rows = "\n".join(rows)
    report = f"""# Spread forecaster: training report

Model `{out.name}` ({out.stat().st_size / 1e6:.1f} MB), `CascadeForecaster` with its default
hyperparameters (chosen by cross-validation on a training split only: docs/spread.md),
`observe_minutes={observe_minutes:g}`, `random_state={seed}`, doubling for k in
{", ".join(map(str, SHIPPED_DOUBLING_KS))}.

Trained {datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")} in {seconds:.1f} s (Python
{platform.python_version()}, scikit-learn {sklearn.__version__}) on every cascade of
`{Path(folder).name}`: {len(cascades)} cascades, {int(sizes.sum())} distinct shares (final size:
median {int(np.median(sizes))}, min {int(sizes.min())}, max {int(sizes.max())}).

Made by `python -m cluetrain_lab.analytics.spread.shipped FOLDER` (the folder above). Its
accuracy on cascades it never saw is measured on a split instead:
`benchmarks/spread-twitter1516.md`.

| k | training cascades with k shares | share of them that reached 2k |
|---|---|---|
{doubling_rows}
"""
    out.with_name(f"{out.stem}-report.md").write_text(report, encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> int:
    """Command line: ``FOLDER [--out PATH] [--observe-minutes M] [--seed S]``."""
    parser = argparse.ArgumentParser(prog="python -m cluetrain_lab.analytics.spread.shipped")
    parser.add_argument("folder", help="cascades in the cascades_twitter1516 layout")
    parser.add_argument("--out", default=str(MODEL_PATH))
    parser.add_argument("--observe-minutes", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args(argv)
    try:
        # One thread: OpenMP spin-waiting made boosting far slower on a shared 2-core machine.
        with threadpool_limits(1):
            report = train_and_save(
                options.folder,
                options.out,
                observe_minutes=options.observe_minutes,
                seed=options.seed,
            )
    except (FileNotFoundError, ValueError) as error:
        sys.stderr.write(f"shipped: {error}\n")
        return 2
    sys.stdout.write(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
