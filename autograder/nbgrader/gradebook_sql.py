"""Recording scores with the standard library's sqlite3: the rows nbgrader's ORM would write.

Importing nbgrader and SQLAlchemy, and nbgrader's Gradebook set-up (inspecting the database,
create_all) and ORM queries cost a `grade` run about 0.6 s whatever its size. In the common
case, a gradebook nbgrader 0.9.6 made whose record of the notebook matches the release, what
gradebook.py's ORM path writes is simple: the same rows are written here in one transaction.

The fast path is taken only where it is exactly right; anywhere else `record` returns False
having written nothing, and gradebook.py's ORM path runs as before:
- the database is not one nbgrader 0.9.6 made (its alembic revision, its tables and columns),
  or lacks the course or the assignment;
- the recorded notebook differs from the release in anything `gradebook._sync` would change
  (its cells, their fields, the kernelspec), or the due date would change;
- a submission may be late (it has a timestamp, the assignment a due date, and the timestamp is
  later or the submission has an extension): nbgrader's late-penalty plugin decides those.
A notebook not recorded yet is recorded as `_sync` records it (`_add_cells`).

How SQLAlchemy stores nbgrader's columns in SQLite: ids are `uuid4().hex`, DateTime is the text
`YYYY-MM-DD HH:MM:SS.ffffff`, Boolean is 1 or 0, Float is REAL. Scores, totals and maxima are
column_properties computed at query time, so nothing else needs keeping.
"""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import datetime
from pathlib import Path

from autograder.config import COURSE_ID, Assignment, ConfigError, students_roster
from autograder.nbgrader.cells import NotebookCells

# The revision nbgrader 0.9.6 writes into a gradebook it creates (`alembic heads`).
ALEMBIC_REVISION = "e43177bfe90b"

# nbgrader 0.9.6's tables and their columns, in the order its models create them.
TABLES = {
    "student": ("id", "first_name", "last_name", "email", "lms_user_id"),
    "course": ("id",),
    "assignment": ("id", "name", "duedate", "course_id"),
    "notebook": ("id", "name", "assignment_id", "kernelspec"),
    "submitted_assignment": ("id", "assignment_id", "student_id", "timestamp", "extension"),
    "base_cell": ("id", "name", "notebook_id", "type"),
    "source_cell": ("id", "name", "cell_type", "locked", "source", "checksum", "notebook_id"),
    "submitted_notebook": ("id", "assignment_id", "notebook_id", "flagged",
                           "late_submission_penalty"),
    "grade_cells": ("id", "max_score", "cell_type"),
    "solution_cells": ("id",),
    "task_cells": ("id", "max_score", "cell_type"),
    "grade": ("id", "notebook_id", "cell_id", "auto_score", "manual_score", "extra_credit",
              "needs_manual_grade"),
    "comment": ("id", "notebook_id", "cell_id", "auto_comment", "manual_comment"),
    "alembic_version": ("version_num",),
}
CELL_TYPES = ("code", "markdown")  # nbgrader's Enum for grade, task and source cells
_STORED_DATETIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")


class NotFast(Exception):
    """The ORM path must record this run; the message says why."""


def new_uuid() -> str:
    """nbgrader.api.new_uuid, `uuid4().hex`: 16 random bytes with uuid4's version and variant
    bits, at a third of the cost of making a UUID object (a student's rows take about 34)."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # the RFC 4122 variant
    return raw.hex()


def stored(value: datetime | None) -> str | None:
    """A datetime as SQLAlchemy's SQLite dialect stores it (its fields, any tzinfo ignored)."""
    if value is None:
        return None
    return (f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
            f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}")


def database(root: Path) -> Path:
    return root / "gradebook.db"


def _connect(root: Path) -> sqlite3.Connection:
    path = database(root)
    if not path.is_file():
        raise NotFast("no gradebook.db yet (nbgrader creates it)")
    try:
        # mode=rw: never create a database; autocommit mode, transactions are explicit
        return sqlite3.connect(f"{path.absolute().as_uri()}?mode=rw", uri=True, timeout=5.0,
                               isolation_level=None)
    except sqlite3.Error as error:
        raise NotFast(f"gradebook.db cannot be opened here ({error})") from None


