"""A production install has no lab (lab/, the cluetrain-lab distribution): Cluetrain runs alone."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# As if cluetrain-lab were not installed: no finder finds it.
WITHOUT_LAB = """
import sys

class Blind:
    def __init__(self, finder):
        self.finder = finder

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "cluetrain_lab":
            return None
        return self.finder.find_spec(name, path, target)

    def __getattr__(self, name):  # find_distributions, invalidate_caches: the finder's own
        return getattr(self.finder, name)

sys.meta_path[:] = [Blind(finder) for finder in sys.meta_path]
import django
django.setup()
from django.conf import settings
from django.core.management import call_command, get_commands
from django.urls import Resolver404, resolve

assert "cluetrain_lab" not in settings.INSTALLED_APPS, settings.INSTALLED_APPS
assert settings.BENCH_VIEWS is False
lab_commands = {"eval", "bench", "bench_text", "bench_graph", "bench_import", "train_text"}
assert not lab_commands & set(get_commands()), sorted(lab_commands & set(get_commands()))
try:
    resolve("/bench/bare/")
except Resolver404:
    pass
else:
    raise AssertionError("/bench/bare/ is served without the lab")
call_command("check")
print("ok")
"""


def test_cluetrain_checks_and_serves_no_bench_pages_without_the_lab(tmp_path: Path) -> None:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "cluetrain.settings",
        "CLUETRAIN_DATA_DIR": str(tmp_path),
        "BENCH_VIEWS": "true",  # asked for, but there is nothing to serve
    }
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", WITHOUT_LAB],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "ok"
