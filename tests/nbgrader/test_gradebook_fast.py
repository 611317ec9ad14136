"""Recording with sqlite3 (nbgrader/gradebook_sql.py) writes exactly what nbgrader's ORM writes.

Each test records the same results documents (graded by `grade` from the example class) into
two copies of one gradebook, once through nbgrader's ORM and once by the fast path, and compares
every table of both, row by row in the database's order, with the random ids replaced by what
they stand for. Where the fast path must not run, it writes nothing and the ORM path records.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from nbgrader_helpers import (
    ASSIGNMENT,
    COMMAND_TIMEOUT,
    dump,
    nbgrader,
    nbgrader_gradebook,
    read_csv,
    tool_env,
)

from autograder.config import get_assignment
from autograder.engine.submissions import read_timestamp
from autograder.nbgrader import gradebook, gradebook_sql
from autograder.nbgrader.cells import read_release

pytestmark = pytest.mark.slow

IN_TIME = "2026-11-30 12:00:00.123456 UTC"  # nbgrader's timestamp.txt format


def pick(documents, *students):
    return {s: documents[s] for s in students}


def with_history(root, assignment, documents, name):
    """Snapshot `name`: the gradebook after cai and dee were graded once, and an instructor
    then gave cai a manual score and extra credit, and edited both students' names."""
    gradebook.record(assignment, pick(documents, "cai", "dee"), root, fast=False)
    with nbgrader_gradebook(root) as gb:
        grade = gb.find_grade("test_dense_forward", ASSIGNMENT, ASSIGNMENT, "cai")
        grade.manual_score, grade.extra_credit = 4.0, 0.5
        cai, dee = gb.find_student("cai"), gb.find_student("dee")
        cai.first_name, cai.email = "Cai", None  # kept; filled in
        dee.first_name = "D."  # the roster's name wins
        gb.db.commit()
    return snapshot(root, name)


def snapshot(root, name):
    shutil.copy(root / "gradebook.db", root / name)
    return root / name


def record_both(root, start, assignment, documents, monkeypatch):
    """(ORM path's tables, fast path's tables, whether the fast run fell back to the ORM)."""
    calls = []
    orm = gradebook.record_orm
    monkeypatch.setattr(gradebook, "record_orm", lambda *a: calls.append(a) or orm(*a))
    dumps = []
    for fast in (False, True):
        shutil.copy(start, root / "gradebook.db")
        calls.clear()
        assert gradebook.record(assignment, documents, root, fast=fast) == len(documents)
        dumps.append(dump(root / "gradebook.db"))
        shutil.copy(root / "gradebook.db", root / f"after-{'fast' if fast else 'orm'}.db")
    return dumps[0], dumps[1], bool(calls)


def why_not(root, start, assignment, documents):
    """Why the fast path refuses, checking that it wrote nothing."""
    shutil.copy(start, root / "gradebook.db")
    before = (root / "gradebook.db").read_bytes()
    cells = read_release(assignment.release_notebook(root))
    timestamps = {s: gradebook_read_timestamp(assignment, d) for s, d in documents.items()}
    why = gradebook_sql.record(assignment, cells, documents, timestamps, root)
    assert (root / "gradebook.db").read_bytes() == before
    return why


def gradebook_read_timestamp(assignment, doc):
    return read_timestamp(assignment, Path(doc["extra_data"]["notebook"]))


def test_the_fast_path_writes_what_nbgraders_orm_writes(course, monkeypatch):
    root, documents = course
    assignment = get_assignment(ASSIGNMENT)
    ada, dee = documents["ada"], documents["dee"]
    assert ada["score"] == ada["max_score"] and 0 < dee["score"] < dee["max_score"]
    start = with_history(root, assignment, documents, "start.db")
    chosen = pick(documents, "ada", "ben", "cai", "dee")
    orm, fast, fell_back = record_both(root, start, assignment, chosen, monkeypatch)
    assert not fell_back
    assert fast == orm
    assert len(orm["grade"]) == 4 * len(read_release(assignment.release_notebook(root)).grade)
    students = {row[0]: row[1:4] for row in fast["student"]}
    assert students == {"ada": ("", "ada", ""), "ben": ("", "ben", ""), "cai": ("Cai", "cai", ""),
                        "dee": ("Dee", "Dunn", "dee@example.org")}

    # nbgrader's own API and `nbgrader export` read the fast path's gradebook back
    shutil.copy(root / "after-fast.db", root / "gradebook.db")
    with nbgrader_gradebook(root) as gb:
        for student in chosen:
            expected = documents[student]["score"] + (4.0 + 0.5 if student == "cai" else 0.0)
            assert gb.find_submission(ASSIGNMENT, student).score == pytest.approx(expected)
        grade = gb.find_grade("test_dense_forward", ASSIGNMENT, ASSIGNMENT, "cai")
        assert (grade.manual_score, grade.auto_score, grade.extra_credit) == (4.0, 0.0, 0.5)
        assert not gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, "ada").needs_manual_grade
    nbgrader(root, "export")
    exported = read_csv(root / "grades.csv", "student_id")
    assert sorted(exported) == sorted(chosen)
    assert float(exported["ada"]["score"]) == ada["score"]
    assert (exported["dee"]["first_name"], exported["dee"]["last_name"]) == ("Dee", "Dunn")


