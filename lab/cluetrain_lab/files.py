"""Opening a data file the way other people hand it over.

The evaluation commands run on files nobody here prepared: gzipped or not whatever the name
says, with or without a UTF-8 byte-order mark, with Windows line endings. A gzip file is told
by its first two bytes, not its name; the mark is dropped; a file that is not UTF-8 text, or a
damaged gzip file, is a ``ValueError`` that names the file, which the commands print as their
one-line error (exit code 2).
"""

import csv
import gzip
import io
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, cast

__all__ = [
    "csv_dicts",
    "csv_rows",
    "find_file",
    "is_gzipped",
    "jsonl_rows",
    "open_bytes",
    "text_lines",
]

GZIP_MAGIC = b"\x1f\x8b"


def is_gzipped(path: Path) -> bool:
    """Whether ``path`` starts like a gzip file (whatever its name)."""
    with open(path, "rb") as handle:
        return handle.read(2) == GZIP_MAGIC


def open_bytes(path: Path) -> BinaryIO:
    """``path``'s bytes, decompressed when it is a gzip file."""
    if is_gzipped(path):
        # GzipFile reads like any binary file; typeshed does not call it one.
        return cast(BinaryIO, gzip.open(path, "rb"))
    return open(path, "rb")


def text_lines(path: Path) -> Iterator[str]:
    """The lines of ``path`` as UTF-8 text, byte-order mark dropped, line endings kept as they
    are (``\\r\\n`` included: csv and ``str.strip`` both take them)."""
    with io.TextIOWrapper(open_bytes(path), encoding="utf-8-sig", newline="") as handle:
        try:
            yield from handle
        except UnicodeDecodeError as error:
            raise ValueError(
                f"{path}: not UTF-8 text ({error.reason} at byte {error.start})"
            ) from None
        except (EOFError, zlib.error, gzip.BadGzipFile) as error:
            raise ValueError(f"{path}: damaged gzip file ({error})") from None


def csv_rows(path: Path) -> Iterator[list[str]]:
    """The rows of a CSV file, read with :func:`text_lines`."""
    try:
        yield from csv.reader(text_lines(path))
    except csv.Error as error:
        raise ValueError(f"{path}: not a readable CSV file ({error})") from None


def csv_dicts(path: Path) -> Iterator[dict[str, str]]:
    """The rows of a CSV file with a header, as dicts keyed by the header's names (stripped)."""
    reader = csv.DictReader(text_lines(path))
    if reader.fieldnames is not None:
        reader.fieldnames = [name.strip() for name in reader.fieldnames]
    try:
        yield from reader
    except csv.Error as error:
        raise ValueError(f"{path}: not a readable CSV file ({error})") from None


def jsonl_rows(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, value) of every non-blank line of a JSON-lines file."""
    for number, line in enumerate(text_lines(path), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path} line {number}: not JSON ({error.msg})") from None


def find_file(folder: Path, name: str) -> Path | None:
    """``folder/name`` or ``folder/name.gz``, whichever exists (the plain one first)."""
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    return None