def _check_schema(db: sqlite3.Connection) -> None:
    for table, columns in TABLES.items():
        found = tuple(row[1] for row in db.execute(f"PRAGMA table_info({table})"))
        if found != columns:
            raise NotFast(f"table {table} is not nbgrader 0.9.6's")
    versions = db.execute("SELECT version_num FROM alembic_version").fetchall()
    if versions != [(ALEMBIC_REVISION,)]:
        raise NotFast(f"alembic revision {versions} is not nbgrader 0.9.6's")
    if db.execute("SELECT 1 FROM course WHERE id = ?", (COURSE_ID,)).fetchone() is None:
        raise NotFast(f"course {COURSE_ID} is not in the gradebook")


def _due(assignment: Assignment) -> str | None:
    if not assignment.due:
        return None
    from autograder.nbgrader.utc import parse_utc

    try:
        return stored(parse_utc(assignment.due))
    except (ValueError, OverflowError):
        raise NotFast("the due date is not a date (the ORM path reports it)") from None


def _assignment(db: sqlite3.Connection, assignment: Assignment) -> tuple[str, str | None]:
    row = db.execute("SELECT id, duedate FROM assignment WHERE name = ?",
                     (assignment.id,)).fetchone()
    if row is None:
        raise NotFast(f"assignment {assignment.id} is not in the gradebook")
    due = _due(assignment)
    if due is not None and row[1] != due:
        raise NotFast("the due date changes")
    if row[1] is not None and not _STORED_DATETIME.fullmatch(row[1]):
        raise NotFast(f"due date {row[1]!r} is not stored as SQLAlchemy stores it")
    return row[0], row[1]


def _recorded_cells(db: sqlite3.Connection, notebook: str) -> dict[str, dict[str, tuple]]:
    """The notebook's cell records: kind -> name -> (id, fields ...), in the database's order."""
    kinds: dict[str, dict[str, tuple]] = {"grade": {}, "solution": {}, "task": {}}
    for cell_id, name, kind, grade_max, grade_type, task_max, task_type, solution in db.execute(
            "SELECT b.id, b.name, b.type, g.max_score, g.cell_type, t.max_score, t.cell_type, "
            "s.id FROM base_cell b LEFT JOIN grade_cells g ON g.id = b.id "
            "LEFT JOIN task_cells t ON t.id = b.id LEFT JOIN solution_cells s ON s.id = b.id "
            "WHERE b.notebook_id = ? ORDER BY b.rowid", (notebook,)):
        if kind == "GradeCell" and grade_type is not None:
            kinds["grade"][name] = (cell_id, grade_max, grade_type)
        elif kind == "TaskCell" and task_type is not None:
            kinds["task"][name] = (cell_id, task_max, task_type)
        elif kind == "SolutionCell" and solution is not None:
            kinds["solution"][name] = (cell_id,)
        else:
            raise NotFast(f"cell {name} of type {kind} is not one nbgrader's ORM would load")
    kinds["source"] = {name: (cell_id, cell_type, None if locked is None else bool(locked),
                              source, checksum)
                       for cell_id, name, cell_type, locked, source, checksum in db.execute(
                           "SELECT id, name, cell_type, locked, source, checksum "
                           "FROM source_cell WHERE notebook_id = ? ORDER BY rowid", (notebook,))}
    return kinds


def _check_cells(recorded: dict[str, dict[str, tuple]], kernelspec: str | None,
                 cells: NotebookCells) -> None:
    """NotFast unless `gradebook._sync` would leave the notebook's record exactly as it is."""
    if kernelspec != cells.kernelspec:
        raise NotFast("the kernelspec changes")
    if any(set(recorded[kind]) != names for kind, names in cells.names().items()):
        raise NotFast("the release's cells differ from the recorded ones")
    for kind, infos in (("grade", cells.grade), ("task", cells.task)):
        for name, info in infos.items():
            _, max_score, cell_type = recorded[kind][name]
            if max_score != info["max_score"] or cell_type != info["cell_type"]:
                raise NotFast(f"cell {name} changes")
    for name, source in cells.source.items():
        if recorded["source"][name][1:] != (source.cell_type, source.locked, source.source,
                                            source.checksum):
            raise NotFast(f"cell {name} changes")


