"""Where the public datasets are: a folder given on the command line, or under CLUETRAIN_DATA.

CLUETRAIN_DATA names a folder laid out like the shared data of the project (``twcs/``,
``tweeteval/``, ``ratings_epinions_ciao/``, ...), e.g. ``CLUETRAIN_DATA=../shared/data``.
"""

import os
from pathlib import Path

DATA_ENV = "CLUETRAIN_DATA"


def default_data(relative: str) -> Path | None:
    """``$CLUETRAIN_DATA/relative``, or None when the variable is not set."""
    root = os.environ.get(DATA_ENV, "").strip()
    return Path(root) / relative if root else None


def missing_data_message(option: str, relative: str) -> str:
    """What to say when neither the option nor CLUETRAIN_DATA names the data."""
    return (
        f"{option} is required: give the path, or set {DATA_ENV} to the folder that holds "
        f"{relative} (e.g. {DATA_ENV}=../shared/data)"
    )


def shown_path(path: Path) -> str:
    """``path`` as a report records it: relative to the working folder, so that no report
    names a folder of the machine it was measured on."""
    return os.path.relpath(path) if path.is_absolute() else str(path)
