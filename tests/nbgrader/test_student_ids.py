"""Every notebook is graded under the right student id, or `grade` stops and says why."""

from __future__ import annotations

import json
import shutil

import pytest
from course_copy import copy_course
from nbgrader_helpers import ASSIGNMENT

from autograder.config import get_assignment
from autograder.engine.submissions import SubmissionPathError, discover

A = get_assignment(ASSIGNMENT)


def notebook(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(A.release_notebook(), path)
    return path


def ids(*paths, pattern=None, root=None):
    return {f.student: f.path for f in discover(A, list(paths), root or paths[0],
                                                id_pattern=pattern)}


def test_a_notebook_named_after_the_assignment_belongs_to_its_folder(tmp_path):
    alice = notebook(tmp_path / "class" / "alice" / f"{ASSIGNMENT}.ipynb")
    bob = notebook(tmp_path / "class" / "bob" / f"{ASSIGNMENT}.ipynb")
    assert ids(tmp_path / "class") == {"alice": alice, "bob": bob}
    assert ids(alice) == {"alice": alice}


def test_submitted_folders_name_the_student(tmp_path):
    path = notebook(tmp_path / "submitted" / "carol" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    notebook(tmp_path / "submitted" / "carol" / ASSIGNMENT / "scratch.ipynb")
    assert ids(tmp_path / "submitted") == {"carol": path}


def test_other_notebooks_are_named_by_their_file_stem(tmp_path):
    dave = notebook(tmp_path / "loose" / "dave.ipynb")
    assert ids(tmp_path / "loose") == {"dave": dave}


def test_canvas_downloads_take_the_id_from_the_file_name(tmp_path):
    folder = tmp_path / "canvas"
    smith = notebook(folder / f"smithjane_12345_67890_{ASSIGNMENT}.ipynb")
    late = notebook(folder / f"doejohn_LATE_23456_78901_{ASSIGNMENT}-1.ipynb")
    assert ids(folder, pattern="canvas") == {"smithjane": smith, "doejohn": late}
    custom = r"^(?P<student_id>[a-z]+)_\d+_\d+_"
    assert ids(smith, pattern=custom) == {"smithjane": smith}


def test_a_file_the_pattern_does_not_match_stops_grade(tmp_path):
    folder = tmp_path / "canvas"
    notebook(folder / f"smithjane_12345_67890_{ASSIGNMENT}.ipynb")
    stray = notebook(folder / "notes.ipynb")
    with pytest.raises(SubmissionPathError, match="does not match --id-pattern") as error:
        ids(folder, pattern="canvas")
    assert str(stray) in str(error.value)
    with pytest.raises(SubmissionPathError, match="needs a"):
        ids(folder, pattern=r"^(\w+)_")
    with pytest.raises(SubmissionPathError, match="not a regular expression"):
        ids(folder, pattern="(")


def test_an_id_never_equals_the_assignment_id(tmp_path):
    saved = notebook(tmp_path / "downloads" / f"{ASSIGNMENT}.ipynb")
    assert ids(saved) == {"downloads": saved}
    with pytest.raises(SubmissionPathError, match="no student id") as error:
        ids(saved, pattern=r"^(?P<student_id>.*)\.ipynb$")
    assert str(saved) in str(error.value)


def test_two_notebooks_with_one_id_stop_grade_naming_both(tmp_path, run_cli):
    first = notebook(tmp_path / "a" / "erin.ipynb")
    second = notebook(tmp_path / "b" / "erin" / f"{ASSIGNMENT}.ipynb")
    with pytest.raises(SubmissionPathError) as error:
        ids(tmp_path / "a", tmp_path / "b")
    assert str(first) in str(error.value) and str(second) in str(error.value)
    out = tmp_path / "out"
    result = run_cli("grade", ASSIGNMENT, tmp_path / "a", tmp_path / "b", "--out", out,
                     "--no-gradebook")
    assert result.exit_code == 2
    assert "both have the student id 'erin'" in result.output and "nothing was graded" in \
        result.output
    assert not out.exists()


def test_a_broken_timestamp_stops_grade_before_grading(tmp_path):
    path = notebook(tmp_path / "submitted" / "fred" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    (path.parent / "timestamp.txt").write_text("yesterday-ish")
    with pytest.raises(SubmissionPathError, match="not a timestamp nbgrader can read"):
        ids(tmp_path / "submitted")


@pytest.mark.slow
def test_two_students_with_one_file_name_are_both_graded(tmp_path, run_cli):
    root = copy_course(tmp_path / "course")
    folder = tmp_path / "class"
    shutil.copy(A.source_notebook(), (folder / "alice").mkdir(parents=True) or
                folder / "alice" / f"{ASSIGNMENT}.ipynb")
    notebook(folder / "bob" / f"{ASSIGNMENT}.ipynb")
    result = run_cli("--root", root, "grade", ASSIGNMENT, folder, "--workers", "2")
    assert result.exit_code == 0, result.output
    assert "Graded 2 submission(s)" in result.output
    out = root / "grades" / ASSIGNMENT
    scores = {s: json.loads((out / s / "results.json").read_text())["score"]
              for s in ("alice", "bob")}
    assert scores == {"alice": A.max_score, "bob": 0}
    assert (root / "autograded" / "bob" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists()