def _add_notebook(db: sqlite3.Connection, assignment: Assignment, assignment_row: str,
                  cells: NotebookCells) -> str:
    """Record the notebook and its cells as gradebook._add_cells does; returns its id."""
    kinds = [info["cell_type"] for info in [*cells.grade.values(), *cells.task.values()]]
    if any(kind not in CELL_TYPES for kind in [*kinds, *(s.cell_type for s in
                                                         cells.source.values())]):
        raise NotFast("a cell type nbgrader does not record (the ORM path reports it)")
    notebook = new_uuid()
    db.execute("INSERT INTO notebook (id, name, assignment_id, kernelspec) VALUES (?, ?, ?, ?)",
               (notebook, assignment.id, assignment_row, cells.kernelspec))
    base = "INSERT INTO base_cell (id, name, notebook_id, type) VALUES (?, ?, ?, ?)"
    for name, info in cells.grade.items():
        cell = new_uuid()
        db.execute(base, (cell, name, notebook, "GradeCell"))
        db.execute("INSERT INTO grade_cells (id, max_score, cell_type) VALUES (?, ?, ?)",
                   (cell, info["max_score"], info["cell_type"]))
    for name in cells.solution:
        cell = new_uuid()
        db.execute(base, (cell, name, notebook, "SolutionCell"))
        db.execute("INSERT INTO solution_cells (id) VALUES (?)", (cell,))
    for name, info in cells.task.items():
        cell = new_uuid()
        db.execute(base, (cell, name, notebook, "TaskCell"))
        db.execute("INSERT INTO task_cells (id, max_score, cell_type) VALUES (?, ?, ?)",
                   (cell, info["max_score"], info["cell_type"]))
    for source in cells.source.values():
        db.execute("INSERT INTO source_cell (id, name, cell_type, locked, source, checksum, "
                   "notebook_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (new_uuid(), source.name, source.cell_type, int(source.locked),
                    source.source, source.checksum, notebook))
    return notebook


def _notebook(db: sqlite3.Connection, assignment: Assignment, assignment_row: str,
              cells: NotebookCells, write: bool) -> tuple[str, dict[str, dict[str, tuple]]]:
    row = db.execute("SELECT id, kernelspec FROM notebook WHERE name = ? AND assignment_id = ?",
                     (assignment.id, assignment_row)).fetchone()
    if row is None:
        if not write:
            return "", {}
        notebook = _add_notebook(db, assignment, assignment_row, cells)
        return notebook, _recorded_cells(db, notebook)
    recorded = _recorded_cells(db, row[0])
    _check_cells(recorded, row[1], cells)
    return row[0], recorded


def usable(assignment: Assignment, cells: NotebookCells, root: Path) -> bool:
    """Whether `record` will likely take the fast path (only a late submission can still
    send it to the ORM path): a few reads, no writes. Never raises."""
    try:
        db = _connect(root)
    except NotFast:
        return False
    try:
        _check_schema(db)
        row, _ = _assignment(db, assignment)
        _notebook(db, assignment, row, cells, write=False)
        return True
    except (NotFast, sqlite3.Error, ConfigError):
        return False
    finally:
        db.close()


def record(assignment: Assignment, cells: NotebookCells, documents: dict[str, dict],
           timestamps: dict[str, tuple[str, datetime] | None], root: Path) -> str:
    """Record `documents` as gradebook._sync and gradebook._record_students would, in one
    transaction. Returns "" when done, else why the ORM path must run (nothing written)."""
    try:
        db = _connect(root)
    except NotFast as why:
        return str(why)
    try:
        db.execute("BEGIN IMMEDIATE")  # the checks and the writes see one state of the file
        _check_schema(db)
        row, duedate = _assignment(db, assignment)
        notebook, recorded = _notebook(db, assignment, row, cells, write=True)
        _record_students(db, assignment, documents, timestamps, row, duedate, notebook,
                         recorded)
        db.execute("COMMIT")
        return ""
    except NotFast as why:
        return str(why)
    except sqlite3.Error as error:
        # locked, full, damaged: the ORM path meets it again and reports it as it always has
        return f"sqlite3: {error}"
    finally:
        if db.in_transaction:
            db.execute("ROLLBACK")
        db.close()


