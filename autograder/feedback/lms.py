"""`nnfs-course export --lms`: an assignment's grades into the LMS's own gradebook export.

The instructor downloads the LMS's gradebook (lms_csv.py reads it), and this fills in, or adds,
the assignment's column, so the file imports back as it is. Scores come from nbgrader's
gradebook: a manual score entered in formgrader wins, and nbgrader's late penalty is applied,
unless the LMS applies its own late policy (then the raw score goes, and no penalty is
applied twice). Students are matched by one visible rule; nothing is guessed from names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from autograder.config import COURSE_ROOT, Assignment
from autograder.feedback.lms_csv import CANVAS_TEST_STUDENT, assignment_columns, read_table
from autograder.feedback.results import FeedbackError
from autograder.files import atomic_write

# --match: the LMS column, what it is compared with, and in words.
RULES = {
    "canvas": {
        "canvas-id": ("ID", "lms_user_id", "ID = the Canvas user id (from the Canvas download "
                      "names, or nbgrader's lms_user_id)"),
        "sis-login": ("SIS Login ID", "id", "SIS Login ID = the nbgrader student id"),
        "sis-id": ("SIS User ID", "id", "SIS User ID = the nbgrader student id"),
        "email": ("SIS Login ID", "email", "SIS Login ID = the student's e-mail"),
    },
    "moodle": {
        "email": ("Email address", "email", "Email address = the student's e-mail"),
        "id-number": ("ID number", "id", "ID number = the nbgrader student id"),
        "username": ("Username", "id", "Username = the nbgrader student id"),
    },
}
# A Canvas submission download: <lastfirst>_[LATE_]<canvas user id>_<submission id>_<name>.
CANVAS_DOWNLOAD = re.compile(r"^[A-Za-z0-9-]+?_(?:LATE_)?(?P<lms_user_id>\d+)_\d+_.*\.ipynb$")


@dataclass
class StudentScore:
    student: str
    email: str = ""
    lms_user_id: str = ""
    submitted: bool = False
    raw: float = 0.0  # after manual scores
    penalty: float = 0.0  # nbgrader's late penalty
    manual: bool = False  # a manual score counted
    functions: dict[str, float] = field(default_factory=dict)

    def score(self, lms_applies_late: bool) -> float:
        return self.raw if lms_applies_late else max(0.0, self.raw - self.penalty)

    def key(self, field_name: str) -> str:
        value = {"id": self.student, "email": self.email, "lms_user_id": self.lms_user_id}
        return value[field_name].strip().casefold()


@dataclass
class LmsExport:
    out: Path
    lms: str
    rule: str  # the rule in words
    column: str
    added: list[str]  # columns added (the rest were filled in)
    written: int  # student rows filled
    late: int  # submissions with a late penalty
    lms_applies_late: bool
    manual: int  # students whose manual score counted
    graded_unmatched: list[str]
    lms_unmatched: list[str]


def class_scores(assignment: Assignment, root: Path = COURSE_ROOT,
                 results_dir: Path | None = None) -> list[StudentScore]:
    """Every student in nbgrader's gradebook with their score on `assignment` (manual scores
    win), the late penalty, each function's score, and the Canvas user id where known."""
    from autograder.engine.results import read_results
    from autograder.nbgrader.gradebook import grade_cell, opened

    if not (root / "gradebook.db").is_file():
        raise FeedbackError(f"{root / 'gradebook.db'}: no gradebook; grade "
                            f"{assignment.id} first (nnfs-course grade {assignment.id})")
    documents = read_results(results_dir or root / "grades" / assignment.id)
    scores = []
    with opened(root) as (api, gb):
        if assignment.id not in {a.name for a in gb.assignments}:
            raise FeedbackError(f"{root / 'gradebook.db'}: {assignment.id} was never graded "
                                f"(nnfs-course grade {assignment.id})")
        for student in gb.students:
            item = StudentScore(student.id, student.email or "", student.lms_user_id or "")
            notebook = (documents.get(student.id, {}).get("extra_data") or {}).get("notebook")
            found = CANVAS_DOWNLOAD.match(Path(notebook).name) if notebook else None
            if found and not item.lms_user_id:
                item.lms_user_id = found.group("lms_user_id")
            try:
                submission = gb.find_submission(assignment.id, student.id)
            except api.MissingEntry:
                scores.append(item)
                continue
            item.submitted = True
            item.raw = float(submission.score)
            item.penalty = float(submission.late_submission_penalty or 0.0)
            for nb in submission.notebooks:
                for grade in nb.grades:
                    item.manual = item.manual or grade.manual_score is not None
                    for function in assignment.points:
                        if grade.name == grade_cell(function):
                            item.functions[function] = float(grade.score)
            scores.append(item)
    if not any(s.submitted for s in scores):
        raise FeedbackError(f"{root / 'gradebook.db'}: no submission of {assignment.id} is "
                            "graded: an empty class")
    return scores


