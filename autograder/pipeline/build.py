"""Build source/<id>/<id>.ipynb from reference/lessons/<id>.md and the reference module."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import v4

from autograder.config import COURSE_ROOT, Assignment, lecture_name
from autograder.files import atomic_write
from autograder.pipeline import PipelineError
from autograder.pipeline.guide import (
    HELPER,
    RUN_ON,
    count_checks,
    guide_text,
    wrap_checks,
    wrap_demo,
)
from autograder.pipeline.lesson import Block, parse_lesson
from autograder.pipeline.solutions import solution_cell
from autograder.reference_code import any_reference_function, function_source, reference_function

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
# What ipykernel reports about its language. JupyterLab writes the kernel's language_info into a
# notebook when it opens it, so a notebook holding less is "unsaved" before the student types.
# The version is that of the Python building the course (the course's kernel); a notebook that
# differs only there is not rebuilt (see `build`).
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}


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
        "language_info": {**LANGUAGE_INFO, "version": platform.python_version()},
        "nnfs": {"assignment": assignment.id, "title": assignment.title,
                 "lectures": [lecture_name(lec) for lec in assignment.lectures]},
    }
    nb.cells = [_cell(assignment, lesson, block, index) for index, block in enumerate(blocks)]
    nb.cells[1:1] = _guide_cells(assignment, blocks)  # after the lesson's intro
    nbformat.validate(nb)
    return nb


def notebook_text(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb).rstrip("\n") + "\n"


def build(assignment: Assignment, root: Path = COURSE_ROOT, check: bool = False) -> BuildResult:
    """Write (or with `check`, only compare) the source notebook of `assignment`."""
    path = assignment.source_notebook(root)
    text = notebook_text(build_notebook(assignment, root))
    current = path.read_text(encoding="utf-8") if path.exists() else None
    changed = current is None or _without_version(current) != _without_version(text)
    if changed and not check:
        atomic_write(path, text)
    return BuildResult(assignment.id, path, changed)


def _without_version(text: str) -> str:
    """The notebook's text without its Python version (another machine's build differs there)."""
    nb = nbformat.reads(text, as_version=4)
    nb.metadata.get("language_info", {}).pop("version", None)
    return nbformat.writes(nb)


def _guide_cells(assignment: Assignment, blocks: list[Block]) -> list:
    """How to work in the notebook, and the check cells' helper: after the lesson's intro.

    The guide's example is the notebook's own first check cell, with its real count of checks.
    """
    first = next(b for b in blocks if b.kind == "checks")
    guide = v4.new_markdown_cell(guide_text(assignment.release_notebook().name, first.arg,
                                            count_checks(first.text)))
    helper = v4.new_code_cell(HELPER)
    return [_tag(guide, "how-to-work", "markdown", locked=True),
            _tag(helper, "check-helper", "given", locked=True)]


def _cell(assignment: Assignment, lesson: Path, block: Block, index: int):
    if block.kind == "markdown":
        cell = v4.new_markdown_cell(block.text)
        return _tag(cell, f"md-{index}", "markdown", locked=True)
    if block.kind == "instructor":  # no nbgrader metadata: release drops it (instructor.py)
        cell = v4.new_markdown_cell(block.text)
        cell.id = f"instructor-{index}"
        cell.metadata = {"nnfs": {"role": "instructor"}}
        return cell
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
        cell = v4.new_code_cell(_wrapped(lesson, block, wrap_checks, block.arg))
        cell = _tag(cell, f"test_{block.arg}", "checks", grade=True, locked=True,
                    points=assignment.points[block.arg])
        cell.metadata["tags"] = [RUN_ON]
        return cell
    demo = block.kind == "demo"
    cell = v4.new_code_cell(_wrapped(lesson, block, wrap_demo) if demo else block.text)
    cell.id = f"{block.kind}-{index}"
    cell.metadata = {"nnfs": {"role": block.kind}}
    if demo:
        cell.metadata["tags"] = [RUN_ON]
    return cell


def _wrapped(lesson: Path, block: Block, wrap, *args) -> str:
    try:
        return wrap(*args, block.text)
    except SyntaxError as error:
        raise PipelineError(f"{lesson}:{block.line}: the code does not parse "
                            f"(line {error.lineno} of the block: {error.msg})") from None
    except ValueError as error:
        raise PipelineError(f"{lesson}:{block.line}: {error}") from None


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
