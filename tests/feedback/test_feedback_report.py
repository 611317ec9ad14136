import base64
import re

import pytest
from feedback_class import ASSIGNMENT, SCRIPT, check, table_rows, write_student
from markupsafe import escape

from autograder.config import lecture_name
from autograder.feedback import FeedbackError, write_report
from autograder.feedback.report import default_report_path

SVG = re.compile(r'<img class="(wide|narrow)" alt="[^"]*" '
                 r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')


@pytest.fixture
def report(tiny_class, tmp_path) -> str:
    path = write_report(ASSIGNMENT, tiny_class, tmp_path / "reports" / "r.html")
    assert path == tmp_path / "reports" / "r.html"
    return path.read_text(encoding="utf-8")


def test_defaults_are_grades_and_reports_under_the_course_root(tmp_path):
    write_student(tmp_path / "grades" / ASSIGNMENT, "zoe", [check("relu", "lecture example")])
    path = write_report(ASSIGNMENT, root=tmp_path)
    assert path == default_report_path(ASSIGNMENT, tmp_path) == tmp_path / "reports" / (
        f"{ASSIGNMENT}.html")
    assert path.is_file()


def test_summary_counts_the_class(report):
    cards = dict(re.findall(r'<div class="label">([^<]+)</div><div class="value"[^>]*>([^<]+)',
                            report))
    assert cards["Students"] == "5"
    assert cards["Mean"].strip() == "5.0"  # (8 + 4 + 7 + 0 + 6) / 5
    assert cards["Median"] == "6"
    assert cards["Full marks"] == "1"
    assert cards["Run errors"] == "2"


def test_pass_rate_per_function_counts_every_student(report):
    rows = {r[0]: r[1:4] for r in table_rows(report, "functions")}
    assert rows == {
        "dot_product": ["3", "1.60", "1/5 (20%)"],  # only alice has 3/3
        "softmax": ["5", "3.40", "3/5 (60%)"],  # alice, carol, eve
    }


def test_pass_rate_per_check(report):
    rows = {r[0]: r[2] for r in table_rows(report, "tests")}
    assert rows == {
        "dot_product: lecture example (lecture 001)": "2/5 (40%)",
        "dot_product: random vectors": "3/5 (60%)",
        "softmax: lecture example": "4/5 (80%)",
        "softmax: large logits": "3/5 (60%)",
    }


def test_most_common_mistakes_with_counts_students_and_lectures(report):
    rows = table_rows(report, "mistakes")
    assert [(r[0], r[1], r[2], r[4]) for r in rows] == [
        ("summed a only", "dot_product", "2", "bob carol"),
        ("softmax without the max shift", "softmax", "1", "bob"),
    ]
    assert rows[0][3] == lecture_name("001")
    assert rows[1][3] == lecture_name("000")


def test_submissions_that_failed_to_run_or_had_failing_cells(report):
    rows = table_rows(report, "broken")
    assert [r[:2] for r in rows] == [["carol", "cell errors"], ["dave", "failed-to-run"]]
    assert "NameError: name 'np' is not defined" in rows[0][2]
    assert rows[1][2] == "the notebook is not valid JSON (line 3)"


def test_charts_are_embedded_scalable_svgs_and_the_report_works_offline(report):
    images = SVG.findall(report)
    # histogram, per function, per check: each for a laptop and for a phone
    assert [size for size, _ in images] == ["wide", "narrow"] * 3
    for _, data in images:
        svg = base64.b64decode(data)
        assert b"<svg" in svg and b"viewBox" in svg and len(svg) > 2000
        assert b"<script" not in svg
    for external in ("http://", "https://", "<link", "<script", "@import"):
        assert external not in report


def test_student_text_is_escaped_in_the_report(tiny_class, tmp_path):
    write_student(tiny_class, "mallory", [], status="failed-to-run", problem=SCRIPT)
    report = write_report(ASSIGNMENT, tiny_class, tmp_path / "r.html").read_text()
    assert "<script" not in report
    assert str(escape(SCRIPT)) in report


def test_grader_errors_are_listed_for_the_instructor(tmp_path):
    error = check("relu", "lecture example", outcome="error",
                  output="The grader could not finish this check.\nE   KeyError: 'table'")
    write_student(tmp_path / "r", "zoe", [error])
    report = write_report(ASSIGNMENT, tmp_path / "r", tmp_path / "r.html").read_text()
    assert "Grader errors" in report
    assert "KeyError: &#39;table&#39;" in report


def test_no_results_is_an_error(tmp_path):
    with pytest.raises(FeedbackError):
        write_report(ASSIGNMENT, tmp_path / "nowhere", tmp_path / "r.html")
