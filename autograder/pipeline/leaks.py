"""Prove a release notebook gives nothing away: stubs only, no solution line, no hidden test."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.config import COURSE_ROOT, Assignment
from autograder.pipeline.instructor import is_instructor_cell
from autograder.pipeline.solutions import solution_lines
from autograder.reference_code import reference_function

HIDDEN_MARKERS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "BEGIN SOLUTION", "END SOLUTION",
                  "BEGIN MARK SCHEME", "END MARK SCHEME")
MIN_SIGNIFICANT = 12  # shorter lines ("return out") are too common to mean a leak


@dataclass(frozen=True)
class Leak:
    cell: int  # index of the release cell, or -1 for the folder
    problem: str

    def __str__(self) -> str:
        where = f"cell {self.cell}" if self.cell >= 0 else "release folder"
        return f"{where}: {self.problem}"


def normalise(line: str) -> str:
    return " ".join(line.split())


def significant(lines) -> set[str]:
    out = set()
    for line in lines:
        norm = normalise(line)
        if len(norm) >= MIN_SIGNIFICANT and not norm.startswith("#") and re.search(r"\w", norm):
            out.add(norm)
    return out


def grader_lines(assignment: Assignment, root: Path = COURSE_ROOT) -> set[str]:
    """Lines of the hidden graders that would give a test away (not imports or decorators)."""
    from autograder.grader_layout import grader_files

    lines = [line for path in grader_files(assignment, root)
             for line in path.read_text(encoding="utf-8").splitlines()
             if not line.lstrip().startswith(("import ", "from ", "@", '"""'))]
    return significant(lines)


def find_leaks(assignment: Assignment, release_nb: Path, root: Path = COURSE_ROOT) -> list[Leak]:
    nb = nbformat.read(release_nb, as_version=4)
    leaks: list[Leak] = []
    solutions = {name: significant(solution_lines(reference_function(assignment, name)))
                 for name in assignment.points}
    secret_solution = set().union(*solutions.values())
    secret_tests = grader_lines(assignment, root)
    answered: set[str] = set()
    for index, cell in enumerate(nb.cells):
        source = cell.source
        for marker in HIDDEN_MARKERS:
            if marker in source:
                leaks.append(Leak(index, f"contains the marker '### {marker}'"))
        for line in source.splitlines():
            norm = normalise(line)
            if norm in secret_solution:
                leaks.append(Leak(index, f"a line of a reference solution survives: {norm!r}"))
            elif norm in secret_tests:
                leaks.append(Leak(index, f"a line of a hidden test survives: {norm!r}"))
        if is_instructor_cell(cell):
            leaks.append(Leak(index, "a cell for the instructor only survives"))
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution"):
            name = meta.get("grade_id", "")
            answered.add(name)
            problem = _not_a_stub(source)
            if problem:
                leaks.append(Leak(index, f"exercise cell `{name}` {problem}"))
    for name in assignment.points:
        if name not in answered:
            leaks.append(Leak(-1, f"no exercise cell for `{name}`"))
    extra = [p.name for p in release_nb.parent.iterdir() if p != release_nb]
    if extra:
        leaks.append(Leak(-1, f"files other than the notebook: {', '.join(sorted(extra))}"))
    return leaks


def _not_a_stub(source: str) -> str | None:
    """None when every function in the cell only raises NotImplementedError."""
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        return f"is not valid Python ({error.msg})"
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    if not functions:
        return "defines no function"
    for function in functions:
        body = function.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]
        if not (len(body) == 1 and _raises_not_implemented(body[0])):
            return f"does more than raise NotImplementedError in `{function.name}`"
    return None


def _raises_not_implemented(node: ast.stmt) -> bool:
    if not isinstance(node, ast.Raise) or node.exc is None:
        return False
    exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"
