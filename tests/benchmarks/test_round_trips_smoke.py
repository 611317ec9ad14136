"""The round-trips benchmark runs end to end: with the call plan, a clean notebook of
01_forward_pass gets all of the graders' calls in one request instead of one each."""

from __future__ import annotations

import subprocess
import sys

import pytest

from autograder.config import COURSE_ROOT

SCRIPT = COURSE_ROOT / "benchmarks" / "round_trips.py"


@pytest.mark.slow  # about 15 s with both cores busy
def test_the_call_plan_sends_the_graders_calls_in_one_request(tmp_path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "01_forward_pass", "--n", "3", "--rounds", "1"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    rows = {line[:16].strip(): line[16:].split() for line in result.stdout.splitlines()
            if line.startswith(("one at a time", "call plan"))}
    alone, planned = float(rows["one at a time"][0]), float(rows["call plan"][0])
    assert planned == 1 < alone, result.stdout
