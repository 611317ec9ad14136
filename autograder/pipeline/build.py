"""Build source/<id>/<id>.ipynb from reference/lessons/<id>.md and the reference module."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import v4

from autograder.config import COURSE_ROOT, Assignment, lecture_name
from autograder.files import atomic_write
from autograder.pipeline import PipelineError
from autograder.pipeline.lesson import Block, parse_lesson
from autograder.pipeline.solutions import (
    any_reference_function,
    function_source,
    reference_function,
    solution_cell,
)

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


@dataclass
class BuildResult:
    assignment: str
    path: Path
    changed: bool


def build_notebook(assignment: Assignment, root: Path = COURSE_ROOT) -> nbformat.NotebookNode:
    for name in assignment.functions:
        reference_function(assignment, name)  # a missing one is named before anything else
    lesson = assignment.lesson(root)
    blocks = parse_lesson(lesson)
    _check_structure(assignment, lesson, blocks)
    nb = v4.new_notebook()
    nb.metadata = {
        "kernelspec": dict(KERNELSPEC),
        "language_info": {"name": "python"},
        "nnfs": {"assignment": assignment.id, "title": assignment.title,
                 "lectures": [lecture_name(lec) for lec in assignment.lectures]},
    }
    for index, block in enumerate(blocks):
        nb.cells.append(_cell(assignment, block, index))
    nbformat.validate(nb)
    return nb


def notebook_text(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb).rstrip("\n") + "\n"


def build(assignment: Assignment, root: Path = COURSE_ROOT, check: bool = False) -> BuildResult:
    """Write (or with `check`, only compare) the source notebook of `assignment`."""
    path = assignment.source_notebook(root)
    text = notebook_text(build_notebook(assignment, root))
    current = path.read_text(encoding="utf-8") if path.exists() else None
    changed = current != text
    if changed and not check:
        atomic_write(path, text)
    return BuildResult(assignment.id, path, changed)


def _cell(assignment: Assignment, block: Block, index: int):
    if block.kind == "markdown":
        cell = v4.new_markdown_cell(block.text)
        return _tag(cell, f"md-{index}", "markdown", locked=True)
    if block.kind == "given":
        if block.arg:
            names = [n.strip() for n in block.arg.split(",") if n.strip()]
            code = "\n\n".join(function_source(any_reference_function(n)).rstrip() for n in names)
        else:
            code = block.text
        return _tag(v4.new_code_cell(code), f"given-{index}", "given", locked=True)
    if block.kind == "solution":
        code = solution_cell(reference_function(assignment, block.arg))
        cell = v4.new_code_cell(code)
        return _tag(cell, block.arg, "solution", solution=True)
    if block.kind == "checks":
        cell = v4.new_code_cell(block.text)
        return _tag(cell, f"test_{block.arg}", "checks", grade=True, locked=True,
                    points=assignment.points[block.arg])
    cell = v4.new_code_cell(block.text)
    cell.id = f"{block.kind}-{index}"
    cell.metadata = {"nnfs": {"role": block.kind}}
    return cell


def _tag(cell, grade_id: str, role: str, *, solution=False, grade=False, locked=False,
         points=None):
    meta = {"schema_version": 3, "grade_id": grade_id, "solution": solution, "grade": grade,
            "locked": locked}
    if points is not None:
        meta["points"] = points
    cell.id = grade_id.replace("_", "-")[:64]
    cell.metadata = {"nbgrader": meta, "nnfs": {"role": role}}
    return cell


def _check_structure(assignment: Assignment, lesson: Path, blocks: list[Block]) -> None:
    graded = set(assignment.functions)
    seen: dict[str, dict[str, Block]] = {"solution": {}, "checks": {}}
    for block in blocks:
        if block.kind not in seen:
            continue
        if block.arg not in graded:
            raise PipelineError(
                f"{lesson}:{block.line}: `{block.arg}` is not a graded function of {assignment.id} "
                "in course_config.py")
        if block.arg in seen[block.kind]:
            raise PipelineError(f"{lesson}:{block.line}: a second {block.kind} cell for "
                                f"`{block.arg}`")
        if block.kind == "checks" and block.arg not in seen["solution"]:
            raise PipelineError(f"{lesson}:{block.line}: the checks of `{block.arg}` come before "
                                "its solution cell")
        seen[block.kind][block.arg] = block
    for kind, found in seen.items():
        missing = [name for name in assignment.functions if name not in found]
        if missing:
            raise PipelineError(f"{lesson}: no <!-- {kind}: {missing[0]} --> cell "
                                f"({len(missing)} graded function(s) lack one)")
