"""`export --lms`: the graded example class into real-looking Canvas and Moodle exports."""

import csv
import io
import shutil
import warnings

import pytest
from nbgrader_helpers import ASSIGNMENT, read_csv

STUDENTS = ["ada", "ben", "cai", "dee", "eve", "fay"]
NAMES = {"ada": "Lovelace, Ada", "ben": "Bennet, Ben", "cai": "Cai, Cai", "dee": "Dee, Dee",
         "eve": "Eve, Eve", "fay": "Fay, Fay"}


def canvas_export(students=STUDENTS, extra_rows=(), login="{s}") -> str:
    """Canvas's Grades -> Export: a byte-order mark, CRLF, the Points Possible row, totals."""
    lines = ["Student,ID,SIS User ID,SIS Login ID,Section,Week 0 quiz (4410),Current Score,"
             "Final Score",
             "    Points Possible,,,,,10.00,(read only),(read only)"]
    for number, student in enumerate(students):
        lines.append(f'"{NAMES.get(student, student)}",{12345 + number},S{1001 + number},'
                     f'{login.format(s=student)},NNFS 2026,{number}.50,{number}5.00,{number}5.00')
    lines += list(extra_rows) + ['"Student, Test",99999,,,NNFS 2026,,,']
    return "\ufeff" + "\r\n".join(lines) + "\r\n"


def moodle_export(students=STUDENTS, separator=",") -> str:
    """Moodle's Grades -> Export -> Plain text file: every field quoted, its own columns."""
    header = ["First name", "Last name", "ID number", "Institution", "Department",
              "Email address", "Quiz: Week 0 (Real)", "Course total (Real)",
              "Last downloaded from this course"]
    rows = [[s.title(), "Student", f"S{1001 + n}", "Uni", "CS", f"{s}@uni.example", "7.00",
             "7.00", "1733580000"] for n, s in enumerate(students)]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator, quoting=csv.QUOTE_ALL,
               lineterminator="\n").writerows([header, *rows])
    return buffer.getvalue()


def _rows(path, delimiter=","):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")),
                           delimiter=delimiter))


def _column(rows, name):
    index = rows[0].index(name)
    return [row[index] for row in rows[1:]]


def _without(rows, name):
    index = rows[0].index(name) if name in rows[0] else None
    return [[c for i, c in enumerate(row) if i != index] for row in rows]


@pytest.fixture
def canvas(tmp_path):
    path = tmp_path / "canvas.csv"
    path.write_bytes(canvas_export().encode("utf-8"))
    return path


def test_canvas_column_is_added_and_nothing_else_changes(run_cli, graded_course, canvas,
                                                         tmp_path):
    out = tmp_path / "import.csv"
    result = run_cli("--root", graded_course, "export", ASSIGNMENT, "--lms", "canvas",
                     "--template", canvas, "--out", out)
    assert result.exit_code == 0, result.output
    assert "matched by: SIS Login ID = the nbgrader student id (--match sis-login)" in \
        result.output
    before, after = _rows(canvas), _rows(out)
    assert _without(after, ASSIGNMENT) == before
    grades = read_csv(graded_course / "grades" / ASSIGNMENT / "grades.csv", "student")
    column = _column(after, ASSIGNMENT)
    assert column[0] == "58"  # Points Possible: the assignment's maximum
    assert column[1:7] == [grades[s]["score"] for s in STUDENTS]
    assert column[7] == ""  # Canvas's test student is left alone
    raw = out.read_bytes()
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw  # Canvas's own dialect


