"""Feedback pages and the class report on a laptop (1366x900) and a phone (390x844), in
headless Chromium, with the code that makes the README's screenshots (docs/screenshots.py)."""

from __future__ import annotations

import numpy as np
import pytest
from feedback_class import ASSIGNMENT, NOSHIFT, SCRIPT, check, mistake_output, write_student
from PIL import Image
from student_lab import needs_chromium, screenshots

from autograder.feedback import write_feedback, write_report

pytestmark = [pytest.mark.slow, needs_chromium]

LONG = "categorical_cross_entropy_of_a_very_long_function_name_without_spaces_at_all"


@pytest.fixture
def pages(tiny_class, tmp_path):
    """The tiny class, plus a student whose results hold everything that tends to be wide."""
    wide = [
        check(LONG, "a check whose name goes on and on " * 4, 2, outcome="failed",
              output=mistake_output(f"{LONG}({'[1., 2., 3.] ' * 30})", "[" + "9" * 200 + "]",
                                    "[" + ", ".join(["0.5"] * 60) + "]", NOSHIFT)),
        check("softmax", "scripted", 1, outcome="failed",
              output=f"Called softmax({SCRIPT})\nIt raised ValueError: {'x' * 300}"),
    ]
    write_student(tiny_class, "zz_" + "w" * 60, wide, cells=[{
        "index": 2, "status": "error", "error": "SyntaxError: " + "y" * 300 + " (line 2)",
        "where": f"the answer cell of `{LONG}` (section “9. `{LONG}`”)"}])
    feedback = write_feedback(ASSIGNMENT, tiny_class, tmp_path / "feedback")
    report = write_report(ASSIGNMENT, tiny_class, tmp_path / "reports" / "report.html",
                          feedback_dir=tmp_path / "feedback")
    return {"report": report, "feedback": feedback[1], "wide": feedback[-1]}


@pytest.mark.parametrize("which", ["feedback", "report", "wide"])
def test_nothing_is_wider_than_a_laptop_or_a_phone(pages, which, browser, tmp_path):
    shots = screenshots.capture(browser, pages[which], tmp_path / "shots", which)
    assert [(s.screen, s.width) for s in shots] == [("1366", 1366), ("390", 390)]
    for shot in shots:
        assert shot.too_wide == [], f"{which} at {shot.screen} px: {shot.too_wide[:10]}"
        assert shot.scroll_width <= shot.width, f"{which} scrolls sideways at {shot.screen} px"
        image = Image.open(shot.png)
        assert image.size == (shot.width, {"1366": 900, "390": 844}[shot.screen])
        pixels = np.asarray(image.convert("RGB")).reshape(-1, 3)
        assert len(np.unique(pixels, axis=0)) > 50, "the screenshot is blank"


def test_the_overflow_check_can_fail(tmp_path, browser):
    page = tmp_path / "wide.html"
    page.write_text('<!DOCTYPE html><meta name="viewport" content="width=device-width">'
                    '<table id="t"><tr><td style="white-space:nowrap">' + "w" * 200 +
                    "</td></tr></table>")
    shots = screenshots.capture(browser, page, tmp_path / "shots")
    phone = next(s for s in shots if s.screen == "390")
    assert any(line.startswith("table#t") for line in phone.too_wide), phone.too_wide


def test_the_phone_gets_the_narrow_charts(pages, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(pages["report"].resolve().as_uri())
        sizes = page.evaluate("""() => Array.from(document.querySelectorAll('figure img'))
            .filter(i => i.getBoundingClientRect().width > 0)
            .map(i => [i.className, i.getBoundingClientRect().width, i.naturalWidth])""")
    finally:
        context.close()
    assert [cls for cls, _, _ in sizes] == ["narrow"] * 3
    for _, shown, natural in sizes:
        assert shown <= 390 and shown >= 0.8 * natural  # drawn for the phone, barely scaled
