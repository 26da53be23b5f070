"""The shipped forecaster: ``models/spread-forecaster.joblib``.

It is made in the lab (``cluetrain_lab.analytics.spread.shipped``, docs/spread.md).

>>> forecaster = load_forecaster()  # doctest: +SKIP
>>> forecaster.predict_final_size([observed_for_an_hour])  # doctest: +SKIP
"""

from pathlib import Path

from cluetrain_analytics.artifacts import load_artifact
from cluetrain_analytics.spread.forecast import CascadeForecaster

__all__ = ["MODEL_PATH", "load_forecaster"]

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "spread-forecaster.joblib"


def load_forecaster(path: str | Path = MODEL_PATH) -> CascadeForecaster:
    """Load a forecaster saved by the lab's ``train_and_save``.

    Raises ``ArtifactVersionError`` when the installed scikit-learn (or numpy, scipy, joblib)
    cannot read it (docs/artifacts.md), ``TypeError`` when it holds something else.
    """
    return load_artifact(
        Path(path),
        CascadeForecaster,
        retrain="python -m cluetrain_lab.analytics.spread.shipped FOLDER",
    )
