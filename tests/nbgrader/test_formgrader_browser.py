"""formgrader, in headless Chromium, on a class `grade` graded: every view agrees with grades.csv.

Debian's chromium is driven by Playwright (never a downloaded browser). Every wait is for a
condition on the page, with a generous limit, so a busy machine only makes the test slower.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from nbgrader_helpers import ASSIGNMENT, jupyter_server, read_csv

pytestmark = pytest.mark.slow
CHROMIUM = Path("/usr/bin/chromium")
WAIT_MS = 180_000
STUDENTS = ["ada", "ben", "cai", "dee", "eve", "fay"]


SCORE = re.compile(r"^(\d+(?:\.\d+)?) / (\d+(?:\.\d+)?)$")


def _score(text: str) -> float:
    return float(SCORE.match(text.strip()).group(1))


def _scores_by_student(rows: list[list[str]]) -> dict[str, float]:
    """Each row's student (the cell naming one) and its first "score / max" cell."""
    out = {}
    for row in rows:
        names = [s for s in STUDENTS if any(re.search(rf"\b{s}\b", cell) for cell in row)]
        scores = [_score(cell) for cell in row if SCORE.match(cell.strip())]
        assert len(names) == 1 and scores, row
        out[names[0]] = scores[0]
    return out


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"])
        try:
            yield browser
        finally:
            browser.close()


def _rows(page, url: str) -> list[list[str]]:
    page.goto(url)
    page.wait_for_function(
        "() => document.querySelectorAll('tbody tr').length > 0 && !document.querySelector("
        "'tbody').innerText.includes('Loading')", timeout=WAIT_MS)
    return page.eval_on_selector_all(
        "tbody tr", "rows => rows.map(r => [...r.querySelectorAll('td')].map(td => "
        "td.innerText.trim()))")


def test_formgrader_lists_grades_and_feedback_as_grade_wrote_them(graded_course, browser,
                                                                  run_cli, tmp_path):
    expected = {s: float(r["score"]) for s, r in
                read_csv(graded_course / "grades" / ASSIGNMENT / "grades.csv", "student").items()}
    assert sorted(expected) == STUDENTS
    shutil.rmtree(graded_course / "feedback", ignore_errors=True)
    with jupyter_server(graded_course, tmp_path / "exchange") as (base, token):
        page = browser.new_page()
        page.set_default_timeout(WAIT_MS)
        page.goto(f"{base}/?token={token}")  # logs in: the token becomes a cookie

        # Manage Submissions: every student, autograded, with the score of grades.csv
        rows = _rows(page, f"{base}/formgrader/manage_submissions/{ASSIGNMENT}")
        assert _scores_by_student(rows) == expected, rows
        assert not any("None, None" in cell for row in rows for cell in row), rows

        # Manage Students: each student's score, and no "None, None"
        rows = _rows(page, f"{base}/formgrader/manage_students")
        assert _scores_by_student(rows) == expected, rows
        assert not any("None, None" in cell for row in rows for cell in row), rows

        # Manual Grading: every submission of the notebook, with its score
        rows = _rows(page, f"{base}/formgrader/gradebook/{ASSIGNMENT}/{ASSIGNMENT}")
        assert len(rows) == len(STUDENTS)
        page.click("text=Show All Names")
        rows = page.eval_on_selector_all(
            "tbody tr", "rows => rows.map(r => [...r.querySelectorAll('td')].map(td => "
            "td.innerText.trim()))")
        assert _scores_by_student(rows) == expected, rows

        # Manual Grading opens cai's submission with the auto score of every grade cell
        page.click("a.name-shown:has-text('cai')")
        dense = page.locator("input.score#test_dense_forward")
        dense.wait_for(state="visible")
        page.wait_for_function(  # formgrader fills in the auto scores once they have loaded
            "() => [...document.querySelectorAll('input.score')].every(i => i.placeholder)",
            timeout=WAIT_MS)
        assert dense.get_attribute("placeholder") == "0"
        assert page.locator("input.score#test_relu").get_attribute("placeholder") == "3"
        assert page.locator("text=Hidden tests of dense_forward").count() == 1

        # A manual score entered there reaches the gradebook and `nnfs-course export`
        with page.expect_response(lambda r: "/formgrader/api/grade/" in r.url
                                  and r.request.method == "PUT" and r.ok):
            dense.fill("4")
            dense.press("Tab")
        result = run_cli("--root", graded_course, "export", "--out", tmp_path / "export.csv")
        assert result.exit_code == 0, result.output
        exported = read_csv(tmp_path / "export.csv", "student_id")
        assert float(exported["cai"]["score"]) == expected["cai"] + 4
        assert float(exported["ada"]["score"]) == expected["ada"]

        # Manage Assignments counts the six submissions; its Generate Feedback succeeds
        rows = _rows(page, f"{base}/formgrader/manage_assignments")
        row = next(r for r in rows if r and r[0] == ASSIGNMENT)
        assert str(len(STUDENTS)) in row, row
        page.locator("td.generate-feedback a").first.click()
        page.wait_for_selector("#success-modal, #error-modal", timeout=WAIT_MS)
        assert page.locator("#success-modal").count() == 1, page.inner_text("body")
    for student in STUDENTS:
        html = graded_course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"
        assert re.search(r"Hidden tests of relu", html.read_text())
