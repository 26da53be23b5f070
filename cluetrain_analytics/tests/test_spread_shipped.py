from collections.abc import Iterator
from pathlib import Path

import pytest
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from cluetrain_analytics.artifacts import save_artifact
from cluetrain_analytics.spread import observe
from cluetrain_analytics.spread.shipped import MODEL_PATH, load_forecaster
from cluetrain_analytics.spread.synthetic import synthetic_cascades


@pytest.fixture(autouse=True)
def _one_thread() -> Iterator[None]:
    # Boosting's OpenMP threads spin while they wait: on a shared, loaded machine one thread
    # is many times faster than two.
    with threadpool_limits(1):
        yield


def test_load_forecaster_refuses_other_objects(tmp_path: Path) -> None:
    save_artifact({"not": "a model"}, tmp_path / "other.joblib")
    with pytest.raises(TypeError, match="does not hold a CascadeForecaster"):
        load_forecaster(tmp_path / "other.joblib")


@pytest.mark.skipif(not MODEL_PATH.exists(), reason="the shipped model has not been trained")
def test_the_shipped_model_forecasts_at_least_what_it_saw() -> None:
    model = load_forecaster()
    cascades = list(synthetic_cascades(20, seed=4).values())
    seen = [observe(cascade, model.observe_minutes) for cascade in cascades]

    sizes = model.predict_final_size(seen)
    probability = model.predict_doubling(cascades, 100)

    assert all(size >= cascade.size for size, cascade in zip(sizes, seen, strict=True))
    assert ((probability >= 0) & (probability <= 1)).all()
