"""TweetEval data: the file layout, the label mappings and the official metrics."""

import gzip
from collections.abc import Sequence
from pathlib import Path

from sklearn.metrics import accuracy_score, f1_score, recall_score  # type: ignore[import-untyped]

__all__ = ["LABELS", "TASKS", "load_split", "scores"]

#: Label names in the TweetEval integer mapping.
LABELS: dict[str, tuple[str, ...]] = {
    "sentiment": ("negative", "neutral", "positive"),
    "emotion": ("anger", "joy", "optimism", "sadness"),
    "irony": ("non_irony", "irony"),
    "offensive": ("not-offensive", "offensive"),
}
TASKS = tuple(LABELS)


def _read_lines(path: Path) -> list[str]:
    for candidate in (path, path.with_name(path.name + ".gz")):
        if candidate.exists():
            opener = gzip.open if candidate.suffix == ".gz" else open
            with opener(candidate, "rt", encoding="utf-8") as file:
                return file.read().splitlines()
    raise FileNotFoundError(f"neither {path} nor {path}.gz exists")


def load_split(folder: str | Path, split: str, *, task: str = "") -> tuple[list[str], list[int]]:
    """Read ``{split}_text.txt`` and ``{split}_labels.txt`` (either possibly ``.gz``).

    For sentiment's train split, whose official text is missing from the public copies, the
    rebuilt files (``train_text_rebuilt.txt``, ``train_labels_rebuilt.txt``) are used when the
    official text is absent.
    """
    folder = Path(folder)
    stem = split
    if task == "sentiment" and split == "train":
        official = folder / "train_text.txt"
        if not official.exists() and not official.with_name("train_text.txt.gz").exists():
            stem = "train_rebuilt"
    suffix = "_rebuilt" if stem == "train_rebuilt" else ""
    texts = _read_lines(folder / f"{split}_text{suffix}.txt")
    labels = _read_lines(folder / f"{split}_labels{suffix}.txt")
    return _checked(texts, labels, folder)


def _checked(texts: list[str], labels: list[str], folder: Path) -> tuple[list[str], list[int]]:
    # A trailing blank line in a label file is not an item.
    labels = [label for label in labels if label.strip()]
    if len(texts) != len(labels):
        raise ValueError(f"{folder}: {len(texts)} texts but {len(labels)} labels")
    return texts, [int(label) for label in labels]


def scores(task: str, y_true: Sequence[int], y_pred: Sequence[int]) -> dict[str, float]:
    """Accuracy, macro F1, macro recall and the task's official TweetEval metric, in percent.

    The official metric is macro recall for sentiment, F1 of the irony class for irony and
    macro F1 otherwise.

    >>> scores("irony", [0, 1, 1, 0], [0, 1, 0, 0])["official"]
    66.67
    """
    labels = list(range(len(LABELS[task])))
    result = {
        "accuracy": accuracy_score(y_true, y_pred),
        "macro_f1": f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0),
        "macro_recall": recall_score(
            y_true, y_pred, labels=labels, average="macro", zero_division=0
        ),
    }
    if task == "sentiment":
        result["official"] = result["macro_recall"]
    elif task == "irony":
        result["official"] = f1_score(y_true, y_pred, pos_label=1, zero_division=0)
    else:
        result["official"] = result["macro_f1"]
    return {name: round(100 * float(value), 2) for name, value in result.items()}
