"""The cold-container benchmark runs end to end once and prints both timings (about a minute)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from autograder.config import COURSE_ROOT, get_assignment
from autograder.gradescope import local

SCRIPT = COURSE_ROOT / "benchmarks" / "gradescope_cold.py"


@pytest.mark.slow
def test_the_benchmark_times_run_autograder_next_to_grade(tmp_path):
    why = local.Container.possible()
    if why:
        pytest.skip(f"the simulated Gradescope container {why}")
    figures = tmp_path / "figures.json"
    run = subprocess.run([sys.executable, str(SCRIPT), "--repeats", "1", "--json", str(figures)],
                         capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "run_autograder start -> results.json" in run.stdout
    assert "nnfs-course grade, same notebook" in run.stdout
    data = json.loads(figures.read_text())
    full_marks = get_assignment("01_forward_pass").max_score
    assert data["gradescope_isolation"] == "user" and data["gradescope_score"] == full_marks
    assert data["grade_score"] == full_marks
    assert data["gradescope_cold_seconds"] > 0 and data["grade_seconds"] > 0
