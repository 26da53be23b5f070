"""Open a file (gzipped or not), parse it with its format's parser and load it, streaming."""

import gc
import gzip
import io
import sys
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TextIO, cast

from tqdm import tqdm

from cluetrain.imports.feed.parse import parse as parse_feed
from cluetrain.imports.jsonl.parse import parse as parse_jsonl
from cluetrain.imports.loader import BATCH_SIZE, Loader, Summary
from cluetrain.imports.records import Parsed, RowError
from cluetrain.imports.reviews.parse import parse as parse_reviews
from cluetrain.imports.twcs.parse import parse as parse_twcs
from cluetrain.sources.models import Source

Parser = Callable[[TextIO], Iterator[Parsed]]
FORMATS: dict[str, Parser] = {
    "jsonl": parse_jsonl,
    "twcs": parse_twcs,
    "feed": parse_feed,
    "reviews": parse_reviews,
}
# The source used when neither --source nor the file names one (jsonl lines always do;
# a feed is named by its title).
DEFAULT_SOURCES = {"jsonl": "", "twcs": "Twitter", "feed": "", "reviews": "Reviews"}
SOURCE_KINDS = {
    "jsonl": Source.Kind.OTHER,
    "twcs": Source.Kind.SOCIAL,
    "feed": Source.Kind.BLOG,
    "reviews": Source.Kind.REVIEW_SITE,
}
PROGRESS_EVERY = 1000  # messages between progress-bar updates


@contextmanager
def _gc_skips_what_is_already_loaded() -> Iterator[None]:
    """Keep the objects that exist before the import (Django's own) out of the garbage
    collector's passes while it runs: a batch's worth of new objects sets off many passes,
    and walking Django's every time took 0.03 s of the 1.1 s twcs import."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def run_import(
    fmt: str,
    path: Path,
    *,
    on_error: Callable[[RowError], None],
    source: str | None = None,
    progress: bool = False,
    batch_size: int = BATCH_SIZE,
    crash_after_batches: int | None = None,
    kill_in_batch: int | None = None,
) -> Summary:
    parse = FORMATS[fmt]
    loader = Loader(
        default_source=source or DEFAULT_SOURCES[fmt],
        source_kind=SOURCE_KINDS[fmt],
        on_error=on_error,
        batch_size=batch_size,
        crash_after_batches=crash_after_batches,
        kill_in_batch=kill_in_batch,
    )
    with (
        _gc_skips_what_is_already_loaded(),
        path.open("rb") as raw,
        tqdm(
            total=path.stat().st_size,
            unit="B",
            unit_scale=True,
            desc=f"Importing {path.name}",
            disable=not progress,
            file=sys.stderr,
        ) as bar,
    ):
        binary: IO[bytes] = (
            cast(IO[bytes], gzip.GzipFile(fileobj=raw)) if path.name.endswith(".gz") else raw
        )
        text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="replace", newline="")
        last_line = 0
        try:
            for count, item in enumerate(parse(text), 1):
                if source is not None and not isinstance(item, RowError):
                    item.source = ""  # --source wins over the name in the file
                loader.add(item)
                last_line = item.line
                if count % PROGRESS_EVERY == 0:
                    bar.update(raw.tell() - bar.n)  # compressed bytes, for .gz
        except (gzip.BadGzipFile, EOFError, zlib.error) as damage:
            # Not gzip at all, or cut short or damaged part way: the rows read so far are
            # kept, like any good rows, and the damage is one error where reading stopped.
            loader.add(RowError(last_line + 1, "unreadable_gz", {"detail": str(damage)}))
        summary = loader.finish()
        bar.update(path.stat().st_size - bar.n)
    return summary
