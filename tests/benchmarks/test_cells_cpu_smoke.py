"""The cells benchmark runs end to end on two notebooks and finds both ways agree."""

import subprocess
import sys

import pytest

from autograder.config import COURSE_ROOT

SCRIPT = COURSE_ROOT / "benchmarks" / "cells_cpu.py"


@pytest.mark.slow
def test_cells_benchmark_times_both_ways(tmp_path):
    result = subprocess.run([sys.executable, str(SCRIPT), "--n", "2"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "same cells and names both ways: 2 of 2 notebooks" in result.stdout
    assert "  ipython  median" in result.stdout and "  plain    median" in result.stdout
