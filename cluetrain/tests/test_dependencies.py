"""Every third-party package the code imports is declared, not merely installed by another."""

import ast
import sys
import tomllib
from collections.abc import Iterable
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = {"cluetrain", "cluetrain_analytics", "cluetrain_lab", "conftest", "e2e"}
#: Modules of type stubs only, never imported at run time.
STUBS_ONLY = {"_typeshed"}

pytestmark = pytest.mark.code_quality


def declared(pyproject: Path) -> set[str]:
    """Distribution names in ``[project]`` dependencies and every optional extra."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    requirements = [*project.get("dependencies", [])]
    for extra in project.get("optional-dependencies", {}).values():
        requirements.extend(extra)
    return {canonicalize_name(Requirement(line).name) for line in requirements}


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
    return [path for folder in folders for path in (ROOT / folder).rglob("*.py")]


def test_every_imported_package_is_declared_in_pyproject() -> None:
    files = [*python_files("cluetrain", "cluetrain_analytics", "e2e"), ROOT / "conftest.py"]

    missing = undeclared(files, declared(ROOT / "pyproject.toml"))

    assert missing == [], "imported but not declared in pyproject.toml:\n" + "\n".join(missing)


@pytest.mark.skipif(not (ROOT / "lab" / "pyproject.toml").exists(), reason="no lab here")
def test_every_package_the_lab_imports_is_declared_by_it_or_by_cluetrain() -> None:
    allowed = declared(ROOT / "lab" / "pyproject.toml") | declared(ROOT / "pyproject.toml")

    missing = undeclared(python_files("lab"), allowed)

    assert missing == [], "imported but declared nowhere:\n" + "\n".join(missing)


def test_an_undeclared_import_is_reported() -> None:
    this_file = Path(__file__).resolve()

    missing = undeclared([this_file], {"pytest"})

    assert missing == ["packaging (packaging): cluetrain/tests/test_dependencies.py"]
