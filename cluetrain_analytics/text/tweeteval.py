"""TweetEval's label mappings and official metrics: what the text tiers predict and are scored on.

The reader of the TweetEval files is in the lab (``cluetrain_lab.analytics.text.tweeteval``).
"""

from collections.abc import Sequence

from sklearn.metrics import accuracy_score, f1_score, recall_score  # type: ignore[import-untyped]

__all__ = ["LABELS", "TASKS", "scores"]

#: Label names in the TweetEval integer mapping.
LABELS: dict[str, tuple[str, ...]] = {
    "sentiment": ("negative", "neutral", "positive"),
    "emotion": ("anger", "joy", "optimism", "sadness"),
    "irony": ("non_irony", "irony"),
    "offensive": ("not-offensive", "offensive"),
}
TASKS = tuple(LABELS)


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
