"""Find submissions on disk and read them into the code cells the sandbox runs."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from autograder.config import COURSE_ROOT, Assignment, assignments

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$")


class SubmissionPathError(Exception):
    """A PATH given to `grade` that is neither a notebook, a folder of them, nor submitted/."""


@dataclass(frozen=True)
class Found:
    student: str
    path: Path


@dataclass
class Loaded:
    """A submission read from disk: its code cells, or the reason it cannot run."""

    student: str
    path: Path
    cells: list[str] = field(default_factory=list)
    skip: set[int] = field(default_factory=set)
    problem: str = ""


def discover(assignment: Assignment, paths: list[Path], root: Path = COURSE_ROOT,
             clashes: list[str] | None = None) -> list[Found]:
    """Every submission under `paths` (default: the course's submitted/ folder), one per student.

    The student id is the folder name in an nbgrader `submitted/<student>/<assignment>/` tree,
    or else the notebook's file stem. A student found twice keeps the first path; each other
    notebook of that id is described in `clashes` (which the CLI reports).
    """
    if not paths:
        default = root / "submitted"
        if not default.is_dir():
            raise SubmissionPathError(f"{default}: no submitted/ folder; give notebook paths")
        paths = [default]
    found: dict[str, Found] = {}
    for path in paths:
        for item in _expand(assignment, Path(path)):
            first = found.setdefault(item.student, item)
            if clashes is not None and first.path.resolve() != item.path.resolve():
                clashes.append(f"{item.path} was not graded: {first.path} has the same "
                               f"student id ({item.student})")
    return sorted(found.values(), key=lambda f: f.student)


def _expand(assignment: Assignment, path: Path):
    if not path.exists():
        raise SubmissionPathError(f"{path}: no such file or folder")
    if path.is_file():
        if path.suffix != ".ipynb":
            raise SubmissionPathError(f"{path}: not a notebook (.ipynb)")
        yield Found(_student_of(assignment, path), path)
        return
    others = {a.id for a in assignments()} - {assignment.id}
    notebooks = sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    if not notebooks:
        raise SubmissionPathError(f"{path}: no notebooks in this folder")
    for notebook in notebooks:
        in_tree = notebook.parent.name == assignment.id
        if in_tree and notebook.stem != assignment.id:
            continue  # another notebook in the student's folder: only the assignment's counts
        if not in_tree and (notebook.parent.name in others or notebook.stem in others):
            continue  # belongs to another assignment of the course
        yield Found(_student_of(assignment, notebook), notebook)


def _student_of(assignment: Assignment, notebook: Path) -> str:
    if notebook.parent.name == assignment.id and notebook.parent.parent.name:
        candidate = notebook.parent.parent.name
    else:
        candidate = notebook.stem
    if not STUDENT_ID.match(candidate):
        candidate = re.sub(r"[^A-Za-z0-9._@+-]", "_", candidate).strip("._") or "unnamed"
    return candidate


def load(found: Found, release_cells: dict[str, str]) -> Loaded:
    """Read a submission. `release_cells` maps the release's checks/demo cell sources to roles:
    those cells run only if the student changed them (the graders test the functions anyway)."""
    loaded = Loaded(found.student, found.path)
    try:
        raw = found.path.read_bytes()
    except OSError as error:
        loaded.problem = f"the notebook cannot be read ({error.strerror})"
        return loaded
    if not raw.strip():
        loaded.problem = "the notebook file is empty"
        return loaded
    try:
        data = json.loads(raw.decode("utf-8", errors="replace"))
    except json.JSONDecodeError as error:
        loaded.problem = f"the notebook is not valid JSON (line {error.lineno}: {error.msg})"
        return loaded
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        loaded.problem = "the file is not a Jupyter notebook (it has no list of cells)"
        return loaded
    try:
        # Plain JSON, not nbformat: importing nbformat (jsonschema's format checkers) costs about
        # a second, which a student waiting for feedback would wait for.
        cells = [c for c in data["cells"] if isinstance(c, dict) and c.get("cell_type") == "code"]
        sources = [_source(c.get("source", "")) for c in cells]
    except Exception as error:  # a hand-edited notebook can be malformed in many ways
        loaded.problem = f"the notebook's cells cannot be read ({type(error).__name__})"
        return loaded
    if not data["cells"]:
        loaded.problem = "the notebook has no cells"
        return loaded
    loaded.cells = sources
    loaded.skip = {i for i, s in enumerate(sources) if normalise(s) in release_cells}
    return loaded


def release_skippable(release_nb: Path) -> dict[str, str]:
    """Sources of the release's public-check and demo cells, normalised, mapped to their role."""
    if not release_nb.exists():
        return {}
    nb = json.loads(release_nb.read_text(encoding="utf-8"))  # our own release: nbformat 4
    out = {}
    for cell in nb["cells"]:
        role = (cell.get("metadata") or {}).get("nnfs", {}).get("role")
        if cell.get("cell_type") == "code" and role in ("checks", "demo"):
            out[normalise(_source(cell.get("source", "")))] = role
    return out


def normalise(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


def _source(value) -> str:
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return str(value)
