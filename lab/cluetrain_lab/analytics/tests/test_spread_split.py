from pathlib import Path

import pytest

from cluetrain_analytics.spread import read_cascades
from cluetrain_analytics.spread.synthetic import synthetic_cascades, write_cascades
from cluetrain_lab.analytics.spread.split import main, split_folder


def test_split_folder_keeps_every_cascade_once_and_is_seeded(tmp_path: Path) -> None:
    cascades = synthetic_cascades(20, seed=2)
    # The same root tweet in a second dataset must land on the same side.
    twins = synthetic_cascades(5, seed=4, dataset="other")
    write_cascades(tmp_path / "source", {**cascades, **twins})

    counts = split_folder(tmp_path / "source", tmp_path / "a", test_fraction=0.25, seed=7)
    split_folder(tmp_path / "source", tmp_path / "b", test_fraction=0.25, seed=7)

    train = read_cascades(tmp_path / "a" / "train")
    test = read_cascades(tmp_path / "a" / "test")
    assert {**train, **test} == {**cascades, **twins}
    assert not set(train) & set(test)
    assert len({root for _dataset, root in test}) == 5  # 25 % of the 20 root ids
    assert {root for _d, root in train}.isdisjoint({root for _d, root in test})
    assert counts["test_cascades"] == len(test)
    assert counts["train_edges"] + counts["test_edges"] == sum(
        c.size + 1 for c in {**cascades, **twins}.values()
    )
    assert read_cascades(tmp_path / "b" / "test") == test


def test_split_command_reports_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path), str(tmp_path / "out")]) == 2
    assert "no edges.csv.gz or edges.csv" in capsys.readouterr().err
    assert main([str(tmp_path), str(tmp_path / "out"), "--test-fraction", "1.5"]) == 2
