"""`grade` fills nbgrader's gradebook as nbgrader's own tools keep it, and they keep working."""

from __future__ import annotations

import json
import shutil
import warnings

import nbformat
import pytest
from course_copy import copy_course
from nbgrader_helpers import ASSIGNMENT, nbgrader, read_csv, tree_bytes

from autograder.config import get_assignment
from autograder.feedback.scrub import Scrubber, source_lines
from autograder.grader_layout import grader_files
from autograder.nbgrader.gradebook import gradebook_url

pytestmark = pytest.mark.slow


def gradebook(root):
    from nbgrader.api import Gradebook

    warnings.simplefilter("ignore")
    return Gradebook(gradebook_url(root), course_id="nnfs")


def recorded_cells(root):
    with gradebook(root) as gb:
        nb = gb.find_notebook(ASSIGNMENT, ASSIGNMENT)
        return {
            "kernelspec": json.loads(nb.kernelspec),
            "grade": {c.name: (c.max_score, c.cell_type) for c in nb.grade_cells},
            "solution": sorted(c.name for c in nb.solution_cells),
            "source": {c.name: (c.cell_type, c.locked, c.source, c.checksum)
                       for c in nb.source_cells},
        }


def test_grade_records_every_cell_as_generate_assignment_does(graded_course, tmp_path):
    fresh = copy_course(tmp_path / "fresh")
    nbgrader(fresh, "generate_assignment", ASSIGNMENT, "--force")
    ours, theirs = recorded_cells(graded_course), recorded_cells(fresh)
    assert ours == theirs
    assert len(ours["source"]) > len(ours["grade"]) + len(ours["solution"])  # text cells too


def test_after_grading_release_and_nbgraders_generate_keep_the_release(graded_course, run_cli):
    before = tree_bytes(graded_course / "release")
    result = run_cli("--root", graded_course, "release", "--check")
    assert result.exit_code == 0, result.output
    result = run_cli("--root", graded_course, "release", ASSIGNMENT)
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output
    done = nbgrader(graded_course, "generate_assignment", ASSIGNMENT, "--force")
    assert "Cannot" not in done.stderr
    assert tree_bytes(graded_course / "release") == before
    assert recorded_cells(graded_course)["grade"]  # the submissions' cells are still there
    with gradebook(graded_course) as gb:
        assert len(gb.assignment_submissions(ASSIGNMENT)) == 6


def test_every_export_shows_the_scores_of_grades_csv_with_names(graded_course, run_cli):
    ours = read_csv(graded_course / "grades" / ASSIGNMENT / "grades.csv", "student")
    nbgrader(graded_course, "export")
    theirs = read_csv(graded_course / "grades.csv", "student_id")
    result = run_cli("--root", graded_course, "export", "--out", graded_course / "ours.csv")
    assert result.exit_code == 0, result.output
    exported = read_csv(graded_course / "ours.csv", "student_id")
    assert sorted(ours) == sorted(theirs) == sorted(exported) == \
        ["ada", "ben", "cai", "dee", "eve", "fay"]
    for student, row in ours.items():
        assert float(theirs[student]["score"]) == float(row["score"])
        assert float(exported[student]["score"]) == float(row["score"])
        assert theirs[student]["last_name"] == student and theirs[student]["first_name"] == ""


def test_a_manual_score_wins_in_both_exports_and_survives_the_next_grade(graded_course, run_cli):
    graded = read_csv(graded_course / "grades" / ASSIGNMENT / "grades.csv", "student")
    expected = float(graded["cai"]["score"]) + 4.0  # dense_forward's cell: 0 automatic, 4 manual
    with gradebook(graded_course) as gb:
        grade = gb.find_grade("test_dense_forward", ASSIGNMENT, ASSIGNMENT, "cai")
        assert grade.auto_score == 0
        grade.manual_score = 4.0
        gb.db.commit()
    result = run_cli("--root", graded_course, "grade", ASSIGNMENT,
                     graded_course / "submitted" / "cai", "--workers", "1")
    assert result.exit_code == 0, result.output
    result = run_cli("--root", graded_course, "export", "--out", graded_course / "ours.csv")
    assert result.exit_code == 0, result.output
    assert float(read_csv(graded_course / "ours.csv", "student_id")["cai"]["score"]) == expected
    nbgrader(graded_course, "export")
    assert float(read_csv(graded_course / "grades.csv", "student_id")["cai"]["score"]) == expected
    with gradebook(graded_course) as gb:
        grade = gb.find_grade("test_dense_forward", ASSIGNMENT, ASSIGNMENT, "cai")
        assert (grade.manual_score, grade.auto_score) == (4.0, 0.0)


