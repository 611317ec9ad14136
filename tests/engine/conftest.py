"""Fixtures for the end-to-end tests of `nnfs-course grade`.

Every submission is built by `build_submission` from the real notebooks of 01_forward_pass: the
source notebook (the reference solutions, full marks) or the release notebook (the stubs, zero),
with solution cells replaced or deleted, cells inserted or appended, the notebook edited, or the
written text mangled. The threat class (honest students, adversaries and broken files together)
is graded once per session with short limits and two workers, and many tests read its results.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Iterable
from pathlib import Path

import nbformat
import pytest
from engine_helpers import ASSIGNMENT, GradedClass, grade_folder
from nbformat import v4
from threat_notebooks import write_threats

from autograder.config import COURSE_ROOT


def _cell_source(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


def build_submission(
    path: Path,
    *,
    base: str = "source",
    replace: dict[str, str] | None = None,
    delete: Iterable[str] = (),
    before: dict[str, list[str]] | None = None,
    append: Iterable[str] = (),
    edit: Callable[[nbformat.NotebookNode], None] | None = None,
    text: Callable[[str], str | bytes] | None = None,
) -> Path:
    """Write a submission of 01_forward_pass at `path`, made from a real notebook.

    base: "source" (reference solutions) or "release" (stubs). replace: function -> new source
    of its solution cell (the cell whose nbgrader grade_id is the function's name). delete:
    functions whose solution cell is removed. before: function -> code cells inserted just before
    its solution cell. append: code cells added at the end. edit: changes the notebook in place.
    text: turns the notebook's JSON text into what is written (str or bytes).
    """
    origin = (ASSIGNMENT.source_notebook(COURSE_ROOT) if base == "source"
              else ASSIGNMENT.release_notebook(COURSE_ROOT))
    nb = nbformat.read(origin, as_version=4)
    solutions = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells
                 if c.metadata.get("nnfs", {}).get("role") == "solution"}
    for function, source in (replace or {}).items():
        solutions[function].source = _cell_source(source)
    for function, sources in (before or {}).items():
        at = next(i for i, c in enumerate(nb.cells) if c is solutions[function])
        nb.cells[at:at] = [v4.new_code_cell(_cell_source(s)) for s in sources]
    doomed = [solutions[f] for f in delete]
    nb.cells = [c for c in nb.cells if not any(c is d for d in doomed)]
    nb.cells.extend(v4.new_code_cell(_cell_source(s)) for s in append)
    if edit is not None:
        edit(nb)
    data: str | bytes = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    if text is not None:
        data = text(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def submit():
    """The one notebook builder (see build_submission)."""
    return build_submission


# ---------------------------------------------------------------------------------------------
# The honest students, and the threat class


RELU_MIN = """
def relu(z):
    return np.minimum(0.0, z)
"""


def write_honest(folder: Path) -> dict[str, Path]:
    """reference (full marks), stub (zero) and one mutant (relu with min: loses relu points)."""
    return {
        "reference": build_submission(folder / "reference.ipynb"),
        "stub": build_submission(folder / "stub.ipynb", base="release"),
        "mutant": build_submission(folder / "mutant.ipynb", replace={"relu": RELU_MIN}),
    }


@pytest.fixture(scope="session")
def honest():
    """Writes the honest students into a folder (see write_honest)."""
    return write_honest


@pytest.fixture(scope="session")
def honest_alone(tmp_path_factory) -> GradedClass:
    """The honest students graded on their own."""
    base = tmp_path_factory.mktemp("honest")
    write_honest(base / "class")
    return grade_folder(base / "class", base / "out", workers=2)


@pytest.fixture(scope="session")
def threat_class(tmp_path_factory) -> GradedClass:
    """The honest students, every adversary and every broken file, graded in one run."""
    base = tmp_path_factory.mktemp("threats")
    folder = base / "class"
    write_honest(folder)
    write_threats(build_submission, folder, base / "out")
    return grade_folder(folder, base / "out", workers=2)
