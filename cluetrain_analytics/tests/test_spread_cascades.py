import gzip
from pathlib import Path

import pytest

from cluetrain_analytics.spread import Cascade, Share, first_shares, observe, read_cascades
from cluetrain_analytics.spread.synthetic import synthetic_cascades, write_cascades

HEADER = (
    "dataset,root_tweet_id,parent_uid,parent_tweet_id,parent_delay_min,"
    "child_uid,child_tweet_id,child_delay_min"
)
# Out of order on purpose: a late share first, the ROOT row in the middle, a repeated child
# (kept at its earlier delay), a negative delay (counted as 0) and a share timed before its parent.
EDGES = [
    "t15,7,1,7,0.0,3,7,9.5",
    "t15,7,ROOT,ROOT,0.0,1,7,0.0",
    "t15,7,1,7,0.0,2,7,1.0",
    "t15,7,2,7,1.0,3,7,4.0",
    "t15,7,1,7,0.0,4,7,-2.5",
    "t15,7,3,7,4.0,5,99,3.0",
    "t16,7,ROOT,ROOT,0.0,1,7,0.0",
    "t16,7,1,7,0.0,2,7,30.0",
]


def _write(folder: Path, name: str, lines: list[str], *, gz: bool) -> None:
    text = "\n".join(lines) + "\n"
    if gz:
        with gzip.open(folder / f"{name}.csv.gz", "wt", encoding="utf-8") as file:
            file.write(text)
    else:
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("gz", [False, True])
def test_read_cascades_cleans_and_orders_the_shares(tmp_path: Path, gz: bool) -> None:
    _write(tmp_path, "edges", [HEADER, *EDGES], gz=gz)
    _write(tmp_path, "labels", ["dataset,root_tweet_id,label", "t15,7,false", "t15,8,true"], gz=gz)

    cascades = read_cascades(tmp_path)

    assert list(cascades) == [("t15", "7"), ("t16", "7"), ("t15", "8")]
    first = cascades[("t15", "7")]
    assert first.root == "1:7"
    assert first.label == "false"
    assert first.shares == (
        Share("1:7", "4:7", 0.0, "4"),
        Share("1:7", "2:7", 1.0, "2"),
        Share("3:7", "5:99", 3.0, "5"),
        Share("2:7", "3:7", 4.0, "3"),
    )
    assert cascades[("t16", "7")].size == 1
    # Listed in the labels, no edges: a cascade that never spread.
    assert cascades[("t15", "8")].size == 0
    assert cascades[("t15", "8")].label == "true"


def test_read_cascades_needs_no_labels_file(tmp_path: Path) -> None:
    _write(tmp_path, "edges", [HEADER, *EDGES], gz=False)
    assert [cascade.size for cascade in read_cascades(tmp_path).values()] == [4, 1]


def test_read_cascades_names_the_missing_column(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "edges",
        [HEADER.replace(",child_delay_min", ""), "t15,7,ROOT,ROOT,0,1,7"],
        gz=True,
    )
    with pytest.raises(ValueError, match="missing column\\(s\\) child_delay_min"):
        read_cascades(tmp_path)


def test_read_cascades_points_at_a_bad_delay(tmp_path: Path) -> None:
    _write(
        tmp_path, "edges", [HEADER, "t15,7,ROOT,ROOT,0.0,1,7,0.0", "t15,7,1,7,0,2,7,soon"], gz=False
    )
    with pytest.raises(ValueError, match=r"edges.csv:3: child_delay_min is not a number: 'soon'"):
        read_cascades(tmp_path)


def test_read_cascades_refuses_a_cascade_without_root(tmp_path: Path) -> None:
    _write(tmp_path, "edges", [HEADER, "t15,7,1,7,0.0,2,7,1.0"], gz=False)
    with pytest.raises(ValueError, match="t15/7 has no ROOT row"):
        read_cascades(tmp_path)


def test_read_cascades_needs_the_edges_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"no edges\.csv\.gz or edges\.csv"):
        read_cascades(tmp_path)
    with pytest.raises(FileNotFoundError, match="is not a folder"):
        read_cascades(tmp_path / "missing")


def test_observe_and_first_shares_cut_by_time_and_by_count() -> None:
    cascade = Cascade.from_shares("r", [("r", "a", 5.0), ("a", "b", 60.0), ("r", "c", 61.0)])

    assert [share.child for share in observe(cascade, 60).shares] == ["a", "b"]
    assert observe(cascade, 0).size == 0
    assert [share.child for share in first_shares(cascade, 1).shares] == ["a"]
    assert first_shares(cascade, 10) == cascade
    with pytest.raises(ValueError, match="k must not be negative"):
        first_shares(cascade, -1)


def test_from_shares_drops_the_root_sharing_itself() -> None:
    cascade = Cascade.from_shares("r", [("r", "r", 1.0), ("r", "a", 2.0)])
    assert [share.child for share in cascade.shares] == ["a"]


@pytest.mark.parametrize("gz", [False, True])
def test_written_cascades_read_back_the_same(tmp_path: Path, gz: bool) -> None:
    cascades = synthetic_cascades(5, seed=3)
    write_cascades(tmp_path, cascades, gz=gz)
    assert read_cascades(tmp_path) == cascades


def test_read_cascades_takes_a_byte_order_mark_crlf_and_gzip_under_a_plain_name(
    tmp_path: Path,
) -> None:
    """Files as others hand them over: edges.csv gzipped though named plain, labels.csv with
    a byte-order mark (it hid the first column, "dataset") and Windows line endings."""
    shared, stranger = tmp_path / "shared", tmp_path / "stranger"
    shared.mkdir()
    stranger.mkdir()
    labels = ["dataset,root_tweet_id,label", "t15,7,false", "t15,8,true"]
    _write(shared, "edges", [HEADER, *EDGES], gz=True)
    _write(shared, "labels", labels, gz=False)
    (stranger / "edges.csv").write_bytes((shared / "edges.csv.gz").read_bytes())
    (stranger / "labels.csv").write_bytes(("\ufeff" + "\r\n".join(labels) + "\r\n").encode())
    assert read_cascades(stranger) == read_cascades(shared)
