"""The real-class benchmark runs end to end on a small class, and its slow but correct students
earn full marks. It judges no speed; this only checks that it still works."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.config import COURSE_ROOT, get_assignment

SCRIPT = COURSE_ROOT / "benchmarks" / "real_class.py"


@pytest.mark.slow
def test_real_class_benchmark_grades_both_classes_and_slow_answers_keep_full_marks(
        tmp_path: Path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--n", "10", "--repeats", "1", "--no-nbgrader",
         "--json", str(tmp_path / "figures.json")],
        # about a minute with both cores busy; the limit only stops a hang
        cwd=tmp_path, capture_output=True, text=True, timeout=1200,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "| mixed ÷ clean |" in result.stdout, result.stdout
    figures = json.loads((tmp_path / "figures.json").read_text())
    assert set(figures["runs"]) == {"clean", "mixed", "example", "example without fay"}
    full = f"{get_assignment('01_forward_pass').max_score:g}"
    kinds = figures["scores by kind (mixed class)"]
    assert kinds["slow but correct"] == [full] and set(kinds["correct"]) == {full}
    assert all(score != full for score in kinds["endless loop"] + kinds["broken function"])
