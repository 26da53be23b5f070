from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import spearmanr  # type: ignore[import-untyped]
from sklearn.metrics import roc_auc_score  # type: ignore[import-untyped]
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from cluetrain_analytics.spread import (
    Cascade,
    CascadeForecaster,
    SzaboHubermanBaseline,
    first_shares,
    observe,
    rmsle,
)
from cluetrain_analytics.spread.synthetic import synthetic_cascades


@pytest.fixture(autouse=True)
def _one_thread() -> Iterator[None]:
    # Boosting's OpenMP threads spin while they wait: on a shared, loaded machine one thread
    # is many times faster than two.
    with threadpool_limits(1):
        yield


# Time scales from 5 minutes to 33 hours: at 60 minutes some cascades are over and others have
# barely begun, which the early count alone (Szabo-Huberman) cannot tell apart.
TRAIN = list(synthetic_cascades(300, seed=0, minutes_range=(5, 2000)).values())
TEST = list(synthetic_cascades(150, seed=100, minutes_range=(5, 2000)).values())
SMALL = {"size_max_iter": 100, "doubling_max_iter": 50}


@pytest.fixture(scope="module")
def forecaster() -> CascadeForecaster:
    with threadpool_limits(1):
        return CascadeForecaster(observe_minutes=60, doubling_ks=(5, 10), **SMALL).fit(TRAIN)


def test_size_forecast_beats_szabo_huberman_on_unseen_cascades(
    forecaster: CascadeForecaster,
) -> None:
    final = [cascade.size for cascade in TEST]
    early = [observe(cascade, 60) for cascade in TEST]
    predicted = forecaster.predict_final_size(early)
    baseline = SzaboHubermanBaseline(observe_minutes=60).fit(TRAIN).predict_final_size(early)

    assert rmsle(predicted, final) < rmsle(baseline, final) - 0.03
    assert spearmanr(predicted, final).statistic > spearmanr(baseline, final).statistic
    # Never below what was already seen.
    assert all(p >= c.size - 1e-9 for p, c in zip(predicted, early, strict=True))


def test_size_forecast_ignores_shares_after_the_observation_window(
    forecaster: CascadeForecaster,
) -> None:
    whole = forecaster.predict_final_size(TEST[:10])
    early = forecaster.predict_final_size([observe(cascade, 60) for cascade in TEST[:10]])
    np.testing.assert_allclose(whole, early)


def test_doubling_probabilities_rank_the_cascades_that_double(
    forecaster: CascadeForecaster,
) -> None:
    eligible = [cascade for cascade in TEST if cascade.size >= 5]
    doubled = [cascade.size >= 10 for cascade in eligible]
    probability = forecaster.predict_doubling([first_shares(c, 5) for c in eligible], 5)

    assert probability.shape == (len(eligible),)
    assert ((probability >= 0) & (probability <= 1)).all()
    assert roc_auc_score(doubled, probability) > 0.7


def test_doubling_is_a_constant_when_training_had_one_answer() -> None:
    # Every training cascade has 40 shares: all that reached 5 also reached 10.
    train = [
        Cascade.from_shares("r", [("r", f"u{i}", float(i * step)) for i in range(40)])
        for step in (1, 2, 3, 4)
    ]
    model = CascadeForecaster(observe_minutes=10, doubling_ks=(5,), **SMALL).fit(train)

    assert model.doubling_models_[5] == 1.0
    np.testing.assert_array_equal(model.predict_doubling(train[:3], 5), [1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="k=7 was not among doubling_ks"):
        model.predict_doubling(train, 7)


def test_forecaster_rejects_bad_settings() -> None:
    with pytest.raises(ValueError, match="no cascades to fit on"):
        CascadeForecaster().fit([])
    with pytest.raises(ValueError, match="every k of doubling_ks must be at least 1"):
        CascadeForecaster(doubling_ks=(0,)).fit(TRAIN)
    with pytest.raises(ValueError, match="no training cascade has 5000 shares"):
        CascadeForecaster(doubling_ks=(5000,), **SMALL).fit(TRAIN)


def test_forecaster_is_reproducible_and_saves(
    tmp_path: Path, forecaster: CascadeForecaster
) -> None:
    import joblib  # type: ignore[import-untyped]

    again = CascadeForecaster(observe_minutes=60, doubling_ks=(5, 10), **SMALL).fit(TRAIN)
    np.testing.assert_array_equal(
        again.predict_final_size(TEST), forecaster.predict_final_size(TEST)
    )
    joblib.dump(forecaster, tmp_path / "model.joblib")
    loaded = joblib.load(tmp_path / "model.joblib")
    np.testing.assert_array_equal(
        loaded.predict_doubling(TEST, 10), forecaster.predict_doubling(TEST, 10)
    )


def test_szabo_huberman_is_log_linear_in_the_early_size() -> None:
    # Final size = 4 x (size at 10 minutes): slope 1 in log(1 + size) only approximately.
    train = [
        Cascade.from_shares("r", [("r", f"u{i}", 0.0 if i < n else 100.0) for i in range(4 * n)])
        for n in (5, 10, 20, 40)
    ]
    baseline = SzaboHubermanBaseline(observe_minutes=10).fit(train)
    x = np.log1p([5, 10, 20, 40])
    y = np.log1p([20, 40, 80, 160])
    slope, intercept = np.polyfit(x, y, 1)

    assert baseline.slope_ == pytest.approx(slope)
    assert baseline.intercept_ == pytest.approx(intercept)
    assert baseline.predict_final_size([observe(train[2], 10)])[0] == pytest.approx(
        np.expm1(intercept + slope * np.log1p(20))
    )
    # Seen at their first 5 shares, all four look alike: one answer for all.
    assert baseline.doubling_log_size(5) == pytest.approx(float(np.mean(y)))
    np.testing.assert_array_equal(baseline.predict_doubling(train, 5), [1.0] * 4)
