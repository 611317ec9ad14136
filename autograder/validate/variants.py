"""The acceptable variants (autograder/variants/) against the graders and the public checks.

Every variant must earn every point from the hidden graders (it is graded with the mutants, in the
same synthetic class: mutation.py) and pass its function's public checks in the release notebook:
a public check that fails an answer the spec accepts asks more than the graders.

The public checks run as a student would run them: the release notebook's given cells and check
helper, the reference's answer cells (from the source notebook) with the variant in place of its
function's, then that function's check cell; demos and scratch cells are left out. Each variant
runs in a fresh Python process, so none sees another's definitions.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat

from autograder.config import COURSE_ROOT, Assignment
from autograder.variants import Variant, variants_for

SECONDS = 300  # one variant's notebook, 04's training checks included, on a busy machine


def judge_variant(variant: Variant, document: dict | None, report) -> None:
    """Problems when the graders took any point from an acceptable variant."""
    if document is None:
        report.problems.append(f"variant {variant.id} got no result")
        return
    report.variants += 1
    for test in document["tests"]:
        if test["score"] < test["max_score"]:
            lines = [line for line in test["output"].splitlines() if line.strip()]
            report.problems.append(
                f"variant {variant.id} ({variant.idiom}) is acceptable by the spec but loses "
                f"{test['max_score'] - test['score']:g} point(s) on {test['name']}: "
                f"{' / '.join(lines[-3:])}")


def check_public(assignment: Assignment, root: Path = COURSE_ROOT) -> list[str]:
    """Problems: every variant whose function's public checks fail it, and why."""
    release = nbformat.read(assignment.release_notebook(root), as_version=4)
    source = nbformat.read(assignment.source_notebook(root), as_version=4)
    answers = {_grade_id(c): c.source for c in source.cells if _is_answer(c)}
    problems = []
    for variant in variants_for(assignment.module):
        program = _program(release, answers, variant)
        env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONWARNINGS": "ignore"}
        try:
            done = subprocess.run([sys.executable, "-"], input=program, text=True,
                                  capture_output=True, timeout=SECONDS, env=env, cwd=root)
        except subprocess.TimeoutExpired:
            problems.append(f"variant {variant.id}: its public checks ran past {SECONDS} s")
            continue
        if done.returncode != 0:
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            problems.append(f"variant {variant.id} ({variant.idiom}) is acceptable by the spec "
                            f"but fails the release notebook's public checks of "
                            f"{variant.function}: {' / '.join(lines[-3:])}")
    return problems


def _program(release, answers: dict[str, str], variant: Variant) -> str:
    parts = []
    for cell in release.cells:
        if cell.cell_type != "code":
            continue
        role = cell.metadata.get("nnfs", {}).get("role")
        if _is_answer(cell):
            grade_id = _grade_id(cell)
            parts.append(variant.source if grade_id == variant.function else answers[grade_id])
        elif role in ("given",):
            parts.append(cell.source)
        elif role == "checks" and _grade_id(cell) == f"test_{variant.function}":
            parts.append(cell.source)
    return "\n\n".join(parts) + "\n"


def _grade_id(cell) -> str:
    return cell.metadata.get("nbgrader", {}).get("grade_id", "")


def _is_answer(cell) -> bool:
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("solution"))
