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
    notebook_cells: list = field(default_factory=list)  # every cell, as the notebook's JSON has it


CANVAS_PATTERN = r"^(?P<student_id>[A-Za-z0-9-]+?)_(?:LATE_)?\d+_\d+_.*\.ipynb$"
ID_PATTERNS = {"canvas": CANVAS_PATTERN}


def discover(assignment: Assignment, paths: list[Path], root: Path = COURSE_ROOT,
             id_pattern: str | None = None) -> list[Found]:
    """Every submission under `paths` (default: the course's submitted/ folder), one per student.

    The student id is the folder name in an nbgrader `submitted/<student>/<assignment>/` tree; for
    a notebook named after the assignment (what JupyterLab saves) the folder holding it; else the
    notebook's file stem. With `id_pattern` (a regular expression with a `student_id` group, or
    "canvas" for Canvas's `lastfirst_12345_67890_<name>.ipynb` downloads, as nbgrader's
    zip_collect names its files), loose notebooks take the id the pattern finds in their name.
    Two notebooks with the same id, a notebook the pattern does not match, and an id equal to the
    assignment's raise SubmissionPathError naming the files: nobody is silently left out.
    """
    pattern = _compile(id_pattern)
    if not paths:
        default = root / "submitted"
        if not default.is_dir():
            raise SubmissionPathError(f"{default}: no submitted/ folder; give notebook paths")
        paths = [default]
    found: dict[str, Found] = {}
    problems = []
    for path in paths:
        for item in _expand(assignment, Path(path), pattern):
            read_timestamp(assignment, item.path)  # a broken timestamp.txt stops us here
            first = found.setdefault(item.student, item)
            if first.path.resolve() != item.path.resolve():
                problems.append(f"{first.path} and {item.path} both have the student id "
                                f"{item.student!r}")
    if problems:
        hint = (" (give the files separately, rename one, or use --id-pattern to read the ids "
                "from the file names)")
        raise SubmissionPathError("; ".join(problems) + "; nothing was graded" + hint)
    return sorted(found.values(), key=lambda f: f.student)


def _compile(id_pattern: str | None):
    if not id_pattern:
        return None
    text = ID_PATTERNS.get(id_pattern, id_pattern)
    try:
        pattern = re.compile(text)
    except re.error as error:
        raise SubmissionPathError(f"--id-pattern {id_pattern!r}: not a regular expression "
                                  f"({error})") from None
    if "student_id" not in pattern.groupindex:
        raise SubmissionPathError(f"--id-pattern {id_pattern!r}: needs a (?P<student_id>...) "
                                  "group")
    return pattern


def _expand(assignment: Assignment, path: Path, pattern=None):
    if not path.exists():
        raise SubmissionPathError(f"{path}: no such file or folder")
    if path.is_file():
        if path.suffix != ".ipynb":
            raise SubmissionPathError(f"{path}: not a notebook (.ipynb)")
        yield Found(_student_of(assignment, path, pattern), path)
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
        yield Found(_student_of(assignment, notebook, pattern), notebook)


def _student_of(assignment: Assignment, notebook: Path, pattern=None) -> str:
    if notebook.parent.name == assignment.id and notebook.parent.parent.name:
        candidate = notebook.parent.parent.name  # submitted/<student>/<id>/<id>.ipynb
    elif pattern is not None:
        match = pattern.match(notebook.name)
        if not match or not match.group("student_id"):
            raise SubmissionPathError(f"{notebook}: the file name does not match --id-pattern "
                                      f"{pattern.pattern!r}; nothing was graded")
        candidate = match.group("student_id")
    elif notebook.stem == assignment.id:
        candidate = notebook.resolve().parent.name  # <student>/<id>.ipynb, as JupyterLab saves
    else:
        candidate = notebook.stem
    if not STUDENT_ID.match(candidate):
        candidate = re.sub(r"[^A-Za-z0-9._@+-]", "_", candidate).strip("._") or "unnamed"
    if candidate == assignment.id:
        raise SubmissionPathError(
            f"{notebook}: no student id (the file and its folder are named after the "
            f"assignment); put it in a folder named after the student, e.g. "
            f"<student>/{assignment.id}.ipynb")
    return candidate


def read_timestamp(assignment: Assignment, notebook: Path):
    """nbgrader's timestamp.txt of a submission (nbgrader/utc.py), or None where there is none;
    one nbgrader cannot read is a SubmissionPathError."""
    from autograder.nbgrader.utc import TimestampError
    from autograder.nbgrader.utc import read_timestamp as read

    try:
        return read(assignment, notebook)
    except TimestampError as error:
        raise SubmissionPathError(str(error)) from None


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
    loaded.notebook_cells = data["cells"]
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
