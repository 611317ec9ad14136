"""Release an assignment with nbgrader's own generate_assignment, then prove it leaks nothing.

nbgrader runs in a staging folder with a scratch gradebook, so neither a failed release nor a
leak can touch the committed release/ or the course's gradebook. Once the release is verified,
the course's gradebook gets the notebook's cells exactly as generate_assignment's SaveCells
records them (nbgrader/gradebook.py). After a class is graded that keeps working while the graded
cells stay, and nbgrader's own `generate_assignment --force` then rewrites release/ unchanged.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.config import COURSE_ROOT, Assignment
from autograder.files import atomic_write
from autograder.nbgrader.cells import read_release
from autograder.nbgrader.course import ensure_tools_on_path, nbgrader_config
from autograder.nbgrader.gradebook import sync_notebook
from autograder.pipeline import PipelineError
from autograder.pipeline.leaks import Leak, find_leaks


@dataclass
class ReleaseResult:
    assignment: str
    path: Path
    changed: bool
    leaks: list[Leak]


def generate(assignment: Assignment, root: Path, into: Path) -> Path:
    """Run nbgrader's generate_assignment for `assignment`, writing the release under `into`."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    source = assignment.source_notebook(root)
    if not source.exists():
        raise PipelineError(
            f"{source}: no source notebook; run `nnfs-course build {assignment.id}`")
    try:
        nbformat.validate(nbformat.read(source, as_version=4))
    except Exception as error:  # nbformat raises several kinds for a broken file
        raise PipelineError(f"{source}: not a valid notebook ({_first_line(error)})") from None
    ensure_tools_on_path()
    config = nbgrader_config(root)
    config.CourseDirectory.release_directory = str(into)
    # a scratch gradebook: the course's is updated only once the release is verified
    config.CourseDirectory.db_url = f"sqlite:///{into / 'gradebook.db'}"
    coursedir = CourseDirectory(config=config)
    api = NbGraderAPI(coursedir=coursedir, config=config)
    result = api.generate_assignment(assignment.id, force=True, create=True)
    out = into / assignment.id / f"{assignment.id}.ipynb"
    if not result.get("success") or not out.exists():
        raise PipelineError(f"{source}: nbgrader generate_assignment failed: "
                            f"{_nbgrader_reason(result)}")
    return out


def _nbgrader_reason(result: dict) -> str:
    """The line of nbgrader's log that says what went wrong (its last lines only say 'error')."""
    text = "\n".join(str(result.get(key) or "") for key in ("log", "error"))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    causes = [line for line in lines if re.match(r"^\w+(Error|Exception): ", line)
              and "NbGraderException" not in line]
    if causes:
        return causes[-1]
    return lines[-1] if lines else "unknown error"


def release(assignment: Assignment, root: Path = COURSE_ROOT, check: bool = False) -> ReleaseResult:
    """Generate the student release into a staging folder, verify it, then move it into place.

    A release with any leak is never written to release/, nor recorded. Otherwise the course's
    gradebook records the release's cells; where submissions were graded against cells the new
    release adds, removes or renames, GradebookConflict says which, and nothing is written.
    With `check`, nothing is written: the result says whether the committed release differs from
    a fresh one (and a conflict with the gradebook is raised all the same).
    """
    target = assignment.release_notebook(root)
    with tempfile.TemporaryDirectory(prefix="nnfs-release-") as staging:
        staged = generate(assignment, root, Path(staging))
        leaks = find_leaks(assignment, staged, root)
        text = staged.read_text(encoding="utf-8")
        current = target.read_text(encoding="utf-8") if target.exists() else None
        changed = current != text
        if not leaks and (not check or (root / "gradebook.db").exists()):
            sync_notebook(assignment, read_release(staged), root, dry_run=check)
        if not leaks and changed and not check:
            atomic_write(target, text)
    return ReleaseResult(assignment.id, target, changed, leaks)


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
