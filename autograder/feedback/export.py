"""Export nbgrader's gradebook as CSV, in `nbgrader export`'s columns and with its numbers.

Same rows as nbgrader's CsvExportPlugin (one per assignment and student, zero for a missing
submission, score = max(0, raw_score - late penalty)), but written with the csv module: the
plugin joins fields with bare commas, so a name such as "Smith, Jr." would shift the columns.
"""

from __future__ import annotations

import csv
from pathlib import Path

from autograder.config import COURSE_ID, COURSE_ROOT
from autograder.feedback.results import FeedbackError

COLUMNS = [
    "assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
    "raw_score", "late_submission_penalty", "score", "max_score",
]


def default_db_url(root: Path = COURSE_ROOT) -> str:
    return f"sqlite:///{root / 'gradebook.db'}"


def export_gradebook(
    out_csv: Path,
    assignment_id: str | None = None,
    *,
    db_url: str | None = None,
    course_id: str = COURSE_ID,
    root: Path = COURSE_ROOT,
) -> Path:
    """Write the gradebook's grades (of one assignment, or all) to `out_csv`; return its path.

    db_url defaults to `sqlite:///<root>/gradebook.db`. Raises FeedbackError when the
    gradebook does not exist or does not know `assignment_id`.
    """
    from nbgrader.api import Gradebook, MissingEntry  # slow to import; only the export needs it

    db_url = db_url or default_db_url(root)
    if db_url.startswith("sqlite:///") and not Path(db_url.removeprefix("sqlite:///")).is_file():
        raise FeedbackError(f"no gradebook at {db_url}: grade the submissions first")
    out_csv = Path(out_csv)
    with Gradebook(db_url, course_id=course_id) as gradebook:
        assignments = gradebook.assignments
        if assignment_id is not None:
            assignments = [a for a in assignments if a.name == assignment_id]
            if not assignments:
                raise FeedbackError(f"the gradebook has no assignment {assignment_id!r}")
        rows = []
        for assignment in assignments:
            for student in gradebook.students:
                row = {
                    "assignment": assignment.name,
                    "duedate": assignment.duedate,
                    "student_id": student.id,
                    "last_name": student.last_name,
                    "first_name": student.first_name,
                    "email": student.email,
                    "max_score": assignment.max_score,
                }
                try:
                    submission = gradebook.find_submission(assignment.name, student.id)
                except MissingEntry:
                    row |= {"timestamp": "", "raw_score": 0.0, "late_submission_penalty": 0.0,
                            "score": 0.0}
                else:
                    penalty = submission.late_submission_penalty
                    row |= {
                        "timestamp": submission.timestamp,
                        "raw_score": submission.score,
                        "late_submission_penalty": penalty,
                        "score": max(0.0, submission.score - penalty),
                    }
                rows.append({k: "" if v is None else str(v) for k, v in row.items()})
    out_csv.parent.mkdir(parents=True, exist_ok=True)
    with out_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return out_csv
