"""Every fuzz target (tests/fuzz/targets.py) runs briefly under atheris, each in a process of
its own (atheris fuzzes once per process): no input may crash it. `make fuzz` runs each for ten
minutes (FUZZ_SECONDS); CARTSHARE_FUZZ_SECONDS and CARTSHARE_FUZZ_RUNS bound this run."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

if sys.version_info >= (3, 12):  # pyproject.toml: atheris 2.3.0 is for CPython 3.11 and older
    pytest.skip("atheris 2.3.0 has no wheel for Python 3.12+", allow_module_level=True)

from tests.fuzz.targets import TARGETS  # after the skip: it imports atheris

ROOT = Path(__file__).resolve().parents[2]
SECONDS = os.environ.get("CARTSHARE_FUZZ_SECONDS", "5")
RUNS = os.environ.get("CARTSHARE_FUZZ_RUNS", "3000")


@pytest.mark.parametrize("target", TARGETS)
def test_no_input_crashes_the_target(target, tmp_path):
    environment = {
        **os.environ,
        "CARTSHARE_VAR_DIR": str(settings.VAR_DIR),
        "PYTHONPATH": str(ROOT),
    }
    environment.pop("DATABASE_URL", None)  # the targets use a SQLite file of their own
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.fuzz.run",
            target,
            f"-max_total_time={SECONDS}",
            f"-runs={RUNS}",
            f"-artifact_prefix={tmp_path}/",
            "-print_final_stats=1",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr[-4000:]
    assert "Done " in finished.stderr, finished.stderr[-2000:]
    assert not list(tmp_path.iterdir()), "a crash was written"
