from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from cluetrain_analytics.spread import CascadeForecaster, observe
from cluetrain_analytics.spread.shipped import load_forecaster
from cluetrain_analytics.spread.synthetic import synthetic_cascades, write_cascades
from cluetrain_lab.analytics.spread.shipped import main


@pytest.fixture(autouse=True)
def _one_thread() -> Iterator[None]:
    # Boosting's OpenMP threads spin while they wait: on a shared, loaded machine one thread
    # is many times faster than two.
    with threadpool_limits(1):
        yield


def test_train_and_save_writes_a_loadable_model_and_its_report(tmp_path: Path) -> None:
    # Sizes of up to e^6.5 (about 665 shares), so that every shipped k has examples.
    cascades = synthetic_cascades(80, seed=9, log_size_range=(4.0, 6.5))
    write_cascades(tmp_path / "data", cascades)
    out = tmp_path / "model" / "spread.joblib"

    assert main([str(tmp_path / "data"), "--out", str(out), "--observe-minutes", "30"]) == 0

    model = load_forecaster(out)
    assert model.observe_minutes == 30
    assert sorted(model.doubling_models_) == [5, 10, 20, 50, 100, 200]
    seen = [observe(cascade, 30) for cascade in cascades.values()]
    refit = CascadeForecaster(observe_minutes=30, doubling_ks=(5,)).fit(list(cascades.values()))
    np.testing.assert_allclose(model.predict_final_size(seen), refit.predict_final_size(seen))
    report = (tmp_path / "model" / "spread-report.md").read_text(encoding="utf-8")
    assert "80 cascades" in report
