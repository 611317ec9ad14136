"""Gradescope-format results, grades.csv, and nbgrader's gradebook: all written safely."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from autograder.config import Assignment
from autograder.engine.graders import GraderRun
from autograder.files import atomic_write, json_text


def results_document(assignment: Assignment, student: str, notebook: str, run: GraderRun,
                     *, seconds: float, status: str, problem: str, isolation: str,
                     cells: list[dict], notebook_cells: list) -> dict:
    """The Gradescope results.json of one submission. `notebook_cells` are the cells of the
    notebook at `notebook` as it was read (`Loaded.notebook_cells`).

    Places in the student's notebook are named as the student sees them (JupyterLab numbers no
    cells): "line 2 of the answer cell of `relu` (section “7. ReLU: `relu`”)". A function that
    is missing because its own cell failed says so.
    """
    places = notebook_places(notebook_cells)
    broken = [_located(dict(c), places) for c in cells if c["status"] not in ("ok", "skipped")]
    tests = []
    for number, test in enumerate(run.tests, start=1):
        tags = [test.function] + ([f"mistake: {test.mistake}"] if test.mistake else [])
        tests.append({
            "name": test.name,
            "number": str(number),
            "score": test.score,
            "max_score": test.max_score,
            "output": _cause_of_missing(name_places(test.output, places), broken, places),
            "visibility": "visible",
            "tags": tags,
            "extra_data": {"function": test.function, "outcome": test.outcome,
                           # a failing check's named mistake, {"id", "title"}, or null
                           "mistake": ({"id": test.mistake_id or test.mistake,
                                        "title": test.mistake} if test.mistake else None),
                           "lecture": test.lecture,
                           **({"grader_error": test.detail} if test.detail else {})},
        })
    functions = {name: {"score": score, "max_score": best}
                 for name, (score, best) in run.by_function().items()}
    lines = [f"{student}: {run.score:g} / {run.max_score:g} on {assignment.id}"]
    if problem:
        lines.append(f"Your notebook could not be run: {problem}")
    for cell in broken:
        text = f"{_capital(cell['where'])}: {cell['status']}: {cell['error']}"
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


# ---------------------------------------------------------------------------------------------
# Naming places in the notebook the way the student sees it.

@dataclass(frozen=True)
class Place:
    """One code cell of a submission (by its index among the code cells)."""

    role: str  # "solution" | "checks" | "given" | "demo" | "code" | "" (a cell the student added)
    function: str  # the graded function of an answer or check cell
    section: str  # the title of the section the cell is in, "" before the first one

    def describe(self) -> str:
        where = f"section “{self.section}”" if self.section else "the top of the notebook"
        if self.role == "solution":
            return f"the answer cell of `{self.function}` ({where})"
        if self.role == "checks":
            return f"the check cell of `{self.function}` ({where})"
        kind = {"given": "a read-only cell", "demo": "the demo cell", "code": "the scratch cell"}
        return f"{kind.get(self.role, 'a cell you added')} in {where}"


_HEADING = re.compile(r"^#{1,3}\s+(.+?)\s*#*\s*$", re.M)
_CELL_LINE = re.compile(r"\bcell (\d+), line (\d+)")
_INPUT_LINE = re.compile(r"\s*\(<ipython-input-\d+-[0-9a-f]+>, line (\d+)\)")
_INPUT = re.compile(r"<ipython-input-\d+-[0-9a-f]+>")
_MISSING = re.compile(r"`(\w+)` is not defined in your notebook[^\n]*(?:\n`\w+` is not defined)?")
_SYNTAX = re.compile(r"^(SyntaxError|IndentationError|TabError): (.*?)(?: \(line (\d+)\))?$")


def notebook_places(cells: list) -> list[Place]:
    """A Place for every code cell of a notebook's `cells` (as its JSON holds them), in order."""
    places, section = [], ""
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, dict):
            continue
        source = cell.get("source", "")
        source = "".join(map(str, source)) if isinstance(source, list) else str(source)
        meta = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
        grade_id = str((meta.get("nbgrader") or {}).get("grade_id") or "")
        if cell.get("cell_type") == "markdown":
            headings = _headings(source)
            if headings and grade_id != "how-to-work":  # the guide is no section
                section = headings[-1]
            continue
        if cell.get("cell_type") != "code":
            continue
        role = str((meta.get("nnfs") or {}).get("role") or "")
        function = grade_id.removeprefix("test_") if role in ("solution", "checks") else ""
        places.append(Place(role, function, section))
    return places


