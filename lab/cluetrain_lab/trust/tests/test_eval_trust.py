"""`cluetrain eval signed|ratings|gaming` on small files generated here: one JSON line each."""

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from cluetrain_lab.trust import gaming, ratings, signed, split
from cluetrain_lab.trust.readers import IdIndex, read_bitcoin_rows, read_ratings_dir

DAY = 86400


@pytest.fixture(autouse=True)
def one_thread() -> Iterator[None]:
    """Boosting's OpenMP threads spin-wait: on a shared machine one thread is much faster."""
    with threadpool_limits(1):
        yield


def write_bitcoin(path: Path, seed: int, edges: int = 1500, nodes: int = 120) -> None:
    """A Bitcoin-like file: node quality decides the sign, a few liars invert it."""
    rng = np.random.default_rng(seed)
    quality = np.where(np.arange(nodes) % 6 == 0, -6, 6)
    liar = np.arange(nodes) % 11 == 0
    lines = []
    for _ in range(edges):
        source, target = rng.choice(nodes, 2, replace=False)
        rating = int(np.clip(quality[target] + rng.integers(-3, 4), -10, 10)) or 1
        rating = -rating if liar[source] else rating
        lines.append(
            f"{source + 1},{target + 1},{rating},{1_300_000_000 + rng.integers(0, 40_000_000)}"
        )
    text = "\n".join(lines) + "\n"
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text)


def last_json_line(output: str) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return parsed


SCORE_KEYS = {"sign", "weight"}


def test_eval_signed_prints_exactly_the_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_bitcoin(tmp_path / "train.csv", seed=1)
    write_bitcoin(tmp_path / "test.csv.gz", seed=2, edges=400)
    argv = ["--train", str(tmp_path / "train.csv"), "--test", str(tmp_path / "test.csv.gz")]
    assert signed.run([*argv, "--boosting-rounds", "60"]) == 0
    result = last_json_line(capsys.readouterr().out)
    assert set(result) == {"n", "sign", "weight", "baselines"}
    assert result["n"] == 400
    baselines = result["baselines"]
    assert isinstance(baselines, dict)
    assert set(baselines) == {"fairness_goodness", "degree_logistic"}
    for scores in (result, *baselines.values()):
        assert set(scores["sign"]) == {"auc", "accuracy_balanced", "macro_f1"}
        assert set(scores["weight"]) == {"rmse", "pearson"}
    sign = result["sign"]
    assert isinstance(sign, dict)
    assert sign["auc"] > 0.9


def test_eval_signed_refuses_a_malformed_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.csv").write_text("1,2,eleven,3\n")
    write_bitcoin(tmp_path / "test.csv", seed=2, edges=50)
    code = signed.run(["--train", str(tmp_path / "bad.csv"), "--test", str(tmp_path / "test.csv")])
    assert code == 2
    assert "line 1" in capsys.readouterr().err


def test_eval_signed_on_test_edges_of_one_sign_gives_null_sign_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A stranger's small test file whose edges are all positive, all rated 10: AUC, balanced
    accuracy, macro F1 and the correlation are undefined (null, never NaN); RMSE is not."""
    write_bitcoin(tmp_path / "train.csv", seed=1, edges=600)
    (tmp_path / "test.csv").write_text("1,2,10,5\n3,4,10,6\n5,6,10,7\n")
    argv = ["--train", str(tmp_path / "train.csv"), "--test", str(tmp_path / "test.csv")]
    assert signed.run([*argv, "--boosting-rounds", "20"]) == 0
    captured = capsys.readouterr()
    line = captured.out.strip().splitlines()[-1]
    assert "NaN" not in line  # json.loads would take it; strict JSON readers do not
    result = json.loads(line)
    for scores in (result, *result["baselines"].values()):
        assert set(scores["sign"].values()) == {None}
        assert scores["weight"]["pearson"] is None
        assert scores["weight"]["rmse"] >= 0
    assert "one sign" in captured.err


def write_ratings(folder: Path, rows: list[str], trust: list[str] | None) -> None:
    folder.mkdir()
    header = "user_id,product_id,category_id,rating,helpfulness,timestamp"
    (folder / "ciao_ratings.csv.gz").write_bytes(gzip.compress("\n".join([header, *rows]).encode()))
    if trust is not None:
        (folder / "ciao_trust.csv").write_text("\n".join(["truster_id,trustee_id", *trust]))


def write_planted_ratings(folder: Path) -> list[str]:
    """Train and test folders under `folder` where tastes follow the trust clusters: 200
    members in 4 clusters, every third one with only 3 train ratings (cold start). Returns
    the test rows (user first)."""
    rng = np.random.default_rng(0)
    cluster = np.arange(200) % 4
    taste = rng.choice([1, 5], size=(4, 60))
    train_rows: list[str] = []
    test_rows: list[str] = []
    trust: list[str] = []
    for user in range(200):
        items = rng.choice(60, 14, replace=False)
        known = 3 if user % 3 == 0 else 10
        for position, item in enumerate(items):
            row = f"{user},{item},1,{taste[cluster[user], item]},3,0"
            (train_rows if position < known else test_rows).append(row)
        trust += [f"{user},{peer}" for peer in range(cluster[user], 200, 4)[:6] if peer != user]
    write_ratings(folder / "train", train_rows, trust)
    write_ratings(folder / "test", test_rows, None)
    return test_rows


def test_eval_ratings_prints_exactly_the_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    test_rows = write_planted_ratings(tmp_path)
    argv = [
        "--train",
        str(tmp_path / "train"),
        "--test",
        str(tmp_path / "test"),
        "--dataset",
        "ciao",
    ]
    assert ratings.run(argv) == 0
    result = last_json_line(capsys.readouterr().out)
    error_keys = {"n", "mae", "rmse", "cold_start"}
    assert set(result) == error_keys | {"baselines"}
    baselines = result["baselines"]
    assert isinstance(baselines, dict)
    assert set(baselines) == {"bias", "svd"}
    for scores in (result, *baselines.values()):
        assert set(scores) >= error_keys
        assert set(scores["cold_start"]) == {"n", "mae", "rmse"}
    assert result["n"] == len(test_rows)
    assert result["mae"] < baselines["svd"]["mae"]


def test_eval_ratings_needs_the_ratings_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "train").mkdir()
    (tmp_path / "test").mkdir()
    argv = [
        "--train",
        str(tmp_path / "train"),
        "--test",
        str(tmp_path / "test"),
        "--dataset",
        "ciao",
    ]
    assert ratings.run(argv) == 2
    assert "ciao_ratings.csv" in capsys.readouterr().err


def test_a_ratings_file_with_its_columns_in_another_order_is_read_by_their_names(
    tmp_path: Path,
) -> None:
    """rating, item, user (and an extra column), a byte-order mark, Windows line endings:
    the same ratings as the shared layout's user, item, category, rating."""
    rows = ["7,70,1,4", "8,80,1,2", "7,80,1,5"]
    write_ratings(tmp_path / "shared", [f"{row},3,0" for row in rows], None)
    stranger = tmp_path / "stranger"
    stranger.mkdir()
    reordered = ["Rating,product_id,user_id,when"] + [
        f"{rating},{item},{user},0" for user, item, _, rating in (r.split(",") for r in rows)
    ]
    (stranger / "ciao_ratings.csv").write_bytes(("\ufeff" + "\r\n".join(reordered)).encode())
    read = []
    for folder in (tmp_path / "shared", stranger):
        users, items = IdIndex(), IdIndex()
        dataset = read_ratings_dir(folder, "ciao", users, items, with_trust=False)
        read.append(
            (
                list(users.ids),
                list(items.ids),
                dataset.ratings.user.tolist(),
                dataset.ratings.item.tolist(),
                dataset.ratings.rating.tolist(),
            )
        )
    assert read[0] == read[1] == (["7", "8"], ["70", "80"], [0, 1, 0], [0, 1, 1], [4.0, 2.0, 5.0])