def test_canvas_existing_column_is_filled_in_by_title(run_cli, graded_course, tmp_path):
    template = tmp_path / "canvas.csv"
    rows = list(csv.reader(io.StringIO(canvas_export().removeprefix("\ufeff"))))
    for row, value in zip(rows, ["The forward pass (4521)", "58.00"]):
        row.append(value)
    for row in rows[2:]:
        row.append("")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    template.write_text(buffer.getvalue(), encoding="utf-8")
    out = tmp_path / "import.csv"
    result = run_cli("--root", graded_course, "export", ASSIGNMENT, "--lms", "canvas",
                     "--template", template, "--out", out)
    assert result.exit_code == 0, result.output
    assert "column 'The forward pass (4521)': filled in" in result.output
    rows = _rows(out)
    assert rows[0] == _rows(template)[0]
    assert _column(rows, "The forward pass (4521)")[0] == "58.00"  # Canvas's own points kept


def test_manual_scores_win_and_the_late_penalty_is_applied_once(run_cli, graded_course, canvas,
                                                                tmp_path):
    from autograder.nbgrader.gradebook import opened

    with warnings.catch_warnings(), opened(graded_course) as (api, gb):
        warnings.simplefilter("ignore")
        grade = gb.find_grade("test_relu", ASSIGNMENT, ASSIGNMENT, "eve")
        grade.manual_score = 1.0  # eve's relu: 0 from the graders, 1 by hand
        gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, "fay").late_submission_penalty = 5
        gb.db.commit()
    grades = read_csv(graded_course / "grades" / ASSIGNMENT / "grades.csv", "student")
    out = tmp_path / "import.csv"
    result = run_cli("--root", graded_course, "export", ASSIGNMENT, "--lms", "canvas",
                     "--template", canvas, "--out", out, "--by-function")
    assert result.exit_code == 0, result.output
    assert "1 with a manual score" in result.output
    assert "applied here (1 late submission(s))" in result.output
    rows = _rows(out)
    scores = dict(zip(STUDENTS, _column(rows, ASSIGNMENT)[1:7]))
    assert float(scores["eve"]) == float(grades["eve"]["score"]) + 1
    assert float(scores["fay"]) == float(grades["fay"]["score"]) - 5
    assert _column(rows, f"{ASSIGNMENT}: relu")[1:7][STUDENTS.index("eve")] == "1"
    result = run_cli("--root", graded_course, "export", ASSIGNMENT, "--lms", "canvas",
                     "--template", canvas, "--out", out, "--lms-applies-late")
    assert "left to the LMS" in result.output
    scores = dict(zip(STUDENTS, _column(_rows(out), ASSIGNMENT)[1:7]))
    assert float(scores["fay"]) == float(grades["fay"]["score"])  # the LMS takes its penalty


def test_unmatched_students_on_both_sides_are_listed_and_stop_the_export(run_cli, graded_course,
                                                                         tmp_path):
    template = tmp_path / "canvas.csv"
    template.write_text(canvas_export(STUDENTS[:5], ['"Ghost, Gil",777,S9,gil,NNFS 2026,,,']))
    out = tmp_path / "import.csv"
    result = run_cli("--root", graded_course, "export", ASSIGNMENT, "--lms", "canvas",
                     "--template", template, "--out", out)
    assert result.exit_code == 1
    assert "graded but not in canvas.csv: fay" in result.output
    assert "in canvas.csv but not graded: Ghost, Gil (SIS Login ID gil)" in result.output
    assert not out.exists()
    result = run_cli("--root", graded_course, "export", ASSIGNMENT, "--lms", "canvas",
                     "--template", template, "--out", out, "--allow-unmatched")
    assert result.exit_code == 0, result.output
    assert "unmatched (graded, not in the template): fay" in result.output
    assert _column(_rows(out), ASSIGNMENT)[6] == ""  # gil keeps an empty cell


