"""The students' answer code, and the code every student was given (the boilerplate).

A student's answer is the source of their notebook's answer cells (nbgrader `solution` cells,
found by their grade_id), in the assignment's function order. Where a notebook lost that
metadata, every code cell that is not one of the release's own cells counts as an answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from autograder.config import Assignment
from autograder.engine.submissions import discover, normalise
from autograder.reference_code import function_source, reference_function


@dataclass
class Answer:
    student: str
    path: Path
    code: str = ""  # the answer cells, joined
    functions: dict[str, str] = field(default_factory=dict)  # function -> its cell's source
    problem: str = ""  # why the notebook could not be read
    stubs: int = 0  # answer cells left as released


def release_cells(release: Path) -> list[str]:
    """The release's code cells: given code, checks and the stubs of the answer cells."""
    nb = json.loads(release.read_text(encoding="utf-8"))
    return [_source(c) for c in nb["cells"] if c.get("cell_type") == "code"]


def boilerplate(assignment: Assignment, release: Path) -> list[str]:
    """Code no one should be suspected for sharing: the release's cells (stubs, given code,
    checks) and the reference solutions (the lectures' own lines, e.g. np.maximum(0, z))."""
    parts = release_cells(release)
    return parts + [function_source(reference_function(assignment, name))
                    for name in assignment.points]


def read_answers(assignment: Assignment, paths: list[Path], root: Path,
                 id_pattern: str | None = None) -> list[Answer]:
    """Every student's answer code, found as `grade` finds submissions."""
    release = assignment.release_notebook(root)
    given = {normalise(s) for s in boilerplate(assignment, release)} if release.is_file() \
        else set()
    answers = []
    for found in discover(assignment, paths, root, id_pattern):
        answers.append(_read(found.student, found.path, assignment, given))
    return answers


def _read(student: str, path: Path, assignment: Assignment, given: set[str]) -> Answer:
    answer = Answer(student, path)
    try:
        cells = json.loads(path.read_text(encoding="utf-8", errors="replace"))["cells"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        answer.problem = f"not a readable notebook ({type(error).__name__})"
        return answer
    code = [c for c in cells if isinstance(c, dict) and c.get("cell_type") == "code"]
    for cell in code:
        meta = (cell.get("metadata") or {}).get("nbgrader") or {}
        name = meta.get("grade_id")
        if meta.get("solution") and name in assignment.points \
                and normalise(_source(cell)) not in given:  # a stub, or the reference itself
            answer.functions[name] = _source(cell)
        elif meta.get("solution"):
            answer.stubs += 1
    if not answer.functions and not answer.stubs:  # metadata stripped: what the student added
        extra = [_source(c) for c in code if normalise(_source(c)) not in given]
        answer.functions = {f"cell {i}": s for i, s in enumerate(extra, start=1)}
    ordered = [n for n in assignment.points if n in answer.functions]
    ordered += [n for n in answer.functions if n not in ordered]
    answer.code = "\n\n".join(answer.functions[n].rstrip() for n in ordered) + "\n"
    return answer


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(map(str, source)) if isinstance(source, list) else str(source)
