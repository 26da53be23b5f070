"""Every third-party package the code imports is declared, not merely installed by another."""

import ast
import sys
import tomllib
from collections.abc import Iterable
from importlib.metadata import distributions, packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
REGENERATE = "regenerate requirements/constraints.txt with scripts/constraints"
FIRST_PARTY = {"cluetrain", "cluetrain_analytics", "cluetrain_lab", "conftest", "e2e"}
#: Modules of type stubs only, never imported at run time.
STUBS_ONLY = {"_typeshed"}

pytestmark = pytest.mark.code_quality


def requirements(pyproject: Path) -> list[Requirement]:
    """``[project]`` dependencies and those of every optional extra."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    lines = [*project.get("dependencies", [])]
    for extra in project.get("optional-dependencies", {}).values():
        lines.extend(extra)
    return [Requirement(line) for line in lines]


def declared(pyproject: Path) -> set[str]:
    """Distribution names in ``[project]`` dependencies and every optional extra."""
    return {canonicalize_name(requirement.name) for requirement in requirements(pyproject)}


def pinned() -> dict[str, Version]:
    """Distribution name -> the version requirements/constraints.txt pins."""
    pins: dict[str, Version] = {}
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = Version(version)
    return pins


def imported(files: Iterable[Path]) -> dict[str, set[str]]:
    """Top-level module name -> files that import it (absolute imports only)."""
    found: dict[str, set[str]] = {}
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def undeclared(files: Iterable[Path], allowed: set[str]) -> list[str]:
    """One line per third-party module whose distribution is not in ``allowed``."""
    distributions = packages_distributions()
    missing = []
    for module, where in sorted(imported(files).items()):
        if module in sys.stdlib_module_names or module in FIRST_PARTY | STUBS_ONLY:
            continue
        # A module that is not installed is taken to be its own distribution's name.
        names = {canonicalize_name(name) for name in distributions.get(module, [module])}
        if not names & allowed:
            missing.append(f"{module} ({', '.join(sorted(names))}): {', '.join(sorted(where))}")
    return missing


def python_files(*folders: str) -> list[Path]:
    """The sources under ``folders``, not the copies a build leaves in ``build/``."""
    return [
        path
        for folder in folders
        for path in (ROOT / folder).rglob("*.py")
        if "build" not in path.relative_to(ROOT).parts
    ]


def test_every_imported_package_is_declared_in_pyproject() -> None:
    files = [*python_files("cluetrain", "cluetrain_analytics", "e2e"), ROOT / "conftest.py"]

    missing = undeclared(files, declared(ROOT / "pyproject.toml"))

    assert missing == [], "imported but not declared in pyproject.toml:\n" + "\n".join(missing)


@pytest.mark.skipif(not (ROOT / "lab" / "pyproject.toml").exists(), reason="no lab here")
def test_every_package_the_lab_imports_is_declared_by_it_or_by_cluetrain() -> None:
    allowed = declared(ROOT / "lab" / "pyproject.toml") | declared(ROOT / "pyproject.toml")

    missing = undeclared(python_files("lab"), allowed)

    assert missing == [], "imported but declared nowhere:\n" + "\n".join(missing)


def test_the_constraints_pin_what_pyproject_allows() -> None:
    pins = pinned()
    wrong = [
        f"{requirement} but {pins[canonicalize_name(requirement.name)]} is pinned"
        for requirement in requirements(ROOT / "pyproject.toml")
        if canonicalize_name(requirement.name) in pins
        and not requirement.specifier.contains(
            pins[canonicalize_name(requirement.name)], prereleases=True
        )
    ]
    assert wrong == [], f"{REGENERATE}:\n" + "\n".join(wrong)


def test_every_installed_distribution_is_pinned_at_its_version() -> None:
    pins = pinned()
    # Ours, and the installers a new virtualenv comes with (their version is Python's choice).
    project = {"cluetrain", "cluetrain-lab", "pip", "setuptools", "wheel"}
    unpinned = sorted(
        f"{name}=={dist.version} (pinned: {pins.get(name, 'no')})"
        for dist in distributions()
        if (name := canonicalize_name(dist.metadata["Name"])) not in project
        and pins.get(name) != Version(dist.version)
    )
    assert unpinned == [], f"installed here, not as pinned: {REGENERATE}:\n" + "\n".join(unpinned)


def test_an_undeclared_import_is_reported() -> None:
    this_file = Path(__file__).resolve()

    missing = undeclared([this_file], {"pytest"})

    assert missing == ["packaging (packaging): cluetrain/tests/test_dependencies.py"]
