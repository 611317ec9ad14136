"""The grading-throughput benchmark runs end to end on tiny classes and prints its table.

N = 1 and N = 3 of 01_forward_pass, graded by `nnfs-course grade` (with and without the
gradebook) and by `nbgrader autograde`: about a minute. The benchmark judges nothing; this only
checks that it still works and reports numbers for both tools.
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
TOOLS = {"nbgrader autograde", "nnfs-course grade", "nnfs-course grade --no-gradebook"}


@pytest.mark.slow
def test_benchmark_prints_both_tools_with_numbers(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--n", "1,3", "--assignments", "01_forward_pass",
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
        if len(cells) == 11 and cells[0] == "01_forward_pass":
            rows[(cells[1], cells[2])] = cells
    assert set(rows) == {(n, tool) for n in ("1", "3") for tool in TOOLS}, out
    for (_, tool), cells in rows.items():
        numbers = cells[4:6] + cells[7:11]  # seconds, s/submission, memory, score, load
        if tool != "nbgrader autograde":
            numbers.append(cells[6])  # the first results.json
        for number in numbers:
            assert re.fullmatch(NUMBER, number), cells
        assert float(cells[4]) > 0 and float(cells[5]) > 0
    for n in ("1", "3"):
        ratio = (rf"\| 01_forward_pass \| {n} \| {NUMBER}× \| {NUMBER}× \| "
                 r"(?:bubblewrap|unshare|none) \|")
        assert re.search(ratio, out), out
    assert re.search(rf"nbgrader autograde, one submission.*\| {NUMBER} \|", out), out
    assert re.search(rf"its results.json, from the command's start \| {NUMBER} \|", out), out
    assert (tmp_path / "figures.json").stat().st_size > 0


def _printed(script: str, tmp_path: Path) -> str:
    """What a benchmark of the synthetic class prints for one run of 3 notebooks."""
    result = subprocess.run([sys.executable, str(COURSE_ROOT / "benchmarks" / script),
                             "--n", "3", "--runs", "1", "--scratch", str(tmp_path / "scratch")],
                            cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.slow
def test_student_time_prints_each_heading_with_numbers(tmp_path: Path):
    printed = _printed("student_time.py", tmp_path)
    for heading in ("the command", "grading workers", "the sandbox", "whole run"):
        assert re.search(rf"\| {heading} \| {NUMBER} \| {NUMBER}% \|", printed), printed


@pytest.mark.slow
def test_engine_parts_prints_the_parts_of_the_workers_and_the_gradebook_thread(tmp_path: Path):
    printed = _printed("engine_parts.py", tmp_path)
    for part in ("worker: the graders of a student (runner._grade)",
                 "gradebook thread: the sqlite3 rows", "gradebook thread: its JSON text"):
        match = re.search(rf"\| {re.escape(part)} \| ({NUMBER}) \| {NUMBER} \|", printed)
        assert match and float(match.group(1)) > 0, printed
