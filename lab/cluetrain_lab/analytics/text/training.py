"""Train a text tier from a TweetEval folder and write the model with its training report.

The fast tier needs only scikit-learn; the accurate tier (``tier="accurate"``) needs the
``accurate`` extra and is imported only when asked for.
"""

import json
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sklearn  # type: ignore[import-untyped]

from cluetrain_analytics.text.fast import MODEL_PATH, save_fast_tier, train_fast_tier
from cluetrain_analytics.text.tweeteval import TASKS, scores
from cluetrain_lab.analytics.text.tweeteval import load_split
from cluetrain_lab.datasets import shown_path

__all__ = ["TIERS", "train_from_folder"]

TIERS = ("fast", "accurate")


def train_from_folder(
    data: str | Path,
    out: str | Path = MODEL_PATH.parent,
    *,
    random_state: int = 42,
    tier: str = "fast",
    params: dict[str, Any] | None = None,
    log: Callable[[str], None] = lambda message: None,
    unlabelled: tuple[list[str], Any] | None = None,
) -> dict[str, Any]:
    """Train on ``DATA/<task>/train_*``, score on ``DATA/<task>/val_*``, save under ``out``.

    Writes ``text-fast.joblib``, ``text-fast-report.json`` and ``text-fast-report.md`` (or
    ``text-accurate.*`` for ``tier="accurate"``); returns the report. The test splits are
    never read. ``params`` overrides the accurate tier's training settings.
    """
    if tier not in TIERS:
        raise ValueError(f"unknown tier {tier!r}; expected one of {', '.join(TIERS)}")
    data, out = Path(data), Path(out)
    if tier == "accurate":
        return _train_accurate(data, out, random_state=random_state, params=params, log=log)
    train = {task: load_split(data / task, "train", task=task) for task in TASKS}
    log("train sizes: " + ", ".join(f"{task} {len(train[task][1])}" for task in TASKS))
    # unlabelled: texts and the accurate tier's MiniLM sentiment log-probabilities (distillation).
    model = train_fast_tier(train, random_state=random_state, unlabelled=unlabelled)
    log(f"fitted in {model.report['fit_seconds']} s")
    val_metrics = {}
    for task in TASKS:
        texts, labels = load_split(data / task, "val", task=task)
        val_metrics[task] = {"n": len(labels), **scores(task, labels, model.predict(task, texts))}
        log(f"val {task}: official {val_metrics[task]['official']}")
    path = save_fast_tier(model, out / MODEL_PATH.name)
    report = {
        "model": path.name,
        "version": model.version,
        "size_bytes": path.stat().st_size,
        "data": shown_path(data),
        "sentiment_train": "rebuilt train (train_text_rebuilt.txt.gz)",
        **model.report,
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


def _train_accurate(
    data: Path,
    out: Path,
    *,
    random_state: int,
    params: dict[str, Any] | None,
    log: Callable[[str], None],
) -> dict[str, Any]:
    """Fine-tune the accurate tier (train splits), select on val, write it and its report."""
    import torch

    from cluetrain_analytics.text import accurate

    train = {task: load_split(data / task, "train", task=task) for task in TASKS}
    val = {task: load_split(data / task, "val", task=task) for task in TASKS}
    log("train sizes: " + ", ".join(f"{task} {len(train[task][1])}" for task in TASKS))
    threads = accurate.configure_threads()
    log(f"torch threads: {threads}")
    tier = accurate.train_accurate_tier(
        train, val, fast=_fast_tier_for(out), params=params, random_state=random_state, log=log
    )
    val_metrics = {}
    for task in TASKS:
        texts, labels = val[task]
        val_metrics[task] = {"n": len(labels), **scores(task, labels, tier.predict(task, texts))}
        log(f"val {task}: official {val_metrics[task]['official']}")
    path = accurate.save_accurate_tier(tier, out / accurate.WEIGHTS_PATH.name)
    report = {
        "model": path.name,
        "version": tier.version,
        "size_bytes": path.stat().st_size,
        "data": shown_path(data),
        "sentiment_train": "rebuilt train (train_text_rebuilt.txt.gz)",
        **tier.report,
        "val": val_metrics,
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": platform.python_version(),
        "torch": torch.__version__,
    }
    (out / "text-accurate-report.json").write_text(json.dumps(report, indent=2) + "\n")
    (out / "text-accurate-report.md").write_text(_accurate_markdown(report))
    return report


def _fast_tier_for(out: Path) -> Any:
    """The fast tier the accurate one is fused with: the one in ``out``, or the shipped one."""
    from cluetrain_analytics.text.fast import load_fast_tier

    local = out / MODEL_PATH.name
    # load_fast_tier() with no argument shares the process-wide copy of the shipped model.
    return load_fast_tier(local) if local.exists() and local != MODEL_PATH else load_fast_tier()


def _accurate_markdown(report: dict[str, Any]) -> str:
    rows = "\n".join(
        f"| {task} | {report['train_sizes'][task]} | {m['n']} | {m['official']} | "
        f"{report['fast_weight'][task]} | {m['accuracy']} | {m['macro_f1']} | {m['macro_recall']} |"
        for task, m in report["val"].items()
    )
    epochs = "\n".join(
        f"| {entry['epoch']} | {entry['loss']} | "
        + " | ".join(str(entry["val_official_minilm"][task]) for task in TASKS)
        + f" | {entry['seconds']} |"
        for entry in report["history"]
    )
    return f"""# Accurate text tier: training report

Weights `{report["model"]}` ({report["size_bytes"] / 1e6:.1f} MB: the fine-tuned top layer(s)
and the four heads in float16; the base model is the shipped all-MiniLM-L6-v2, not copied),
version `{report["version"]}`, seed {report["random_state"]}, trained {report["trained_at"]} in
{report["fit_seconds"]} s on the CPU (Python {report["python"]}, torch {report["torch"]}).
Fused with fast tier `{report["fast_version"]}`. Sentiment is trained on the
{report["sentiment_train"]}. Train splits only for fitting; val only for model selection
(the epoch kept and each task's fusion weight); the test splits are never read.

| task | train | val | val official | fast-tier weight | accuracy | macro F1 | macro recall |
|---|---|---|---|---|---|---|---|
{rows}

Per epoch, MiniLM heads alone (before fusion), val official metric; epoch
{report["best_epoch"]} was kept (best mean over the four tasks):

| epoch | train loss | {" | ".join(TASKS)} | seconds |
|---|---|{"---|" * len(TASKS)}---|
{epochs}

Official metric: sentiment macro recall; emotion and offensive macro F1; irony F1 of the irony
class. Parameters: `{json.dumps(report["params"])}`.
"""