def default_rule(lms: str, scores: list[StudentScore]) -> str:
    """Canvas: the Canvas user id when every graded student has one, else SIS Login ID;
    Moodle: the e-mail address."""
    if lms == "canvas":
        graded = [s for s in scores if s.submitted]
        return "canvas-id" if graded and all(s.lms_user_id for s in graded) else "sis-login"
    return "email"


def export_to_lms(assignment: Assignment, lms: str, template: Path, out: Path, *,
                  match: str | None = None, column: str | None = None,
                  lms_applies_late: bool = False, allow_unmatched: bool = False,
                  by_function: bool = False, root: Path = COURSE_ROOT,
                  results_dir: Path | None = None) -> LmsExport:
    """Fill `assignment`'s column of the LMS export `template` and write it to `out`."""
    table = read_table(template, lms)
    scores = class_scores(assignment, root, results_dir)
    match = match or default_rule(lms, scores)
    if match not in RULES[lms]:
        raise FeedbackError(f"--match {match!r} is not a {lms} rule; choose one of "
                            f"{', '.join(RULES[lms])}")
    lms_column, ours, words = RULES[lms][match]
    if lms_column not in table.header:
        raise FeedbackError(f"{template}: no {lms_column!r} column for --match {match}")
    target = _target_column(table, assignment, column)
    by_key: dict[str, StudentScore] = {}
    for item in scores:
        if item.key(ours):
            by_key.setdefault(item.key(ours), item)
    matched: set[str] = set()
    rows: list[tuple[int, StudentScore]] = []
    lms_unmatched = []
    for index, cells in table.students():
        item = by_key.get(cells.get(lms_column, "").strip().casefold())
        if item is None:
            if lms == "canvas" and cells.get("Student") == CANVAS_TEST_STUDENT:
                continue  # Canvas's own test student is no one to grade
            lms_unmatched.append(_describe_row(cells, lms, lms_column))
        else:
            matched.add(item.student)
            rows.append((index, item))
    graded_unmatched = sorted(s.student + ("" if s.key(ours) else f" (no {ours})")
                              for s in scores if s.submitted and s.student not in matched)
    if (graded_unmatched or lms_unmatched) and not allow_unmatched:
        missing = sum(1 for s in scores if s.submitted and not s.key(ours))
        hint = (f" ({missing} graded student(s) have no {ours} in the gradebook: set it in "
                "STUDENTS in course_config.py and grade again, or choose another --match)"
                if missing else "")
        raise FeedbackError(_unmatched_text(template, words, graded_unmatched, lms_unmatched)
                            + hint + "; nothing was written (--allow-unmatched writes the rest)")
    added = _fill(table, assignment, target, rows, lms_applies_late, by_function)
    atomic_write(Path(out), table.text())
    return LmsExport(Path(out), lms, f"{words} (--match {match})", target, added, len(rows),
                     sum(1 for _, s in rows if s.penalty > 0), lms_applies_late,
                     sum(1 for _, s in rows if s.manual), graded_unmatched, lms_unmatched)


def _target_column(table, assignment: Assignment, column: str | None) -> str:
    if column:
        return column
    found = assignment_columns(table, [assignment.id, assignment.title])
    if len(found) > 1:
        raise FeedbackError(f"{table.path}: several columns could be {assignment.id}: "
                            f"{', '.join(map(repr, found))}; choose one with --column")
    return found[0] if found else assignment.id


def _fill(table, assignment: Assignment, target: str, rows, lms_applies_late: bool,
          by_function: bool) -> list[str]:
    columns = [(target, None, assignment.max_score)]
    if by_function:
        columns += [(f"{assignment.id}: {f}", f, points) for f, points in assignment.points.items()]
    added = []
    points_row = table.points_row()
    for name, function, points in columns:
        if name not in table.header:
            table.add_column(name)
            added.append(name)
            if points_row is not None:  # Canvas: the new assignment's points
                table.set(points_row, name, _number(points))
        for index, item in rows:
            if function is None:
                value = item.score(lms_applies_late) if item.submitted else 0.0
            else:
                value = item.functions.get(function, 0.0)
            table.set(index, name, _number(value))
    return added


def _describe_row(cells: dict[str, str], lms: str, lms_column: str) -> str:
    if lms == "canvas":
        name = cells.get("Student", "")
    else:
        name = f"{cells.get('First name', '')} {cells.get('Last name', '')}".strip()
    return f"{name} ({lms_column} {cells.get(lms_column, '') or 'empty'})"


def _unmatched_text(template: Path, words: str, graded: list[str], lms: list[str]) -> str:
    parts = []
    if graded:
        parts.append(f"graded but not in {template.name}: {_some(graded, ', ')}")
    if lms:
        parts.append(f"in {template.name} but not graded: {_some(lms, '; ')}")
    return f"{len(graded) + len(lms)} student(s) unmatched by {words}: " + "; ".join(parts)


def _some(names: list[str], separator: str, shown: int = 10) -> str:
    more = f"{separator}and {len(names) - shown} more" if len(names) > shown else ""
    return separator.join(names[:shown]) + more


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:g}"
