"""Shared by the engine tests: the assignment, short limits, grading a folder, reading results."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from process_table import processes_with, wait_until_gone  # noqa: F401 (used by the tests)

from autograder.config import Limits, get_assignment
from autograder.engine.grade import GradeRun, grade
from autograder.sandbox import process as sandbox_process

ASSIGNMENT = get_assignment("01_forward_pass")
POINTS = ASSIGNMENT.points
MAX_SCORE = ASSIGNMENT.max_score

# Short limits keep the slow threats (loops, sleeps) cheap.
# Short enough that the hanging adversaries cost little, long enough that an honest call or cell
# (the first import of matplotlib among them) finishes with both cores busy with another job.
LIMITS = Limits(
    call_seconds=5.0,
    cell_seconds=10.0,
    submission_seconds=40.0,
    memory_mb=256,
    processes=8,
    output_bytes=20_000,
    call_seconds_by_function={"sigmoid": 1.0},  # CPU time; four times that by the clock
    # every grader's call takes the reference microseconds, so each gets this floor: long
    # enough that a memory bomb reaches the memory limit first with both cores busy
    call_floor_seconds=5.0,
)


# ---------------------------------------------------------------------------------------------
# Reading results


def read_results(out_dir: Path) -> dict[str, dict]:
    return {p.parent.name: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(Path(out_dir).glob("*/results.json"))}


def without_times(document: dict) -> dict:
    """A results.json minus what may differ between two runs (timings, the notebook's path)."""
    doc = json.loads(json.dumps(document))
    doc.pop("execution_time", None)
    doc.get("extra_data", {}).pop("notebook", None)
    return doc


def scores_by_test(document: dict) -> dict[str, float]:
    return {t["name"]: t["score"] for t in document["tests"]}


def function_score(document: dict, function: str) -> float:
    return document["extra_data"]["functions"][function]["score"]


@dataclass
class GradedClass:
    run: GradeRun
    out: Path
    folder: Path
    results: dict[str, dict]
    markers: list[str]  # the markers of every sandbox the run started


def grade_folder(folder: Path, out: Path, workers: int, record: Path | None = None,
                 ) -> GradedClass:
    """Grade a folder with the short limits, noting the marker of every sandbox started."""
    record = record or out.parent / f"{out.name}-markers.txt"
    original = sandbox_process.Sandbox.__init__

    def noting(self, *args, **kwargs):
        original(self, *args, **kwargs)
        with open(record, "a", encoding="utf-8") as f:
            f.write(self.marker + "\n")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sandbox_process.Sandbox, "__init__", noting)
        run = grade(ASSIGNMENT.id, [folder], out, workers, record_gradebook=False,
                    worker_limits=LIMITS)
    markers = record.read_text().split() if record.exists() else []
    return GradedClass(run, out, folder, read_results(out), markers)


# ---------------------------------------------------------------------------------------------
# Files that must not change, and bubblewrap as Ubuntu 24.04 refuses it to a non-root user


def tree_digest(*places: Path) -> str:
    """One hash of every file in `places` (folders, or single files), caches left out."""
    digest = hashlib.sha256()
    for place in places:
        for path in sorted(place.rglob("*")) if place.is_dir() else [place]:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path).encode() + path.read_bytes())
    return digest.hexdigest()


def failing_bwrap(folder: Path) -> Path:
    """A `bwrap` in `folder` that fails as on Ubuntu 24.04; returns its path."""
    bwrap = folder / "bwrap"
    bwrap.write_text("#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\n"
                     "exit 1\n")
    bwrap.chmod(0o755)
    return bwrap
