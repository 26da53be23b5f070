import json
import pickle
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

import cluetrain_analytics
from cluetrain_analytics.artifacts import (
    ArtifactVersionError,
    check_manifest,
    dumps_artifact,
    load_artifact,
    loads_artifact,
    manifest_path,
    read_manifest,
    save_artifact,
    write_manifest,
)
from cluetrain_analytics.spread import CascadeForecaster
from cluetrain_analytics.text._intent_model import IntentModel, load_intent_model
from cluetrain_analytics.text.fast import FastTier, load_fast_tier

MODELS = Path(cluetrain_analytics.__file__).parent / "models"
PYPROJECT = Path(cluetrain_analytics.__file__).parents[1] / "pyproject.toml"
SKLEARN = Version(metadata.version("scikit-learn"))
#: The same major, another minor: what a pickle made by a neighbouring release says.
OTHER_MINOR = f"{SKLEARN.major}.{SKLEARN.minor + 1}.0"


def fitted() -> LogisticRegression:
    return LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])


def rewrite_manifest(path: Path, **made_with: str) -> None:
    """Pretend ``path`` was made with other versions (its hash stays right)."""
    sidecar = manifest_path(path)
    manifest = json.loads(sidecar.read_text())
    manifest["made_with"] |= made_with
    sidecar.write_text(json.dumps(manifest))


def restamp_blob(blob: bytes, **made_with: str) -> bytes:
    """The same pickle behind a manifest that names other versions."""
    header, _, payload = blob.partition(b"\n")
    magic, _, manifest = header.partition(b" ")
    data = json.loads(manifest)
    data["made_with"] |= made_with
    return magic + b" " + json.dumps(data).encode() + b"\n" + payload


def test_a_saved_artifact_records_its_versions_and_loads_back(tmp_path: Path) -> None:
    path = save_artifact(fitted(), tmp_path / "sub" / "model.joblib")

    manifest = read_manifest(path)
    loaded = load_artifact(path, LogisticRegression)

    assert manifest.made_with["scikit-learn"] == str(SKLEARN)
    assert manifest.made_with["numpy"] == metadata.version("numpy")
    assert manifest.artifact == "model.joblib"
    assert loaded.predict([[0.2], [2.8]]).tolist() == [0, 1]


def test_another_scikit_learn_minor_is_refused_before_unpickling(tmp_path: Path) -> None:
    path = tmp_path / "model.joblib"
    path.write_bytes(b"not even a pickle: loading it would fail another way")
    write_manifest(path, made_with={"python": "3.11.7", "scikit-learn": OTHER_MINOR})

    with pytest.raises(ArtifactVersionError) as refused:
        load_artifact(path, LogisticRegression, retrain="cluetrain train_text")

    message = str(refused.value)
    assert message.startswith("model.joblib cannot be loaded: ")
    assert f"scikit-learn must be {SKLEARN.major}.{SKLEARN.minor + 1}.x, not {SKLEARN}" in message
    assert f"made with Python 3.11.7, scikit-learn {OTHER_MINOR};" in message
    assert "this environment has Python " in message
    assert f"scikit-learn {SKLEARN}." in message
    assert "requirements/constraints.txt" in message
    assert "retrain it with `cluetrain train_text`" in message
    assert refused.value.made_with["scikit-learn"] == OTHER_MINOR
    assert refused.value.found["scikit-learn"] == str(SKLEARN)


def test_another_patch_release_of_the_same_minor_loads(tmp_path: Path) -> None:
    path = save_artifact(fitted(), tmp_path / "model.joblib")
    rewrite_manifest(path, **{"scikit-learn": f"{SKLEARN.major}.{SKLEARN.minor}.99"})

    assert load_artifact(path, LogisticRegression).predict([[3.0]]).tolist() == [1]


def test_another_numpy_major_is_refused(tmp_path: Path) -> None:
    path = save_artifact(fitted(), tmp_path / "model.joblib")
    numpy_major = Version(metadata.version("numpy")).major
    rewrite_manifest(path, numpy=str(numpy_major + 1))

    with pytest.raises(ArtifactVersionError, match=rf"numpy must be {numpy_major + 1}\.x"):
        load_artifact(path, LogisticRegression)


