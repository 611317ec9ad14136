"""Messages render their Markdown, stay escaped, explain a known mistake once, and link up."""

import re

import pytest
from feedback_class import ASSIGNMENT, NOSHIFT, SCRIPT, check, mistake_output, write_student
from markupsafe import escape

from autograder.feedback import write_feedback, write_report
from autograder.feedback.render import markdown

ATTACKS = [
    SCRIPT,
    "<img src=x onerror=alert(1)>",
    "[click me](javascript:alert(1))",
    "![pixel](http://example.com/track.png)",
    "`</code><script>alert(2)</script>`",
    "**<iframe src=//evil>**",
    "<a href='javascript:alert(3)'>x</a>",
]


def test_code_spans_and_strong_render_and_nothing_else_becomes_markup():
    assert str(markdown("Write `np.dot(X, W.T) + b`, **not** `X @ W`.")) == (
        "Write <code>np.dot(X, W.T) + b</code>, <strong>not</strong> <code>X @ W</code>.")
    assert str(markdown("z**2 + y**2")) == "z**2 + y**2"  # Python, not emphasis
    for attack in ATTACKS:
        html = str(markdown(attack))
        assert not re.search(r"<(?!/?(code|strong)>)", html), html  # only our own two tags
        assert "javascript:" not in html or "<a" not in html


@pytest.mark.slow
def test_student_output_cannot_inject_markup_into_a_page(tmp_path):
    tests = [check("relu", f"attack {i}", 1, outcome="failed",
                   output=f"Called relu({attack})\nIt raised ValueError: {attack}\n{attack}")
             for i, attack in enumerate(ATTACKS)]
    results = tmp_path / "grades"
    cell = {"index": 0, "status": "error", "error": SCRIPT,
            "where": f"a cell you added in `{SCRIPT}`"}
    write_student(results, "mallory", tests, problem="", cells=[cell])
    html = write_feedback(ASSIGNMENT, results, tmp_path / "fb")[0].read_text()
    body = html.split("<body>", 1)[1]
    assert "<script" not in body and "<img" not in body and "<iframe" not in body
    assert "<a href='javascript" not in body and 'href="javascript' not in body
    assert "&lt;script&gt;" in body
    report = write_report(ASSIGNMENT, results, tmp_path / "r.html").read_text()
    assert "<script" not in report.split("<body>", 1)[1]


def test_a_known_mistake_is_explained_once_per_function_and_each_check_points_to_it(tmp_path):
    failed = [check("softmax", f"large logits {i}", 1, outcome="failed", mistake=NOSHIFT,
                    output=mistake_output("softmax([1000.])", "[nan]", "[1.]", NOSHIFT))
              for i in range(3)]
    results = tmp_path / "grades"
    write_student(results, "bob", failed + [check("softmax", "lecture example", 2)])
    html = write_feedback(ASSIGNMENT, results, tmp_path / "fb")[0].read_text()
    assert html.count(str(escape(NOSHIFT[1]))) == 1  # the explanation, once
    assert html.count('id="mistake-softmax-1"') == 1
    assert html.count('href="#mistake-softmax-1"') == 3  # every failed check points to it


def test_the_report_links_every_student_to_their_feedback_page(tiny_class, tmp_path):
    pages = write_feedback(ASSIGNMENT, tiny_class, tmp_path / "feedback")
    report = write_report(ASSIGNMENT, tiny_class, tmp_path / "reports" / "r.html",
                          feedback_dir=tmp_path / "feedback")
    html = report.read_text()
    table = html.split('<table id="students"', 1)[1].split("</table>", 1)[0]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', table)
    assert sorted(s for _, s in links) == ["alice", "bob", "carol", "dave", "eve"]
    for href, student in links:
        target = (report.parent / href).resolve()
        assert target in [p.resolve() for p in pages] and student in target.parts
