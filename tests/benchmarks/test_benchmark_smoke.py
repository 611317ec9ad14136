"""The grading-throughput benchmark runs end to end on a tiny class and prints its table.

Three submissions of 01_forward_pass, graded by `nnfs-course grade` (1 and 2 workers) and by
`nbgrader autograde`: about 30 s. The benchmark judges nothing; this only checks that it still
works and reports numbers for both tools.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.config import COURSE_ROOT

SCRIPT = COURSE_ROOT / "benchmarks" / "grading_throughput.py"
NUMBER = r"\d+(?:\.\d+)?"


@pytest.mark.slow
def test_benchmark_prints_both_tools_with_numbers(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--n", "3", "--assignments", "01_forward_pass",
         "--workers", "2", "--repeats", "1", "--scratch", str(tmp_path / "scratch"),
         "--json", str(tmp_path / "figures.json")],
        # about 4 min with both cores busy; the limit only stops a hang, so it keeps a wide margin
        cwd=tmp_path, capture_output=True, text=True, timeout=1800,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    rows = {}
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 9 and cells[0] == "01_forward_pass":
            rows[(cells[1], cells[2])] = cells
    assert set(rows) == {("nbgrader autograde", "1"), ("nnfs-course grade", "1"),
                         ("nnfs-course grade", "2"), ("nnfs-course grade --no-gradebook", "2")}, out
    for cells in rows.values():
        assert cells[3] == "3"
        for number in cells[4:]:  # seconds, s/submission, memory, score
            assert re.fullmatch(NUMBER, number), cells
        assert float(cells[4]) > 0 and float(cells[5]) > 0
    ratio = rf"\| 01_forward_pass \| {NUMBER}× \| {NUMBER}× \| (?:bubblewrap|unshare|none) \|"
    assert re.search(ratio, out), out
    assert re.search(rf"nbgrader autograde one submission.*\| {NUMBER} \|", out), out
    assert re.search(rf"nnfs-course one submission.*\| {NUMBER} \|", out), out
    assert (tmp_path / "figures.json").stat().st_size > 0
