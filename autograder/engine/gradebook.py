"""Record scores in nbgrader's gradebook, so `nbgrader export` and formgrader show them."""

from __future__ import annotations

import contextlib
import sys
import warnings
from pathlib import Path

from autograder.config import COURSE_ID, COURSE_ROOT, Assignment


@contextlib.contextmanager
def _without_iri_formats():
    """Import nbgrader without the optional `rfc3987_syntax` package (when not imported yet).

    nbgrader's import reaches jsonschema, which imports rfc3987_syntax when it is installed, only
    to check the "iri" string formats; that builds 38 parsers and takes 1 to 2 s, half of the cost
    of recording a class. Nothing here validates IRIs. The block is lifted right after the import.
    """
    name = "rfc3987_syntax"
    blocked = name not in sys.modules
    if blocked:
        sys.modules[name] = None  # makes `import rfc3987_syntax` raise ImportError
    try:
        yield
    finally:
        if blocked and sys.modules.get(name, ...) is None:
            del sys.modules[name]


def gradebook_url(root: Path = COURSE_ROOT) -> str:
    return f"sqlite:///{root / 'gradebook.db'}"


def grade_cell(function: str) -> str:
    """The grade_id of a function's autograded cell in the notebooks (see pipeline/build.py)."""
    return f"test_{function}"


def record(assignment: Assignment, documents: dict[str, dict], root: Path = COURSE_ROOT) -> int:
    """Store each student's per-function scores as auto scores of the matching grade cells.

    Manual scores are never touched: an instructor's manual score wins in nbgrader.
    Returns the number of submissions recorded.
    """
    with _without_iri_formats():
        from nbgrader.api import Gradebook

        from autograder.pipeline.release import ensure_tools_on_path

    ensure_tools_on_path()
    notebook = assignment.id
    with warnings.catch_warnings():
        # nbgrader's own queries trip a SQLAlchemy warning that says nothing about our data
        warnings.simplefilter("ignore")
        return _record(Gradebook, assignment, notebook, documents, root)


def _record(Gradebook, assignment: Assignment, notebook: str, documents: dict[str, dict],
            root: Path) -> int:
    with Gradebook(gradebook_url(root), course_id=COURSE_ID) as gb:
        gb.update_or_create_assignment(assignment.id)
        gb.update_or_create_notebook(notebook, assignment.id)
        cells = {}
        for function, points in assignment.points.items():
            cell = gb.update_or_create_grade_cell(grade_cell(function), notebook, assignment.id,
                                                  max_score=points, cell_type="code")
            cells[function] = cell.id
        for student, doc in documents.items():
            gb.update_or_create_student(student)
            gb.update_or_create_submission(assignment.id, student)
            per = doc["extra_data"]["functions"]
            # The submission's grades in two queries, not a query (and a write) per grade cell.
            with gb.db.no_autoflush:
                submitted = gb.find_submission_notebook(notebook, assignment.id, student)
                grades = {g.cell_id: g for g in submitted.grades}
                for function in assignment.points:
                    grade = grades.get(cells[function]) or gb.find_grade(
                        grade_cell(function), notebook, assignment.id, student)
                    grade.auto_score = float(per.get(function, {}).get("score", 0.0))
                    grade.needs_manual_grade = False
        gb.db.commit()
    return len(documents)
