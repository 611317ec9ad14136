"""Record scores in nbgrader's gradebook, so `nbgrader export` and formgrader show them.

The assignment's notebook is recorded as `nbgrader generate_assignment` records it (every grade,
solution and locked cell, with its checksum: see cells.py), so nbgrader's own tools (formgrader's
Generate, Autograde and Generate Feedback, `generate_assignment --force`) accept the gradebook
after `grade` has filled it. Students, submissions and grades are written in one transaction:
with the standard library's sqlite3 where that writes exactly what nbgrader's ORM would
(gradebook_sql.py: the common case, without importing nbgrader or SQLAlchemy), else through
nbgrader's ORM. Auto scores only: a manual score an instructor entered always wins.
"""

from __future__ import annotations

import contextlib
import sys
import warnings
from pathlib import Path

from autograder.config import COURSE_ID, COURSE_ROOT, Assignment, ConfigError, students_roster
from autograder.nbgrader import gradebook_sql
from autograder.nbgrader.cells import NotebookCells, read_release


class GradebookConflict(ConfigError):
    """The release no longer matches the cells that recorded submissions were graded against."""


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


def _api():
    with _without_iri_formats():
        import nbgrader.api as api

        from autograder.nbgrader.course import ensure_tools_on_path

    ensure_tools_on_path()
    return api


def gradebook_url(root: Path = COURSE_ROOT) -> str:
    return f"sqlite:///{root / 'gradebook.db'}"


def grade_cell(function: str) -> str:
    """The grade_id of a function's autograded cell in the notebooks (see pipeline/build.py)."""
    return f"test_{function}"


@contextlib.contextmanager
def opened(root: Path = COURSE_ROOT, db_url: str | None = None):
    """nbgrader's Gradebook of the course at `root`, with nbgrader's SQLAlchemy noise muted."""
    api = _api()
    with warnings.catch_warnings():
        # nbgrader's own queries trip a SQLAlchemy warning that says nothing about our data
        warnings.simplefilter("ignore")
        with api.Gradebook(db_url or gradebook_url(root), course_id=COURSE_ID) as gb:
            yield api, gb


def sync_notebook(assignment: Assignment, cells: NotebookCells, root: Path = COURSE_ROOT,
                  *, dry_run: bool = False, db_url: str | None = None) -> str:
    """Make the gradebook's record of the assignment's notebook match `cells` (SaveCells' way).

    Cells whose names are unchanged are updated in place. Without submissions, a notebook whose
    cells changed is recorded afresh, as nbgrader does. With submissions, locked text cells may
    come and go, but a grade, solution or task cell added, removed or renamed would orphan or
    invent grades: that raises GradebookConflict, naming the cells, and changes nothing.
    With `dry_run`, only the conflict check runs. Returns what was done, in a few words.
    """
    with opened(root, db_url) as (api, gb):
        done = _sync(api, gb, assignment, cells, dry_run)
        if not dry_run:
            gb.db.commit()
        return done


def _sync(api, gb, assignment: Assignment, cells: NotebookCells, dry_run: bool) -> str:
    db = gb.db
    record = db.query(api.Assignment).filter(api.Assignment.name == assignment.id).one_or_none()
    due = _duedate(assignment)
    if record is None:
        if dry_run:
            return "new"
        record = api.Assignment(name=assignment.id, course_id=gb.course_id, duedate=due)
        db.add(record)
    elif due is not None and record.duedate != due and not dry_run:
        record.duedate = due
    notebook = next((n for n in record.notebooks if n.name == assignment.id), None)
    if notebook is None:
        if not dry_run:
            _add_cells(api, db, api.Notebook(name=assignment.id, assignment=record,
                                              kernelspec=cells.kernelspec), cells)
        return "recorded"
    kinds = {"grade": notebook.grade_cells, "solution": notebook.solution_cells,
             "task": notebook.task_cells, "source": notebook.source_cells}
    old = {kind: {c.name: c for c in rows} for kind, rows in kinds.items()}
    new = cells.names()
    if all(set(old[k]) == new[k] for k in new):
        if not dry_run:
            _update_cells(old, cells, notebook)
        return "unchanged cells"
    if not notebook.submissions:
        if not dry_run:
            _remove_notebook(db, notebook)
            _add_cells(api, db, api.Notebook(name=assignment.id, assignment=record,
                                              kernelspec=cells.kernelspec), cells)
        return "recorded afresh"
    problems = []
    for kind in ("grade", "solution", "task"):
        added, removed = sorted(new[kind] - set(old[kind])), sorted(set(old[kind]) - new[kind])
        if added:
            problems.append(f"{kind} cell(s) added: {', '.join(added)}")
        if removed:
            problems.append(f"{kind} cell(s) removed: {', '.join(removed)}")
    if problems:
        raise GradebookConflict(
            f"{gb.db.bind.url.database}: {assignment.id} has {len(notebook.submissions)} graded "
            f"submission(s), and its release changes the cells they were graded on: "
            f"{'; '.join(problems)} (a rename is a removal and an addition). Nothing was "
            "changed. Keep those cells' grade_id in reference/lessons and release again, or, "
            f"to grade {assignment.id} afresh, remove its grades with `nbgrader db assignment "
            f"remove {assignment.id} --force` and run grade again.")
    if not dry_run:
        # Only locked text or code cells moved: their records carry no grades.
        for name in set(old["source"]) - new["source"]:
            db.delete(old["source"][name])
        for name in new["source"] - set(old["source"]):
            db.add(_source_row(api, cells.source[name], notebook))
        _update_cells(old, cells, notebook)
    return "updated cells"


