from math import log, log1p

import pytest

from cluetrain_analytics.spread import FEATURE_NAMES, Cascade, cascade_features, feature_matrix

# r -> a (1 min), a -> b (3), r -> c (4), b -> d (8), x -> e (8): x was never seen.
TREE = Cascade.from_shares(
    "r",
    [("r", "a", 1.0), ("a", "b", 3.0), ("r", "c", 4.0), ("b", "d", 8.0), ("x", "e", 8.0, "a")],
)


def _row(cascade: Cascade, age: float) -> dict[str, float]:
    return dict(zip(FEATURE_NAMES, cascade_features(cascade, age), strict=True))


def test_structure_features_of_a_small_tree() -> None:
    row = _row(TREE, 10.0)

    # Depths a=1, b=2, c=1, d=3 and e=2 (its unseen parent counts as one level down).
    assert row["max_depth"] == 3.0
    assert row["mean_depth"] == pytest.approx(9 / 5)
    assert row["fraction_from_root"] == pytest.approx(2 / 5)
    assert row["fraction_not_from_root"] == pytest.approx(3 / 5)
    assert row["fraction_parent_unseen"] == pytest.approx(1 / 5)
    assert row["log_max_fan_out_below_root"] == pytest.approx(log1p(1))
    assert row["log_distinct_parents"] == pytest.approx(log1p(4))
    # e was shared by user "a", who also made share a.
    assert row["fraction_distinct_users"] == pytest.approx(4 / 5)


def test_timing_features_of_a_small_tree() -> None:
    row = _row(TREE, 10.0)

    assert row["log_shares"] == pytest.approx(log1p(5))
    assert row["log_age"] == pytest.approx(log1p(10))
    # Cumulative counts at 1.25, 2.5, 5 and 7.5 minutes: 1, 1, 3, 3.
    assert [row[f"log_shares_at_{f:g}_age"] for f in (0.125, 0.25, 0.5, 0.75)] == pytest.approx(
        [log1p(1), log1p(1), log1p(3), log1p(3)]
    )
    assert row["log_first_delay"] == pytest.approx(log1p(1))
    assert row["log_median_delay"] == pytest.approx(log1p(4))
    assert row["log_last_delay"] == pytest.approx(log1p(8))
    assert row["log_silence"] == pytest.approx(log1p(2))
    # Gaps: early half 1 -> 4 over 2 shares (1.5), late half 4 -> 8 over 2 shares (2.0).
    assert row["log_gap_ratio_late_early"] == pytest.approx(log(2.01 / 1.51))
    # After 7.5 minutes: d and e; after 9 minutes: none. From 3 shares at 5 minutes to 5.
    assert row["log_shares_in_last_quarter"] == pytest.approx(log1p(2))
    assert row["log_shares_in_last_tenth"] == 0.0
    assert row["log_growth_second_half"] == pytest.approx(log1p(5) - log1p(3))


def test_an_empty_cascade_has_a_full_row() -> None:
    row = _row(Cascade.from_shares("r", []), 60.0)

    assert len(row) == len(FEATURE_NAMES)
    assert row["log_shares"] == 0.0
    assert row["log_silence"] == pytest.approx(log1p(60))
    assert row["max_depth"] == 0.0


def test_feature_matrix_stacks_rows_and_checks_lengths() -> None:
    matrix = feature_matrix([TREE, TREE], [10.0, 20.0])

    assert matrix.shape == (2, len(FEATURE_NAMES))
    assert list(matrix[0]) == cascade_features(TREE, 10.0)
    assert matrix[1, FEATURE_NAMES.index("log_age")] == pytest.approx(log1p(20))
    with pytest.raises(ValueError, match="same length"):
        feature_matrix([TREE], [1.0, 2.0])
    with pytest.raises(ValueError, match="age_min must not be negative"):
        cascade_features(TREE, -1.0)
