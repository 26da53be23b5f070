"""cluetrain_lab.files: data files as strangers hand them over."""

import gzip
from pathlib import Path

import pytest

from cluetrain_lab.files import csv_rows, text_lines


def test_a_gzip_file_is_told_by_its_bytes_and_the_byte_order_mark_is_dropped(
    tmp_path: Path,
) -> None:
    text = "\ufeffa,b\r\n1,2\r\n"
    named_plain = tmp_path / "data.csv"  # gzipped, though the name says plain text
    named_plain.write_bytes(gzip.compress(text.encode("utf-8")))
    named_gz = tmp_path / "data.csv.gz"  # plain text, though the name says gzip
    named_gz.write_bytes(text.encode("utf-8"))
    for path in (named_plain, named_gz):
        assert list(csv_rows(path)) == [["a", "b"], ["1", "2"]]


def test_text_that_is_not_utf8_is_a_value_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("café\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"latin\.csv: not UTF-8 text"):
        list(text_lines(path))


def test_a_cut_gzip_file_is_a_value_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(gzip.compress(b"a,b\n" * 1000)[:40])
    with pytest.raises(ValueError, match=r"cut\.csv\.gz: damaged gzip file"):
        list(text_lines(path))