@lru_cache(maxsize=256)
def _headings(markdown: str) -> tuple[str, ...]:
    """The headings of a markdown cell: the same cells (the release's) in every notebook of a
    class, so each is searched once per process, not once per student."""
    return tuple(_HEADING.findall(markdown))


def describe_cell(index: int, places: list[Place]) -> str:
    if 0 <= index < len(places):
        return places[index].describe()
    return "a cell of your notebook"


def name_places(text: str, places: list[Place]) -> str:
    """`text` with the sandbox's "cell 15, line 2" and IPython's cell names made readable."""
    if not text:
        return text
    if "cell " in text:  # the patterns' own text: most messages name no place, and are not scanned
        text = _CELL_LINE.sub(
            lambda m: f"line {m.group(2)} of {describe_cell(int(m.group(1)) - 1, places)}",
            text)
    return _INPUT.sub("a notebook cell", text) if "<ipython-input-" in text else text


def _located(cell: dict, places: list[Place]) -> dict:
    index = cell.get("index")
    where = describe_cell(index, places) if isinstance(index, int) else "a cell of your notebook"
    error = _INPUT_LINE.sub(lambda m: f" (line {m.group(1)})", str(cell.get("error") or ""))
    cell["error"] = name_places(error, places)
    cell["where"] = where
    if isinstance(index, int) and 0 <= index < len(places):
        cell["section"] = places[index].section
        cell["function"] = places[index].function if places[index].role == "solution" else ""
    return cell


def _cause_of_missing(output: str, broken: list[dict], places: list[Place]) -> str:
    """"`relu` is not defined" becomes why: the syntax error (or other error) in relu's cell."""
    match = _MISSING.search(output) if output and "is not defined in your" in output else None
    if not match:
        return output
    name = match.group(1)
    cell = next((c for c in broken if c.get("function") == name), None)
    if cell is None:
        return output
    first = (cell.get("error") or "").strip().splitlines()
    first = first[0] if first else ""
    syntax = _SYNTAX.match(first)
    if cell["status"] == "timeout":
        cause = f"its cell ran too long: {first or 'the time limit stopped it'}"
    elif syntax:
        kind = {"SyntaxError": "a syntax error", "IndentationError": "an indentation error",
                "TabError": "mixed tabs and spaces"}[syntax.group(1)]
        on = f" on line {syntax.group(3)}" if syntax.group(3) else ""
        cause = f"its cell has {kind}{on}: {syntax.group(2)}"
    else:
        line = re.search(r"\bline (\d+) of the answer cell of `" + re.escape(name) + "`",
                         cell.get("error") or "")
        cause = f"its cell raised {first or 'an error'}" + (f" on line {line.group(1)}"
                                                               if line else "")
    text = (f"`{name}` was not defined because {cause}. Fix {cell['where']}, run it, "
            "and submit again.")
    return output[:match.start()] + text + output[match.end():]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def write_results(out_dir: Path, student: str, document: dict) -> Path:
    path = out_dir / student / "results.json"
    atomic_write(path, json_text(document, "tests"))
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
    writer.writerow(["student", "score", "max_score", "status", "isolation", *functions])
    for student, doc in sorted(documents.items()):
        per = doc["extra_data"]["functions"]
        writer.writerow([student, f"{doc['score']:g}", f"{doc['max_score']:g}",
                         doc["extra_data"]["status"], doc["extra_data"].get("isolation", ""),
                         *(f"{per.get(f, {}).get('score', 0):g}" for f in functions)])
    path = out_dir / "grades.csv"
    atomic_write(path, buffer.getvalue())
    return path
