"""Gradescope-format results, grades.csv, and nbgrader's gradebook: all written safely."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from autograder.config import Assignment
from autograder.engine.graders import GraderRun
from autograder.files import atomic_write


def results_document(assignment: Assignment, student: str, notebook: str, run: GraderRun,
                     *, seconds: float, status: str, problem: str, isolation: str,
                     cells: list[dict]) -> dict:
    """The Gradescope results.json of one submission."""
    tests = []
    for number, test in enumerate(run.tests, start=1):
        tags = [test.function] + ([f"mistake: {test.mistake}"] if test.mistake else [])
        tests.append({
            "name": test.name,
            "number": str(number),
            "score": test.score,
            "max_score": test.max_score,
            "output": test.output,
            "visibility": "visible",
            "tags": tags,
            "extra_data": {"function": test.function, "outcome": test.outcome,
                           "mistake": test.mistake, "lecture": test.lecture,
                           **({"grader_error": test.detail} if test.detail else {})},
        })
    functions = {name: {"score": score, "max_score": best}
                 for name, (score, best) in run.by_function().items()}
    lines = [f"{student}: {run.score:g} / {run.max_score:g} on {assignment.id}"]
    if problem:
        lines.append(f"Your notebook could not be run: {problem}")
    broken = [c for c in cells if c["status"] not in ("ok", "skipped")]
    for cell in broken:
        text = f"Code cell {cell['index'] + 1}: {cell['status']}: {cell['error']}"
        lines.append(text.rstrip(": "))
    return {
        "score": run.score,
        "max_score": run.max_score,
        "execution_time": round(seconds, 3),
        "output": "\n".join(lines),
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": {"student": student, "assignment": assignment.id, "notebook": notebook,
                       "status": status, "problem": problem, "isolation": isolation,
                       "cells": broken, "functions": functions},
        "tests": tests,
    }


def write_results(out_dir: Path, student: str, document: dict) -> Path:
    path = out_dir / student / "results.json"
    atomic_write(path, json.dumps(document, indent=2, sort_keys=False) + "\n")
    return path


def read_results(out_dir: Path) -> dict[str, dict]:
    out = {}
    for path in sorted(out_dir.glob("*/results.json")):
        out[path.parent.name] = json.loads(path.read_text(encoding="utf-8"))
    return out


def write_grades_csv(assignment: Assignment, out_dir: Path, documents: dict[str, dict]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    functions = list(assignment.points)
    writer.writerow(["student", "score", "max_score", "status", *functions])
    for student, doc in sorted(documents.items()):
        per = doc["extra_data"]["functions"]
        writer.writerow([student, f"{doc['score']:g}", f"{doc['max_score']:g}",
                         doc["extra_data"]["status"],
                         *(f"{per.get(f, {}).get('score', 0):g}" for f in functions)])
    path = out_dir / "grades.csv"
    atomic_write(path, buffer.getvalue())
    return path