@pytest.mark.parametrize("separator", [",", ";"])
def test_moodle_matches_by_email_and_keeps_its_dialect(run_cli, graded_course, tmp_path,
                                                       separator):
    import course_config

    template = tmp_path / "moodle.csv"
    template.write_text(moodle_export(separator=separator), encoding="utf-8")
    roster = {s: {"email": f"{s}@uni.example"} for s in STUDENTS}
    old = dict(course_config.STUDENTS)
    course_config.STUDENTS.update(roster)
    try:  # the roster reaches the gradebook when grade records the class
        result = run_cli("--root", graded_course, "grade", ASSIGNMENT, "--workers", "1")
        assert result.exit_code == 0, result.output
    finally:
        course_config.STUDENTS.clear()
        course_config.STUDENTS.update(old)
    out = tmp_path / "import.csv"
    result = run_cli("--root", graded_course, "export", ASSIGNMENT, "--lms", "moodle",
                     "--template", template, "--out", out)
    assert result.exit_code == 0, result.output
    assert "matched by: Email address = the student's e-mail" in result.output
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == template.read_text().splitlines()[0] + \
        f'{separator}"{ASSIGNMENT}"'
    rows = _rows(out, separator)
    assert _without(rows, ASSIGNMENT) == _rows(template, separator)
    grades = read_csv(graded_course / "grades" / ASSIGNMENT / "grades.csv", "student")
    assert _column(rows, ASSIGNMENT) == [grades[s]["score"] for s in STUDENTS]


@pytest.mark.parametrize("text, problem", [
    ("", "the file is empty, not a Canvas gradebook export"),
    ("name,score\nada,3\n", "not a Canvas gradebook export: no 'Student', 'ID', 'SIS User ID', "
                            "'SIS Login ID' columns"),
    (moodle_export(), "it looks like a Moodle export (--lms moodle)"),
    (canvas_export([]).replace('"Student, Test",99999,,,NNFS 2026,,,\r\n', ""),
     "no student rows: an empty class"),
])
def test_a_template_that_is_not_a_canvas_export_is_named(run_cli, graded_course, tmp_path,
                                                         text, problem):
    template = tmp_path / "grades.csv"
    template.write_text(text, encoding="utf-8")
    result = run_cli("--root", graded_course, "export", ASSIGNMENT, "--lms", "canvas",
                     "--template", template, "--out", tmp_path / "out.csv")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {template}: "), result.output
    assert problem in result.output


def test_export_lms_without_a_gradebook_says_grade_first(run_cli, course_copy, canvas, tmp_path):
    result = run_cli("--root", course_copy, "export", ASSIGNMENT, "--lms", "canvas",
                     "--template", canvas, "--out", tmp_path / "out.csv")
    assert result.exit_code == 1
    assert "gradebook.db: no gradebook; grade 01_forward_pass first" in result.output


def test_canvas_download_names_keep_the_canvas_user_id(run_cli, course_copy, tmp_path):
    from course_copy import EXAMPLE_CLASS

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    for student, canvas_id in [("ada", 12345), ("ben", 12346)]:
        shutil.copy(EXAMPLE_CLASS / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                    downloads / f"{student}student_{canvas_id}_6789{canvas_id % 10}_"
                                f"{ASSIGNMENT}-1.ipynb")
    result = run_cli("--root", course_copy, "grade", ASSIGNMENT, downloads, "--id-pattern",
                     "canvas", "--workers", "1")
    assert result.exit_code == 0, result.output
    template = tmp_path / "canvas.csv"
    template.write_text(canvas_export(["adastudent", "benstudent"], login=""), encoding="utf-8")
    out = tmp_path / "import.csv"
    result = run_cli("--root", course_copy, "export", ASSIGNMENT, "--lms", "canvas",
                     "--template", template, "--out", out)
    assert result.exit_code == 0, result.output
    assert "matched by: ID = the Canvas user id" in result.output
    grades = read_csv(course_copy / "grades" / ASSIGNMENT / "grades.csv", "student")
    assert _column(_rows(out), ASSIGNMENT)[1:3] == [grades["adastudent"]["score"],
                                                    grades["benstudent"]["score"]]


def test_lms_options_without_lms_are_refused(run_cli, course_copy, canvas, tmp_path):
    result = run_cli("--root", course_copy, "export", ASSIGNMENT, "--template", canvas)
    assert result.exit_code == 2
    assert "go with --lms canvas|moodle" in result.output
