import ast
import doctest
from pathlib import Path

import pytest

from cluetrain_analytics import ranking
from cluetrain_analytics.ranking import hot_points, hot_score, rank_hot


def test_hot_score_follows_the_documented_formula() -> None:
    assert hot_score(0, 0) == pytest.approx(1 / 2**1.8)
    assert hot_score(9, 8) == pytest.approx(10 / 10**1.8)
    assert hot_score(9, 8, gravity=1.0, offset_hours=1.0) == pytest.approx(10 / 9)


def test_hot_score_decays_with_age_and_grows_with_points() -> None:
    assert hot_score(10, 1) > hot_score(10, 2) > hot_score(10, 48)
    assert hot_score(20, 5) > hot_score(10, 5) > hot_score(0, 5)


def test_hot_score_clamps_negative_points_and_ages() -> None:
    assert hot_score(-5, 3) == hot_score(0, 3)
    assert hot_score(4, -1) == hot_score(4, 0)


@pytest.mark.parametrize(("gravity", "offset"), [(0, 2.0), (-1, 2.0), (1.8, 0), (1.8, -2)])
def test_hot_score_refuses_bad_parameters(gravity: float, offset: float) -> None:
    with pytest.raises(ValueError, match="must be greater than zero"):
        hot_score(1, 1, gravity=gravity, offset_hours=offset)


def test_hot_points_sums_counts_and_refuses_negatives() -> None:
    assert hot_points(replies=3, reactions=2, votes=5) == 10
    assert hot_points() == 0
    with pytest.raises(ValueError, match="must not be negative"):
        hot_points(replies=-1)


def test_rank_hot_orders_hottest_first_and_keeps_ties_stable() -> None:
    assert rank_hot([("old", 50, 48), ("new", 2, 1), ("fresh", 0, 0)]) == ["new", "fresh", "old"]
    assert rank_hot([(1, 3, 5), (2, 3, 5), (3, 3, 5)]) == [1, 2, 3]
    assert rank_hot([]) == []


def test_a_busy_thread_beats_a_quiet_newer_one_until_it_ages() -> None:
    # 40 points six hours ago outrank one point an hour ago; a day later they no longer do.
    assert rank_hot([("quiet", 1, 1), ("busy", 40, 6)]) == ["busy", "quiet"]
    assert rank_hot([("quiet", 1, 1), ("busy", 40, 30)]) == ["quiet", "busy"]


def test_docstring_examples_run() -> None:
    result = doctest.testmod(ranking)
    assert result.failed == 0
    assert result.attempted == 4


def test_imports_nothing_from_django_or_the_platform() -> None:
    tree = ast.parse(Path(ranking.__file__).read_text())
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported == {"collections", "typing"}