def test_a_notebook_not_recorded_yet_and_timestamps_in_time(course, monkeypatch):
    """A gradebook holding only the assignment (as nbgrader's update_or_create_assignment
    leaves it); submissions with nbgrader's timestamp.txt, before the due date."""
    root, documents = course
    (root / "gradebook.db").unlink()
    assignment = dataclasses.replace(get_assignment(ASSIGNMENT), due="2099-01-05 23:59:00 CET")
    with nbgrader_gradebook(root) as gb:
        gb.update_or_create_assignment(ASSIGNMENT, duedate=assignment.due)
    start = snapshot(root, "bare.db")
    for student in ("ada", "ben"):
        (root / "submitted" / student / ASSIGNMENT / "timestamp.txt").write_text(IN_TIME)
    chosen = pick(documents, "ada", "ben", "eve")
    orm, fast, fell_back = record_both(root, start, assignment, chosen, monkeypatch)
    assert not fell_back
    assert fast == orm
    assert len(orm["source_cell"]) > len(orm["grade_cells"]) > 0
    stamps = {row[2]: row[3] for row in fast["submitted_assignment"]}
    assert stamps == {"ada": "2026-11-30 12:00:00.123456", "ben": "2026-11-30 12:00:00.123456",
                      "eve": None}
    assert fast["assignment"][0][2] == "2099-01-05 22:59:00.000000"


def test_changed_cells_go_through_the_orm(course, monkeypatch):
    root, documents = course
    assignment = get_assignment(ASSIGNMENT)
    start = with_history(root, assignment, documents, "start.db")
    path = assignment.release_notebook(root)
    nb = json.loads(path.read_text())
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown"
                and c["metadata"].get("nbgrader", {}).get("locked"))
    cell["source"] = "A locked text cell, reworded.\n"
    path.write_text(json.dumps(nb))
    chosen = pick(documents, "ada", "cai")
    assert "changes" in why_not(root, start, assignment, chosen)
    orm, fast, fell_back = record_both(root, start, assignment, chosen, monkeypatch)
    assert fell_back and fast == orm
    assert "A locked text cell, reworded.\n" in [row[4] for row in fast["source_cell"]]


def test_a_late_submission_goes_through_the_orm(course, monkeypatch):
    root, documents = course
    assignment = dataclasses.replace(get_assignment(ASSIGNMENT), due="2026-11-01 00:00:00 UTC")
    start = with_history(root, assignment, documents, "start.db")  # records the due date
    (root / "submitted" / "ben" / ASSIGNMENT / "timestamp.txt").write_text(IN_TIME)
    chosen = pick(documents, "ada", "ben")
    assert "late" in why_not(root, start, assignment, chosen)
    orm, fast, fell_back = record_both(root, start, assignment, chosen, monkeypatch)
    assert fell_back and fast == orm
    # in time: the same gradebook takes the fast path
    stamp = root / "submitted" / "ben" / ASSIGNMENT / "timestamp.txt"
    stamp.write_text("2026-10-30 12:00:00 UTC")
    orm, fast, fell_back = record_both(root, start, assignment, chosen, monkeypatch)
    assert not fell_back and fast == orm


@pytest.mark.parametrize("change", ["revision", "course", "due date"])
def test_a_gradebook_the_fast_path_does_not_know_goes_through_the_orm(course, monkeypatch,
                                                                      change):
    root, documents = course
    assignment = get_assignment(ASSIGNMENT)
    start = with_history(root, assignment, documents, "start.db")
    db = sqlite3.connect(start)
    with db:
        if change == "revision":
            db.execute("UPDATE alembic_version SET version_num = 'a0b1c2d3e4f5'")
        elif change == "course":
            db.execute("DELETE FROM course")
    db.close()
    if change == "due date":
        assignment = dataclasses.replace(assignment, due="2099-01-01 00:00:00 UTC")
    chosen = pick(documents, "ada", "cai")
    assert why_not(root, start, assignment, chosen)
    orm, fast, fell_back = record_both(root, start, assignment, chosen, monkeypatch)
    assert fell_back and fast == orm


def test_grade_takes_the_fast_path_without_importing_nbgrader(course):
    root, _ = course
    code = textwrap.dedent(f"""
        import sys
        from autograder.cli import cli
        try:
            cli(["--root", {str(root)!r}, "grade", {ASSIGNMENT!r},
                 {str(root / "submitted" / "ada")!r}, "--workers", "1"])
        except SystemExit as done:
            assert not done.code, done.code
        print("imported:", sorted(m for m in ("nbgrader", "sqlalchemy") if m in sys.modules))
        """)
    done = subprocess.run([sys.executable, "-c", code], cwd=root, env=tool_env(),
                          capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Gradebook: 1 submission(s) recorded" in done.stdout
    assert "imported: []" in done.stdout
    results = json.loads((root / "grades" / ASSIGNMENT / "ada" / "results.json").read_text())
    with nbgrader_gradebook(root) as gb:
        assert gb.find_submission(ASSIGNMENT, "ada").score == results["score"] > 0
    assert (root / "autograded" / "ada" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()


@pytest.mark.parametrize("text", [
    "2026-11-30 12:00:00.123456 UTC", "2026-10-05 23:59:00 Europe/Berlin",
    "2026-10-05 23:59:00 -0500", "2026-10-05 23:59:00", "2026-10-05T23:59:00+02:00",
    "2026-03-29 02:30:00 Europe/Berlin"])
def test_parse_utc_is_nbgraders(text):
    from nbgrader.utils import parse_utc

    from autograder.nbgrader.utc import parse_utc as ours

    assert ours(text) == parse_utc(text)
    assert ours(text).tzinfo is None
