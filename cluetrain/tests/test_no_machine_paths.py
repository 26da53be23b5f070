"""No tracked file names a folder of the machine it was written on.

Data folders are arguments (or CLUETRAIN_DATA); docs show paths relative to the checkout, such
as ``../shared/data/twcs``. A path that only exists on one machine breaks on every other one.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# An absolute path into the work folder, root's home or a user's home (the examples below are
# written in pieces so that this file does not name such a path itself).
# A URL path with such a name inside (a member called root) is not one: a name comes before
# the slash there.
MACHINE_PATH = re.compile(r"(?<![\w.~/-])/(?:work|root|home/[\w.-]+)/")


def _tracked_files() -> list[Path]:
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: no list of tracked files")
    listed = subprocess.run(  # noqa: S603 - git, fixed arguments
        [git, "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    return [ROOT / name for name in listed.decode().split("\0") if name]


def test_no_tracked_file_names_a_folder_of_this_machine() -> None:
    hits = []
    for path in _tracked_files():
        if path == Path(__file__).resolve():
            continue  # its own examples below
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue  # binary artifacts; files deleted but not yet committed
        for number, line in enumerate(text.splitlines(), 1):
            if MACHINE_PATH.search(line):
                hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    assert hits == []


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("default=Path('" + "/work" + "/shared/data/twcs')", True),
        ("see " + "/root" + "/.cache/x", True),
        ('"data": "' + "/home" + '/alice/data"', True),
        ("`../shared/data/tweeteval`", False),
        ('client.get("/people' + "/root" + '/")', False),
        ("https://example.com" + "/work" + "/items/", False),
    ],
)
def test_the_pattern_tells_machine_paths_from_url_paths(line: str, found: bool) -> None:
    assert bool(MACHINE_PATH.search(line)) is found
