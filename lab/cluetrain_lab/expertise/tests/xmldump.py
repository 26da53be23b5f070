"""Write small Stack Exchange dump files for the tests: gzipped XML, one <row/> a line."""

import gzip
from pathlib import Path


def write_tables(folder: Path, tables: list[tuple[str, str, list[str]]]) -> None:
    """Each (file name, root element, rows) as `folder/<file name>`."""
    for name, root, rows in tables:
        with gzip.open(folder / name, "wt", encoding="utf-8") as handle:
            handle.write(f'<?xml version="1.0" encoding="utf-8"?>\n<{root}>\n')
            handle.write("\n".join(f"  {row}" for row in rows))
            handle.write(f"\n</{root}>\n")
