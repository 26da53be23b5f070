"""TweetEval's files: a folder per task, ``{split}_text.txt`` beside ``{split}_labels.txt``.

The label names and official metrics are the product's (``cluetrain_analytics.text.tweeteval``).
"""

from pathlib import Path

from cluetrain_lab.files import open_bytes

__all__ = ["load_split"]


def _read_lines(path: Path) -> list[str]:
    """One item a line. Lines end at "\n" only (a "\r" before it is dropped): a tweet holding
    U+2028, U+0085 or a lone "\r", which str.splitlines would cut in two, stays one item and
    keeps the texts beside their labels. A byte-order mark is dropped; gzip told by its bytes."""
    for candidate in (path, path.with_name(path.name + ".gz")):
        if candidate.exists():
            with open_bytes(candidate) as file:
                try:
                    text = file.read().decode("utf-8-sig")
                except UnicodeDecodeError as error:
                    raise ValueError(f"{candidate}: not UTF-8 text ({error.reason})") from None
            lines = [line.removesuffix("\r") for line in text.split("\n")]
            return lines[:-1] if lines and lines[-1] == "" else lines
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