def test_ratings_and_trust_files_without_a_header_lose_no_row(tmp_path: Path) -> None:
    """Tang's matrices written out as CSV have no header: the first rating and the first
    trust edge are data, not names to skip."""
    (tmp_path / "ciao_ratings.csv").write_text("7,70,1,4\n8,80,1,2\n")
    (tmp_path / "ciao_trust.csv").write_text("7,8\n8,7\n")
    users, items = IdIndex(), IdIndex()
    dataset = read_ratings_dir(tmp_path, "ciao", users, items, with_trust=True)
    assert dataset.ratings.rating.tolist() == [4.0, 2.0]
    assert dataset.trust is not None
    assert len(dataset.trust.truster) == 2


def test_a_bitcoin_file_with_a_header_line_and_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "edges.csv"
    path.write_bytes("\ufeffsource,target,rating,time\r\n1,2,10,5\r\n2,3,-5,6\r\n".encode())
    assert read_bitcoin_rows(path) == [("1", "2", 1.0, 5.0), ("2", "3", -0.5, 6.0)]


def test_split_by_time_holds_out_the_latest_edges(tmp_path: Path) -> None:
    """--by-time: the test file is the last 20 % of the edges by time, ties in file order."""
    times = [50, 10, 40, 30, 30, 20, 60, 70, 0, 30]
    lines = [f"{row},{row + 1},1,{time}" for row, time in enumerate(times)]
    (tmp_path / "edges.csv").write_text("\n".join(lines) + "\n")
    assert (
        split.main(["bitcoin", str(tmp_path / "edges.csv"), str(tmp_path / "out"), "--by-time"])
        == 0
    )
    train = read_bitcoin_rows(tmp_path / "out" / "train.csv.gz")
    test = read_bitcoin_rows(tmp_path / "out" / "test.csv.gz")
    assert sorted(row[3] for row in test) == [60.0, 70.0]
    assert len(train) == 8
    assert max(row[3] for row in train) <= min(row[3] for row in test)


def test_eval_gaming_prints_one_json_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = np.random.default_rng(3)
    lines = []
    for member in range(1, 301):
        for other in rng.choice(np.arange(1, 301), 6, replace=False):
            if other != member:
                rating = -6 if other <= 10 else 8
                lines.append(
                    f"{member},{other},{rating},{1_300_000_000 + rng.integers(0, 30_000_000)}"
                )
    (tmp_path / "graph.csv").write_text("\n".join(lines) + "\n")
    assert gaming.run(["--data", str(tmp_path / "graph.csv"), "--k", "8", "--targets", "2"]) == 0
    result = last_json_line(capsys.readouterr().out)
    assert set(result) == {
        "k",
        "genuine_accounts",
        "bash",
        "pump",
        "patient_bash",
        "genuine_flagged",
        "genuine_flagged_share",
    }
    for mode in ("bash", "pump", "patient_bash"):
        assert set(result[mode]) == {
            "targets",
            "movement_without_defences",
            "movement_with_defences",
            "movement_cut",
            "movement_cut_without_group_detection",
            "ring_members_flagged",
        }
    for mode in ("bash", "pump"):
        assert result[mode]["ring_members_flagged"] == 1.0
