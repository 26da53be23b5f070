"""Trained artifacts that record the library versions they were made with, and refuse others.

A pickled scikit-learn estimator is only readable by the scikit-learn minor version that wrote
it: under another one it may fail to load, or worse, load and predict something else. So every
artifact we write carries a manifest of versions, read and checked *before* anything is
unpickled (docs/artifacts.md says why this and not skops):

- a file (``text-fast.joblib``) gets a sidecar ``text-fast.joblib.versions.json`` that also
  holds the file's SHA-256, so a file rewritten without its manifest is refused too;
- a database blob (the community's own models) starts with a one-line JSON manifest.

>>> path = save_artifact(model, folder / "model.joblib")  # doctest: +SKIP
>>> load_artifact(path, MyModel, retrain="cluetrain train_text")  # doctest: +SKIP
"""

import hashlib
import json
import pickle
import platform
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, Literal, TypeVar

import joblib  # type: ignore[import-untyped]
from packaging.version import InvalidVersion, Version

__all__ = [
    "COMPATIBLE",
    "MANIFEST_SUFFIX",
    "PICKLE_LIBRARIES",
    "TORCH_LIBRARIES",
    "ArtifactVersionError",
    "Manifest",
    "check_manifest",
    "dumps_artifact",
    "load_artifact",
    "loads_artifact",
    "manifest_path",
    "read_manifest",
    "save_artifact",
    "write_manifest",
]

T = TypeVar("T")

MANIFEST_SUFFIX = ".versions.json"
#: What pickled estimators depend on (distribution names, as pip knows them).
PICKLE_LIBRARIES = ("scikit-learn", "numpy", "scipy", "joblib")
#: What the accurate tier's weights depend on.
TORCH_LIBRARIES = ("torch", "safetensors", "transformers")
#: How much of a library's version must equal the one the artifact was made with. scikit-learn
#: supports its pickles under the same version only; across patch releases of one minor they
#: load (with a warning). numpy 1 cannot read numpy 2's pickles. Libraries not named here
#: (Python, safetensors, transformers) are recorded, for the record, and not checked.
COMPATIBLE: dict[str, Literal["major", "minor"]] = {
    "scikit-learn": "minor",
    "numpy": "major",
    "scipy": "major",
    "joblib": "major",
    "torch": "major",
}
REINSTALL = "reinstall the pinned versions (scripts/setup installs requirements/constraints.txt)"
NOT_INSTALLED = "not installed"
_BLOB_MAGIC = b"cluetrain-artifact "


class ArtifactVersionError(RuntimeError):
    """An artifact made with library versions that this environment cannot read it with."""

    def __init__(
        self,
        artifact: str,
        problem: str,
        *,
        made_with: Mapping[str, str] | None = None,
        found: Mapping[str, str] | None = None,
        retrain: str = "",
    ) -> None:
        self.artifact = artifact
        self.made_with = dict(made_with or {})
        self.found = dict(found or {})
        parts = [f"{artifact} cannot be loaded: {problem}."]
        if self.made_with:
            parts.append(f"It was made with {_describe(self.made_with)};")
            parts.append(f"this environment has {_describe(self.found)}.")
        remedy = f"or retrain it with `{retrain}`" if retrain else "or make it again"
        parts.append(f"To fix: {REINSTALL}, {remedy}.")
        super().__init__(" ".join(parts))


@dataclass(frozen=True)
class Manifest:
    """What an artifact was made with: library versions, when, and (for files) its hash."""

    made_with: dict[str, str]
    made_at: str
    artifact: str = ""
    sha256: str = ""
    #: How the versions were established when they were not recorded at the time.
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        found = {
            "artifact": self.artifact,
            "sha256": self.sha256,
            "made_at": self.made_at,
            "made_with": self.made_with,
            "note": self.note,
            **self.extra,
        }
        return {key: value for key, value in found.items() if value}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Manifest":
        known = {"artifact", "sha256", "made_at", "made_with", "note"}
        made_with = data.get("made_with")
        if not isinstance(made_with, dict) or not all(
            isinstance(value, str) for value in made_with.values()
        ):
            raise ValueError("made_with must map library names to version strings")
        return cls(
            made_with=dict(made_with),
            made_at=str(data.get("made_at", "")),
            artifact=str(data.get("artifact", "")),
            sha256=str(data.get("sha256", "")),
            note=str(data.get("note", "")),
            extra={key: value for key, value in data.items() if key not in known},
        )


def library_versions(libraries: Sequence[str]) -> dict[str, str]:
    """Python's version and each installed library's ("not installed" for the others)."""
    versions = {"python": platform.python_version()}
    for name in libraries:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = NOT_INSTALLED
    return versions


def check_versions(artifact: str, made_with: Mapping[str, str], *, retrain: str = "") -> None:
    """Raise :class:`ArtifactVersionError` if a checked library differs too much."""
    found = library_versions([name for name in made_with if name != "python"])
    problems = []
    for name, level in COMPATIBLE.items():
        if name in made_with:
            problem = _mismatch(name, level, made_with[name], found[name])
            if problem:
                problems.append(problem)
    if problems:
        raise ArtifactVersionError(
            artifact, "; ".join(problems), made_with=made_with, found=found, retrain=retrain
        )


def _mismatch(name: str, level: str, made: str, found: str) -> str:
    """Why ``found`` cannot read what ``made`` wrote, or "" when it can."""
    parts = 1 if level == "major" else 2
    made_key = _release(made, parts)
    if made_key is None:
        return f"the {name} it was made with ({made}) is not known to the {level} version"
    wanted = ".".join(map(str, made_key)) + ".x"
    if _release(found, parts) == made_key:
        return ""
    if found == NOT_INSTALLED:
        return f"{name} {wanted} is needed and not installed"
    return f"{name} must be {wanted}, not {found}"


