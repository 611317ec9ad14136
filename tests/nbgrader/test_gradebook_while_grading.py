"""Recording while grading goes on (nbgrader/recorder.py) leaves the gradebook and autograded/
exactly as recording every student at the end does.

Each test hands a Recorder the example class's results, session by session, as the pool would,
and compares with one recording of every student through nbgrader's ORM: every table, with the
random ids replaced by what they stand for (rows sorted: sessions are recorded in the order they
finish), and every autograded/ file byte for byte.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3

import pytest
from nbgrader_helpers import ASSIGNMENT, dump, tree_bytes

from autograder.config import get_assignment
from autograder.nbgrader import gradebook
from autograder.nbgrader.cells import read_release
from autograder.nbgrader.recorder import Recorder

pytestmark = pytest.mark.slow

LATE = "2026-11-30 12:00:00 UTC"  # after the due date the late test sets


def results_folder(root, documents):
    """The run's output folder: each student's results.json, as the workers write them."""
    out = root / "grades" / ASSIGNMENT
    for student, doc in documents.items():
        (out / student).mkdir(parents=True, exist_ok=True)
        (out / student / "results.json").write_text(json.dumps(doc))
    return out


def state(root):
    """The gradebook's tables, rows sorted, and autograded/'s files."""
    tables = {table: sorted(rows, key=repr) for table, rows in dump(root / "gradebook.db").items()}
    return tables, tree_bytes(root / "autograded")


def at_the_end(root, start, assignment, documents):
    """What recording every student at once through nbgrader's ORM leaves."""
    shutil.copy(start, root / "gradebook.db")
    shutil.rmtree(root / "autograded", ignore_errors=True)
    gradebook.record(assignment, documents, root, fast=False)
    return state(root)


def while_grading(root, start, assignment, documents, sessions, monkeypatch):
    """What a Recorder given `sessions` while grading, then `finish`, leaves; and the students
    `finish` recorded itself."""
    shutil.copy(start, root / "gradebook.db")
    shutil.rmtree(root / "autograded", ignore_errors=True)
    at_finish = []
    record = gradebook.record
    monkeypatch.setattr(gradebook, "record",
                        lambda a, docs, r: at_finish.extend(sorted(docs)) or record(a, docs, r))
    recorder = Recorder(assignment, root, results_folder(root, documents))
    recorder.start()
    assert recorder.fast
    for session in sessions:
        recorder.add(session)
    assert recorder.finish(documents) == len(documents)
    return state(root), at_finish


def test_recording_while_grading_leaves_what_recording_at_the_end_leaves(course, monkeypatch):
    root, documents = course
    assignment = get_assignment(ASSIGNMENT)
    start = shutil.copy(root / "gradebook.db", root / "start.db")  # the notebook, no student
    expected = at_the_end(root, start, assignment, documents)
    got, at_finish = while_grading(root, start, assignment, documents,
                                   [["ada", "ben"], ["cai"], ["dee", "eve"]], monkeypatch)
    assert got == expected
    assert at_finish == ["fay"]  # the only student no session reported
    assert len(expected[0]["submitted_notebook"]) == len(documents) == 6

    # A second run over the same gradebook updates the same rows, and changes none of them.
    again = shutil.copy(root / "gradebook.db", root / "graded.db")
    got, at_finish = while_grading(root, again, assignment, documents, [sorted(documents)],
                                   monkeypatch)
    assert got == expected and at_finish == []


def test_a_gradebook_without_the_notebook_records_it_with_the_first_session(course,
                                                                          monkeypatch):
    root, documents = course
    assignment = get_assignment(ASSIGNMENT)
    db = sqlite3.connect(root / "gradebook.db")
    with db:  # as nbgrader's update_or_create_assignment leaves it: no notebook, no cell
        for table in ("grade_cells", "solution_cells", "task_cells", "source_cell", "base_cell",
                      "notebook"):
            db.execute(f"DELETE FROM {table}")
    db.close()
    start = shutil.copy(root / "gradebook.db", root / "bare.db")
    expected = at_the_end(root, start, assignment, documents)
    got, at_finish = while_grading(root, start, assignment, documents,
                                   [["ben"], ["ada", "cai", "dee", "eve", "fay"]], monkeypatch)
    assert got == expected and at_finish == []
    assert len(got[0]["grade_cells"]) == len(read_release(
        assignment.release_notebook(root)).grade)


def test_a_late_submission_leaves_it_and_the_students_after_it_to_the_end(course, monkeypatch):
    root, documents = course
    assignment = dataclasses.replace(get_assignment(ASSIGNMENT), due="2026-11-01 00:00:00 UTC")
    gradebook.sync_notebook(assignment, read_release(assignment.release_notebook(root)), root)
    start = shutil.copy(root / "gradebook.db", root / "due.db")  # records the due date
    (root / "submitted" / "ben" / ASSIGNMENT / "timestamp.txt").write_text(LATE)
    expected = at_the_end(root, start, assignment, documents)
    stamps = {row[2]: row[3] for row in expected[0]["submitted_assignment"]}
    assert stamps["ben"] == "2026-11-30 12:00:00.000000"
    got, at_finish = while_grading(root, start, assignment, documents,
                                   [["ada"], ["ben", "cai"], ["dee"]], monkeypatch)
    assert got == expected
    # ada was recorded while grading; ben's session and every later one wait for the end,
    # where nbgrader's late-penalty plugin decides ben's penalty (the ORM path)
    assert at_finish == ["ben", "cai", "dee", "eve", "fay"]


def test_a_stopped_run_keeps_whole_students_and_the_next_run_records_the_rest(course):
    root, documents = course
    assignment = get_assignment(ASSIGNMENT)
    start = shutil.copy(root / "gradebook.db", root / "start.db")
    expected = at_the_end(root, start, assignment, documents)
    shutil.copy(start, root / "gradebook.db")
    shutil.rmtree(root / "autograded")
    out = results_folder(root, documents)

    recorder = Recorder(assignment, root, out)
    recorder.start()
    recorder.add(["ada", "ben"])
    recorder.stop()  # the session being recorded (if any) ends whole
    recorder.add(["cai"])  # reported after the stop: never recorded
    recorder.stop()
    tables, files = state(root)
    students = {row[2] for row in tables["submitted_assignment"]}
    assert students in (set(), {"ada", "ben"})
    grades = len(read_release(assignment.release_notebook(root)).grade)
    assert len(tables["grade"]) == grades * len(students)  # no student half recorded
    assert {name.split("/")[0] for name in files} == students

    Recorder(assignment, root, out).finish(documents)  # the next run
    assert state(root) == expected