def _source(root):
    return get_assignment(ASSIGNMENT).source_notebook(root)


def test_renaming_a_grade_cell_after_grading_is_refused_naming_the_cells(graded_course, run_cli):
    path = _source(graded_course)
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id")
                == "test_relu")
    cell.metadata.nbgrader.grade_id = "test_relu_v2"
    nbformat.write(nb, path)
    before_release = tree_bytes(graded_course / "release")
    before_db = (graded_course / "gradebook.db").read_bytes()
    for args in (("release", ASSIGNMENT), ("release", "--check", ASSIGNMENT)):
        result = run_cli("--root", graded_course, *args)
        assert result.exit_code == 1, result.output
        line = result.output.strip().splitlines()[-1]
        assert "grade cell(s) added: test_relu_v2" in line
        assert "grade cell(s) removed: test_relu" in line
        assert "Nothing was changed" in line and "nbgrader db assignment remove" in line
    assert tree_bytes(graded_course / "release") == before_release
    assert (graded_course / "gradebook.db").read_bytes() == before_db


def test_new_text_cells_after_grading_release_and_regenerate(graded_course, run_cli):
    path = _source(graded_course)
    nb = nbformat.read(path, as_version=4)
    extra = nbformat.v4.new_markdown_cell("A note added after week 1.")
    extra.metadata["nbgrader"] = {"grade": False, "solution": False, "locked": True,
                                  "grade_id": "md-note", "schema_version": 3}
    nb.cells.insert(1, extra)
    nbformat.write(nb, path)
    result = run_cli("--root", graded_course, "release", ASSIGNMENT)
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output
    assert "md-note" in recorded_cells(graded_course)["source"]
    released = tree_bytes(graded_course / "release")
    nbgrader(graded_course, "generate_assignment", ASSIGNMENT, "--force")
    assert tree_bytes(graded_course / "release") == released


def test_autograded_notebooks_show_each_functions_checks_and_no_grader_source(graded_course):
    release = json.loads(get_assignment(ASSIGNMENT).release_notebook(graded_course).read_text())
    locked = {c["metadata"]["nbgrader"]["grade_id"]: "".join(c["source"])
              for c in release["cells"] if c["metadata"].get("nbgrader", {}).get("locked")}
    scrub = Scrubber.for_course(graded_course)
    for student in ["ada", "ben", "cai", "dee", "eve", "fay"]:
        folder = graded_course / "autograded" / student / ASSIGNMENT
        assert (folder / "timestamp.txt").read_text().strip()
        nb = nbformat.read(folder / f"{ASSIGNMENT}.ipynb", as_version=4)
        nbformat.validate(nb)
        results = json.loads((graded_course / "grades" / ASSIGNMENT / student / "results.json")
                             .read_text())
        cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
        for name, source in locked.items():
            assert cells[name].source == source
        for function, total in results["extra_data"]["functions"].items():
            text = cells[f"test_{function}"].outputs[0].text
            assert text.startswith(f"Hidden tests of {function}: {total['score']:g} / "
                                   f"{total['max_score']:g}")
            for test in results["tests"]:
                if test["extra_data"]["function"] == function:
                    assert test["name"].split(": ", 1)[1] in text
            assert not scrub.leaks(text)
    cai = nbformat.read(graded_course / "autograded" / "cai" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                        as_version=4)
    dense = next(c for c in cai.cells if c.metadata.get("nbgrader", {}).get("grade_id")
                 == "test_dense_forward")
    assert "FAIL" in dense.outputs[0].text and "W where W.T belongs" in dense.outputs[0].text


def test_nbgraders_generate_feedback_works_and_quotes_no_grader(graded_course):
    shutil.rmtree(graded_course / "feedback", ignore_errors=True)
    nbgrader(graded_course, "generate_feedback", ASSIGNMENT)
    # the students' own code is in their feedback (ada's is the reference's); no grader's is
    scrub = Scrubber([line for path in grader_files(get_assignment(ASSIGNMENT), graded_course)
                      for line in source_lines(path.read_text())])
    for student in ["ada", "ben", "cai", "dee", "eve", "fay"]:
        html = (graded_course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html")
        text = html.read_text()
        assert "Hidden tests of dense_forward" in text
        assert not any(scrub.leaks(line) for line in text.splitlines())