def _add_cells(api, db, notebook, cells: NotebookCells) -> None:
    db.add(notebook)
    for name, info in cells.grade.items():
        db.add(api.GradeCell(name=name, notebook=notebook, **info))
    for name in cells.solution:
        db.add(api.SolutionCell(name=name, notebook=notebook))
    for name, info in cells.task.items():
        db.add(api.TaskCell(name=name, notebook=notebook, **info))
    for source in cells.source.values():
        db.add(_source_row(api, source, notebook))


def _source_row(api, source, notebook):
    return api.SourceCell(name=source.name, cell_type=source.cell_type, locked=source.locked,
                          source=source.source, checksum=source.checksum, notebook=notebook)


def _update_cells(old: dict, cells: NotebookCells, notebook) -> None:
    if notebook.kernelspec != cells.kernelspec:
        notebook.kernelspec = cells.kernelspec
    for kind, infos in (("grade", cells.grade), ("task", cells.task)):
        for name, info in infos.items():
            row = old[kind][name]
            for key, value in info.items():
                if getattr(row, key) != value:
                    setattr(row, key, value)
    for name, source in cells.source.items():
        row = old["source"].get(name)
        if row is None:
            continue
        for key in ("cell_type", "locked", "source", "checksum"):
            if getattr(row, key) != getattr(source, key):
                setattr(row, key, getattr(source, key))


def _remove_notebook(db, notebook) -> None:
    for row in [*notebook.grade_cells, *notebook.solution_cells, *notebook.task_cells,
                *notebook.source_cells]:
        db.delete(row)
    db.delete(notebook)
    db.flush()


def _duedate(assignment: Assignment):
    if not assignment.due:
        return None
    from autograder.nbgrader.utc import parse_utc  # nbgrader.utils.parse_utc, without nbgrader

    try:
        return parse_utc(assignment.due)
    except (ValueError, OverflowError):
        raise ConfigError(f"course_config.py: due date of {assignment.id} is not a date: "
                          f"{assignment.due!r} (write e.g. '2026-10-05 23:59:00 "
                          "Europe/Berlin')") from None


def record(assignment: Assignment, documents: dict[str, dict], root: Path = COURSE_ROOT,
           *, fast: bool = True) -> int:
    """Store each student's per-function scores as auto scores of the matching grade cells.

    Records the notebook first (see sync_notebook), then each student (named from the roster in
    course_config.py, else by id), a submission with the timestamp of nbgrader's timestamp.txt
    where there is one, the auto scores and nbgrader's late penalty; then writes the
    autograded/ notebooks formgrader shows. Manual scores are never touched.
    The rows are written with sqlite3 where that is exactly right (gradebook_sql.py), else, or
    without `fast`, through nbgrader's ORM. Returns the number of submissions recorded.
    """
    cells = read_release(assignment.release_notebook(root))
    timestamps = _timestamps(assignment, documents)
    why_not = (gradebook_sql.record(assignment, cells, documents, timestamps, root) if fast
               else "asked for the ORM path")
    if why_not:
        record_orm(assignment, cells, documents, timestamps, root)
    _write_autograded(assignment, cells, documents, timestamps, root)
    return len(documents)


def record_fast(assignment: Assignment, cells: NotebookCells, documents: dict[str, dict],
                root: Path = COURSE_ROOT) -> str:
    """`record` where the sqlite3 path can take `documents` (never importing nbgrader): returns
    "" when they are recorded, else why the ORM path must run (nothing is written then)."""
    timestamps = _timestamps(assignment, documents)
    why_not = gradebook_sql.record(assignment, cells, documents, timestamps, root)
    if not why_not:
        _write_autograded(assignment, cells, documents, timestamps, root)
    return why_not