def test_a_file_without_its_manifest_or_rewritten_after_it_is_refused(tmp_path: Path) -> None:
    path = save_artifact(fitted(), tmp_path / "model.joblib")
    path.write_bytes(path.read_bytes() + b"\0")
    with pytest.raises(ArtifactVersionError, match="rewritten without recording its versions"):
        load_artifact(path, LogisticRegression)

    manifest_path(path).unlink()
    with pytest.raises(ArtifactVersionError, match=r"model\.joblib\.versions\.json is missing"):
        load_artifact(path, LogisticRegression)


def test_load_artifact_says_what_is_missing_or_wrong(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="make it with `cluetrain train_text`"):
        load_artifact(tmp_path / "model.joblib", LogisticRegression)
    path = save_artifact({"not": "a model"}, tmp_path / "model.joblib")
    with pytest.raises(TypeError, match="does not hold a LogisticRegression"):
        load_artifact(path, LogisticRegression)


def test_a_blob_round_trips_and_refuses_another_minor() -> None:
    blob = dumps_artifact(fitted())

    loaded = loads_artifact(blob, LogisticRegression, name="the model", retrain="refit it")
    with pytest.raises(ArtifactVersionError) as refused:
        loads_artifact(
            restamp_blob(blob, **{"scikit-learn": OTHER_MINOR}),
            LogisticRegression,
            name="the model",
            retrain="refit it",
        )

    assert loaded.predict([[3.0]]).tolist() == [1]
    assert str(refused.value).startswith("the model cannot be loaded: scikit-learn must be")
    assert str(refused.value).endswith("or retrain it with `refit it`.")


def test_a_blob_stored_before_versions_were_recorded_is_refused() -> None:
    with pytest.raises(ArtifactVersionError, match="stored without the versions"):
        loads_artifact(pickle.dumps(fitted()), LogisticRegression, name="old", retrain="refit")


def test_every_shipped_artifact_has_a_manifest_this_environment_can_read() -> None:
    shipped = sorted([*MODELS.glob("*.joblib"), *MODELS.glob("*.safetensors")])
    assert [path.name for path in shipped] == [
        "deception.joblib",
        "experience-intents.joblib",
        "spread-forecaster.joblib",
        "stance.joblib",
        "text-accurate.safetensors",
        "text-fast.joblib",
    ]
    for path in shipped:
        assert check_manifest(path).artifact == path.name


def test_the_shipped_pickles_load() -> None:
    assert isinstance(load_fast_tier(), FastTier)
    forecaster = load_artifact(MODELS / "spread-forecaster.joblib", CascadeForecaster)
    assert forecaster.observe_minutes == 60.0
    assert isinstance(load_intent_model(), IntentModel)


def test_scikit_learn_is_pinned_to_the_minor_the_shipped_models_were_made_with() -> None:
    dependencies = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    pin = next(Requirement(d) for d in dependencies if Requirement(d).name == "scikit-learn")
    made = {read_manifest(path).made_with["scikit-learn"] for path in MODELS.glob("*.joblib")}
    assert len(made) == 1
    version = Version(made.pop())

    assert pin.specifier.contains(version)
    assert not pin.specifier.contains(f"{version.major}.{version.minor + 1}.0")
    assert not pin.specifier.contains(f"{version.major}.{version.minor - 1}.0")


def test_the_accurate_tier_refuses_weights_of_another_torch_major(tmp_path: Path) -> None:
    accurate = pytest.importorskip("cluetrain_analytics.text.accurate")
    weights = tmp_path / "text-accurate.safetensors"
    for source in (accurate.WEIGHTS_PATH, accurate.CONFIG_PATH, manifest_path(weights)):
        (tmp_path / source.name).write_bytes((MODELS / source.name).read_bytes())
    torch_major = Version(metadata.version("torch")).major
    rewrite_manifest(weights, torch=f"{torch_major + 1}.0.0")

    with pytest.raises(ArtifactVersionError) as refused:
        accurate.load_accurate_tier(weights)

    assert f"torch must be {torch_major + 1}.x" in str(refused.value)
    assert "`cluetrain train_text --tier accurate" in str(refused.value)