def _release(version: str, parts: int) -> tuple[int, ...] | None:
    try:
        release = Version(version).release
    except InvalidVersion:
        return None
    return release[:parts] if len(release) >= parts else None


def _describe(versions: Mapping[str, str]) -> str:
    return ", ".join(
        f"{'Python' if name == 'python' else name} {v}" for name, v in versions.items()
    )


# --- files: the artifact and its sidecar manifest --------------------------------------------


def manifest_path(path: Path) -> Path:
    """``model.joblib`` -> ``model.joblib.versions.json``."""
    return path.with_name(path.name + MANIFEST_SUFFIX)


def _sha256(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def write_manifest(
    path: Path,
    libraries: Sequence[str] = PICKLE_LIBRARIES,
    *,
    made_with: Mapping[str, str] | None = None,
    made_at: str | None = None,
    note: str = "",
) -> Path:
    """Write the sidecar manifest of the artifact just written at ``path``; returns its path.

    ``made_with`` and ``made_at`` default to this environment and now; give them only to
    describe a file made earlier (then ``note`` says how the versions were found).
    """
    manifest = Manifest(
        made_with=dict(made_with) if made_with is not None else library_versions(libraries),
        made_at=made_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        artifact=path.name,
        sha256=_sha256(path),
        note=note,
    )
    sidecar = manifest_path(path)
    sidecar.write_text(json.dumps(manifest.to_json(), indent=2) + "\n", encoding="utf-8")
    return sidecar


def read_manifest(path: Path, *, retrain: str = "") -> Manifest:
    """The sidecar manifest of ``path``; ArtifactVersionError when it is missing or unreadable."""
    sidecar = manifest_path(path)
    if not sidecar.exists():
        raise ArtifactVersionError(
            path.name,
            f"{sidecar.name} is missing, so the versions it was made with are unknown",
            retrain=retrain,
        )
    try:
        return Manifest.from_json(json.loads(sidecar.read_text(encoding="utf-8")))
    except (ValueError, AttributeError) as error:
        raise ArtifactVersionError(
            path.name, f"{sidecar.name} is not a manifest ({error})", retrain=retrain
        ) from error


def check_manifest(path: Path, *, retrain: str = "") -> Manifest:
    """Check that ``path`` is the file its manifest describes and that it can be read here."""
    manifest = read_manifest(path, retrain=retrain)
    if manifest.sha256 != _sha256(path):
        raise ArtifactVersionError(
            path.name,
            f"it is not the file {manifest_path(path).name} describes (it was rewritten "
            "without recording its versions)",
            retrain=retrain,
        )
    check_versions(path.name, manifest.made_with, retrain=retrain)
    return manifest


def save_artifact(
    obj: object,
    path: Path,
    *,
    compress: int | tuple[str, int] = 3,
    libraries: Sequence[str] = PICKLE_LIBRARIES,
) -> Path:
    """Pickle ``obj`` to ``path`` with joblib and write its manifest beside it; returns ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(obj, path, compress=compress)
    write_manifest(path, libraries)
    return path


def load_artifact(path: Path, expected: type[T], *, retrain: str = "cluetrain train_text") -> T:
    """Load what :func:`save_artifact` wrote, after checking its manifest.

    Raises ``FileNotFoundError`` when the file is missing, :class:`ArtifactVersionError` when
    the versions here cannot read it, ``TypeError`` when it does not hold an ``expected``.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: make it with `{retrain}`")
    check_manifest(path, retrain=retrain)
    # Our own file, its hash checked against the manifest written when it was saved.
    obj = joblib.load(path)
    if not isinstance(obj, expected):
        raise TypeError(f"{path.name} does not hold a {expected.__name__}")
    return obj


# --- database blobs: one manifest line, then the pickle ---------------------------------------


def dumps_artifact(obj: object, libraries: Sequence[str] = PICKLE_LIBRARIES) -> bytes:
    """``obj`` pickled behind a one-line manifest of this environment's versions."""
    manifest = Manifest(
        made_with=library_versions(libraries),
        made_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    header = json.dumps(manifest.to_json(), separators=(",", ":")).encode()
    return _BLOB_MAGIC + header + b"\n" + pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)


def loads_artifact(blob: bytes, expected: type[T], *, name: str, retrain: str) -> T:
    """Unpickle what :func:`dumps_artifact` wrote, after checking its versions.

    ``name`` says which artifact it is in the error; ``retrain`` is the command that makes a
    new one. A blob stored before versions were recorded is refused like a mismatch.
    """
    if not blob.startswith(_BLOB_MAGIC):
        raise ArtifactVersionError(
            name, "it was stored without the versions it was made with", retrain=retrain
        )
    header, _, payload = blob[len(_BLOB_MAGIC) :].partition(b"\n")
    try:
        manifest = Manifest.from_json(json.loads(header))
    except (ValueError, AttributeError) as error:
        raise ArtifactVersionError(
            name, f"its manifest is unreadable ({error})", retrain=retrain
        ) from error
    check_versions(name, manifest.made_with, retrain=retrain)
    # Only our own code writes these blobs (see the callers), from our own estimators.
    obj = pickle.loads(payload)  # noqa: S301
    if not isinstance(obj, expected):
        raise TypeError(f"{name} does not hold a {expected.__name__}")
    return obj
