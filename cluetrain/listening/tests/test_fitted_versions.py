"""The community's own models refuse to load under library versions that cannot read them."""

import json
import pickle
from importlib import metadata

import pytest
from django.utils import timezone
from packaging.version import Version

from cluetrain.influence import forecaster
from cluetrain.listening.models import FittedModel
from cluetrain.listening.readers import CONTEXT, current_readers, forget_readers
from cluetrain.listening.refresh import refresh_models
from cluetrain_analytics.artifacts import ArtifactVersionError, dumps_artifact
from cluetrain_analytics.spread import CascadeForecaster
from cluetrain_analytics.text.context import ContextReader

SKLEARN = Version(metadata.version("scikit-learn"))
OTHER_MINOR = f"{SKLEARN.major}.{SKLEARN.minor + 1}.0"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_readers() -> None:
    forget_readers()


def made_with_another_minor(blob: bytes) -> bytes:
    """The same pickle behind a manifest that says another scikit-learn minor made it."""
    header, _, payload = blob.partition(b"\n")
    magic, _, manifest = header.partition(b" ")
    data = json.loads(manifest)
    data["made_with"]["scikit-learn"] = OTHER_MINOR
    return magic + b" " + json.dumps(data).encode() + b"\n" + payload


def test_a_context_model_of_another_scikit_learn_is_refused_until_refit() -> None:
    refresh_models()
    row = FittedModel.objects.get(kind=CONTEXT)
    assert f"|ctx-{row.version}|" in current_readers().version
    row.blob = made_with_another_minor(bytes(row.blob))
    row.save()
    forget_readers()

    with pytest.raises(ArtifactVersionError) as refused:
        current_readers()
    message = str(refused.value)
    refresh_models()  # what the message says to do

    assert message.startswith(f"the community's context model {row.version} (FittedModel")
    assert f"scikit-learn must be {SKLEARN.major}.{SKLEARN.minor + 1}.x, not {SKLEARN}" in message
    assert "retrain it with `cluetrain listen --refit`" in message
    assert current_readers().context is not None


def test_a_model_stored_before_versions_were_recorded_is_refused() -> None:
    FittedModel.objects.create(
        kind=CONTEXT,
        version="20260101000000",
        blob=pickle.dumps(ContextReader([]).fit([])),
        fitted_at=timezone.now(),
    )

    with pytest.raises(ArtifactVersionError, match="stored without the versions"):
        current_readers()


def test_a_spread_forecaster_of_another_scikit_learn_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(forecaster, "_cached", None)  # one from another test's row of this pk
    row = FittedModel.objects.create(
        kind=forecaster.KIND,
        version="20260101000000",
        blob=made_with_another_minor(dumps_artifact(CascadeForecaster())),
        fitted_at=timezone.now(),
    )

    with pytest.raises(ArtifactVersionError) as refused:
        forecaster.community_forecaster()

    assert str(refused.value).startswith(
        f"the community's spread forecaster 20260101000000 (FittedModel {row.pk}) cannot be loaded"
    )
    assert str(refused.value).endswith("or retrain it with `cluetrain influence`.")