def _record_students(db: sqlite3.Connection, assignment: Assignment, documents: dict[str, dict],
                     timestamps: dict, assignment_row: str, duedate: str | None,
                     notebook: str, recorded: dict[str, dict[str, tuple]]) -> None:
    ids = sorted(documents)
    due = datetime.fromisoformat(duedate) if duedate is not None else None
    submissions = {student: (sid, extension) for sid, student, extension in db.execute(
        "SELECT id, student_id, extension FROM submitted_assignment WHERE assignment_id = ?",
        (assignment_row,))}
    for student in ids:
        stamp = timestamps[student][1] if timestamps[student] else None
        if stamp is not None and due is not None:
            extension = submissions.get(student, (None, None))[1]
            if extension is not None or stamp > due:
                raise NotFast(f"{student}'s submission may be late: nbgrader's plugin decides")
    _record_names(db, ids)
    grade_cells = {name: cell[0] for name, cell in recorded["grade"].items()}
    points = assignment.points  # grader_points reads the graders: once, not per grade
    comment_cells = [cell[0] for kind in ("solution", "task") for cell in recorded[kind].values()]
    for student in ids:
        stamp = timestamps[student][1] if timestamps[student] else None
        submission = submissions.get(student, (None,))[0]
        if submission is None:
            submission = new_uuid()
            db.execute("INSERT INTO submitted_assignment (id, assignment_id, student_id, "
                       "timestamp, extension) VALUES (?, ?, ?, ?, NULL)",
                       (submission, assignment_row, student, stored(stamp)))
        else:
            db.execute("UPDATE submitted_assignment SET timestamp = ? WHERE id = ?",
                       (stored(stamp), submission))
        found = db.execute("SELECT id FROM submitted_notebook WHERE assignment_id = ? AND "
                           "notebook_id = ?", (submission, notebook)).fetchone()
        if found is None:
            nb = new_uuid()
            # flagged: the column's default (False); no late penalty for a submission in time
            db.execute("INSERT INTO submitted_notebook (id, assignment_id, notebook_id, flagged, "
                       "late_submission_penalty) VALUES (?, ?, ?, 0, NULL)",
                       (nb, submission, notebook))
        else:
            nb = found[0]
            db.execute("UPDATE submitted_notebook SET late_submission_penalty = NULL "
                       "WHERE id = ?", (nb,))
        comments = {c for (c,) in db.execute("SELECT cell_id FROM comment WHERE notebook_id = ?",
                                              (nb,))}
        for cell in comment_cells:
            if cell not in comments:
                db.execute("INSERT INTO comment (id, notebook_id, cell_id, auto_comment, "
                           "manual_comment) VALUES (?, ?, ?, NULL, NULL)", (new_uuid(), nb, cell))
        grades = {c: g for g, c in db.execute("SELECT id, cell_id FROM grade "
                                              "WHERE notebook_id = ?", (nb,))}
        per = documents[student]["extra_data"]["functions"]
        for name, cell in grade_cells.items():
            function = name.removeprefix("test_")
            auto = None
            if name == f"test_{function}" and function in points:
                auto = float(per.get(function, {}).get("score", 0.0))
            grade = grades.get(cell)
            if grade is None:
                # needs_manual_grade: the column's default (True) unless an auto score is set
                db.execute("INSERT INTO grade (id, notebook_id, cell_id, auto_score, "
                           "manual_score, extra_credit, needs_manual_grade) "
                           "VALUES (?, ?, ?, ?, NULL, NULL, ?)",
                           (new_uuid(), nb, cell, auto, 1 if auto is None else 0))
            elif auto is not None:  # a manual score and extra credit are never touched
                db.execute("UPDATE grade SET auto_score = ?, needs_manual_grade = 0 "
                           "WHERE id = ?", (auto, grade))


NAME_FIELDS = ("first_name", "last_name", "email")


def stored_names(student: str, have: tuple, roster: dict[str, dict[str, str]]) -> tuple:
    """The first_name, last_name and email to store for `student`, given what is stored (None
    where nothing is): the roster's where it names them; else what is stored, so that an
    instructor's edit in formgrader stays; else "" (the id as last name: an unnamed student
    gets a readable name). Both ways of recording use it."""
    names = roster.get(student, {})
    out = []
    for key, current in zip(NAME_FIELDS, have, strict=True):
        wanted = names.get(key, student if key == "last_name" else "")
        out.append(wanted if current is None or (key in names and current != wanted)
                   else current)
    return tuple(out)


def _record_names(db: sqlite3.Connection, ids: list[str]) -> None:
    """Students named as stored_names says, inserted or updated."""
    roster = students_roster()
    wanted_ids = set(ids)
    rows = {sid: (first, last, email) for sid, first, last, email in db.execute(
        "SELECT id, first_name, last_name, email FROM student") if sid in wanted_ids}
    for student in ids:
        row = rows.get(student)
        new = stored_names(student, row or (None, None, None), roster)
        if row is None:
            db.execute("INSERT INTO student (id, first_name, last_name, email, lms_user_id) "
                       "VALUES (?, ?, ?, ?, NULL)", (student, *new))
        elif new != row:
            db.execute("UPDATE student SET first_name = ?, last_name = ?, email = ? WHERE id = ?",
                       (*new, student))
