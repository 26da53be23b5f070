"""Train the fast tier from a TweetEval folder and write the model with its training report."""

import json
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sklearn  # type: ignore[import-untyped]

from cluetrain_analytics.text.fast import MODEL_PATH, save_fast_tier, train_fast_tier
from cluetrain_analytics.text.tweeteval import TASKS, load_split, scores

__all__ = ["train_from_folder"]


def train_from_folder(
    data: str | Path,
    out: str | Path = MODEL_PATH.parent,
    *,
    random_state: int = 42,
    log: Callable[[str], None] = lambda message: None,
) -> dict[str, Any]:
    """Train on ``DATA/<task>/train_*``, score on ``DATA/<task>/val_*``, save under ``out``.

    Writes ``text-fast.joblib``, ``text-fast-report.json`` and ``text-fast-report.md``;
    returns the report. The test splits are never read.
    """
    data, out = Path(data), Path(out)
    train = {task: load_split(data / task, "train", task=task) for task in TASKS}
    log("train sizes: " + ", ".join(f"{task} {len(train[task][1])}" for task in TASKS))
    tier = train_fast_tier(train, random_state=random_state)
    log(f"fitted in {tier.report['fit_seconds']} s")
    val_metrics = {}
    for task in TASKS:
        texts, labels = load_split(data / task, "val", task=task)
        val_metrics[task] = {"n": len(labels), **scores(task, labels, tier.predict(task, texts))}
        log(f"val {task}: official {val_metrics[task]['official']}")
    path = save_fast_tier(tier, out / MODEL_PATH.name)
    report = {
        "model": path.name,
        "version": tier.version,
        "size_bytes": path.stat().st_size,
        "data": str(data),
        "sentiment_train": "rebuilt train (train_text_rebuilt.txt.gz)",
        **tier.report,
        "val": val_metrics,
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": platform.python_version(),
        "scikit_learn": sklearn.__version__,
    }
    (out / "text-fast-report.json").write_text(json.dumps(report, indent=2) + "\n")
    (out / "text-fast-report.md").write_text(_markdown(report))
    return report


def _markdown(report: dict[str, Any]) -> str:
    rows = "\n".join(
        f"| {task} | {report['train_sizes'][task]} | {m['n']} | {m['official']} | "
        f"{m['accuracy']} | {m['macro_f1']} | {m['macro_recall']} |"
        for task, m in report["val"].items()
    )
    return f"""# Fast text tier: training report

Model `{report["model"]}` ({report["size_bytes"] / 1e6:.1f} MB), version `{report["version"]}`,
seed {report["random_state"]}, trained {report["trained_at"]} in {report["fit_seconds"]} s
(Python {report["python"]}, scikit-learn {report["scikit_learn"]}); {report["n_features"]} features.
Sentiment is trained on the {report["sentiment_train"]}.

| task | train | val | val official | accuracy | macro F1 | macro recall |
|---|---|---|---|---|---|---|
{rows}

Official metric: sentiment macro recall; emotion and offensive macro F1; irony F1 of the irony
class. Parameters: `{json.dumps(report["params"])}`.
"""