def _timestamps(assignment: Assignment, documents: dict[str, dict]) -> dict:
    from autograder.nbgrader.utc import read_timestamp

    return {s: read_timestamp(assignment, Path(d["extra_data"]["notebook"]))
            for s, d in documents.items()}


def _write_autograded(assignment: Assignment, cells: NotebookCells, documents: dict[str, dict],
                      timestamps: dict, root: Path) -> None:
    from autograder.nbgrader.autograded import write_autograded

    # The tests' outputs are the graders' messages to students (engine/graders.py never writes
    # a grader's traceback there), so they go out as they are, like results.json's.
    for student, doc in documents.items():
        write_autograded(assignment, student, doc, cells, timestamps[student], root)


def record_orm(assignment: Assignment, cells: NotebookCells, documents: dict[str, dict],
               timestamps: dict[str, tuple[str, object] | None], root: Path) -> None:
    """Record the notebook and the students through nbgrader's ORM, in one commit."""
    with opened(root) as (api, gb):
        _sync(api, gb, assignment, cells, dry_run=False)
        gb.db.flush()
        _record_students(api, gb, assignment, documents, timestamps)
        gb.db.commit()


def _record_students(api, gb, assignment: Assignment, documents: dict[str, dict],
                     timestamps: dict[str, tuple[str, object] | None]) -> None:
    db = gb.db
    ids = sorted(documents)
    record = db.query(api.Assignment).filter(api.Assignment.name == assignment.id).one()
    notebook = next(n for n in record.notebooks if n.name == assignment.id)
    grade_cells = {c.name: c for c in notebook.grade_cells}
    comment_cells = [*notebook.solution_cells, *notebook.task_cells]
    roster = students_roster()
    points = assignment.points  # grader_points reads the graders: once, not per grade
    students = {s.id: s for s in db.query(api.Student).filter(api.Student.id.in_(ids))}
    for student in ids:
        row = students.get(student)
        if row is None:
            row = students[student] = api.Student(id=student)
            db.add(row)
        have = tuple(getattr(row, key) for key in gradebook_sql.NAME_FIELDS)
        for key, current, wanted in zip(gradebook_sql.NAME_FIELDS, have,
                                        gradebook_sql.stored_names(student, have, roster),
                                        strict=True):
            if wanted != current:
                setattr(row, key, wanted)
    submissions = {s.student_id: s for s in db.query(api.SubmittedAssignment).filter(
        api.SubmittedAssignment.assignment_id == record.id,
        api.SubmittedAssignment.student_id.in_(ids))}
    for student in ids:
        stamp = timestamps[student][1] if timestamps[student] else None
        submission = submissions.get(student)
        if submission is None:
            submission = api.SubmittedAssignment(assignment=record, student=students[student])
            db.add(submission)
        submission.timestamp = stamp
        nb = next((n for n in submission.notebooks if n.notebook_id == notebook.id), None)
        if nb is None:
            nb = api.SubmittedNotebook(notebook=notebook, assignment=submission)
            db.add(nb)
        grades = {g.cell_id: g for g in nb.grades}
        comments = {c.cell_id for c in nb.comments}
        for cell in comment_cells:
            if cell.id not in comments:
                db.add(api.Comment(cell=cell, notebook=nb))
        per = documents[student]["extra_data"]["functions"]
        total = 0.0
        for name, cell in grade_cells.items():
            grade = grades.get(cell.id)
            if grade is None:
                grade = api.Grade(cell=cell, notebook=nb)
                db.add(grade)
            function = name.removeprefix("test_")
            if name == grade_cell(function) and function in points:
                grade.auto_score = float(per.get(function, {}).get("score", 0.0))
                grade.needs_manual_grade = False
            kept = grade.manual_score if grade.manual_score is not None else grade.auto_score
            total += (kept or 0.0) + (grade.extra_credit or 0.0)
        nb.late_submission_penalty = _late_penalty(
            gb, student, total, stamp, record.duedate, submission.extension)


def _late_penalty(gb, student: str, score: float, stamp, duedate, extension) -> float | None:
    """nbgrader's AssignLatePenalties: its configured plugin's penalty, kept within [0, score]."""
    if stamp is None or duedate is None:
        return None
    late = (stamp - (duedate + extension if extension else duedate)).total_seconds()
    if late <= 0:
        return None
    from nbgrader.preprocessors import AssignLatePenalties

    from autograder.nbgrader.course import nbgrader_config

    assigner = AssignLatePenalties(config=nbgrader_config(COURSE_ROOT))
    assigner.init_plugin()
    penalty = assigner.plugin_inst.late_submission_penalty(student, score, late)
    if penalty is None:
        return None
    return min(max(0.0, float(penalty)), score)
