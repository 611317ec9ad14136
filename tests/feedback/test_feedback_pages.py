import json
from pathlib import Path

import pytest
from feedback_class import (
    ASSIGNMENT,
    NOSHIFT,
    SCRIPT,
    SUMMED,
    check,
    mistake_output,
    table_rows,
    write_student,
)
from markupsafe import escape

from autograder.config import COURSE_ROOT, get_assignment, lecture_name
from autograder.feedback import FeedbackError, write_feedback
from autograder.feedback.scrub import WITHHELD, Scrubber, function_body_lines, source_lines
from autograder.grader_layout import grader_files


def pages(results_dir, out_dir, **kwargs) -> dict[str, str]:
    paths = write_feedback(ASSIGNMENT, results_dir, out_dir, **kwargs)
    return {p.parent.parent.name: p.read_text(encoding="utf-8") for p in paths}


def test_one_page_per_student_in_nbgraders_feedback_layout(tiny_class, tmp_path):
    paths = write_feedback(ASSIGNMENT, tiny_class, tmp_path / "feedback")
    assert paths == [tmp_path / "feedback" / s / ASSIGNMENT / f"{ASSIGNMENT}.html"
                     for s in ["alice", "bob", "carol", "dave", "eve"]]
    assert all(p.is_file() for p in paths)


def test_defaults_are_grades_and_feedback_under_the_course_root(tmp_path):
    write_student(tmp_path / "grades" / ASSIGNMENT, "zoe", [check("relu", "lecture example")])
    paths = write_feedback(ASSIGNMENT, root=tmp_path)
    assert paths == [tmp_path / "feedback" / "zoe" / ASSIGNMENT / f"{ASSIGNMENT}.html"]


def test_scores_per_student_function_and_check_match_results_json(tiny_class, tmp_path):
    html = pages(tiny_class, tmp_path / "out")
    for student, page in html.items():
        results = json.loads((tiny_class / student / "results.json").read_text())
        total = f'{results["score"]:g} <small>/ {results["max_score"]:g} points'
        assert total in page, student
        rows = {r[0]: r[1] for r in table_rows(page, "functions")}
        assert rows == {name: f'{f["score"]:g} / {f["max_score"]:g}'
                        for name, f in results["extra_data"]["functions"].items()}
        for test in results["tests"]:
            description = test["name"].removeprefix(test["extra_data"]["function"] + ": ")
            assert escape(description) in page
            assert f'{test["score"]:g} / {test["max_score"]:g}' in page


def test_every_failed_check_shows_call_answer_expectation_and_named_mistake(tiny_class, tmp_path):
    bob = pages(tiny_class, tmp_path / "out")["bob"]
    for test in json.loads((tiny_class / "bob" / "results.json").read_text())["tests"]:
        if test["extra_data"]["outcome"] == "passed":
            continue
        for line in test["output"].splitlines():
            if not line.startswith("Known mistake"):
                assert str(escape(line)) in bob, line
    for title, explanation, lecture in (SUMMED, NOSHIFT):
        assert f"Known mistake: {escape(title)}" in bob
        assert str(escape(explanation)) in bob
        assert f"Revisit {escape(lecture_name(lecture))}" in bob


def test_mistake_with_lecture_only_in_extra_data_still_names_the_lecture(tmp_path):
    mistake = ("log base 10", "Cross-entropy uses the natural log.", "001")
    write_student(tmp_path / "r", "zoe", [check("categorical_cross_entropy", "lecture example",
                                                outcome="failed", output="It returned 0.22",
                                                mistake=mistake)])
    page = pages(tmp_path / "r", tmp_path / "out")["zoe"]
    assert "Known mistake: log base 10" in page
    assert f"Revisit {escape(lecture_name('001'))}" in page
    assert "It returned 0.22" in page


def test_student_text_is_escaped(tiny_class, tmp_path):
    write_student(tiny_class, "mallory", [check("dot_product", SCRIPT, outcome="failed",
                                                output=f"It raised {SCRIPT}")],
                  status="failed-to-run", problem=SCRIPT,
                  cells=[{"index": 1, "status": "error", "error": SCRIPT}])
    html = pages(tiny_class, tmp_path / "out")
    for page in (html["eve"], html["mallory"]):
        assert "<script" not in page
        assert str(escape(SCRIPT)) in page


def test_pages_stand_alone(tiny_class, tmp_path):
    for page in pages(tiny_class, tmp_path / "out").values():
        assert "<style>" in page
        for external in ("http://", "https://", "<link", "<script", "src=", "@import"):
            assert external not in page


def test_failed_to_run_and_cell_errors_are_explained(tiny_class, tmp_path):
    html = pages(tiny_class, tmp_path / "out")
    assert "Your notebook could not be graded" in html["dave"]
    assert "the notebook is not valid JSON (line 3)" in html["dave"]
    # Named as the student sees the notebook, its Markdown rendered: no cell numbers.
    assert ("The answer cell of <code>softmax</code> (section “2. Softmax: <code>softmax</code>”)"
            in html["carol"].replace("the answer", "The answer"))
    assert "NameError: name" in html["carol"] and "Code cell" not in html["carol"]
    assert "could not be graded" not in html["carol"]
    assert "Every check passed" in html["alice"]


def test_a_broken_graders_traceback_and_hidden_checks_stay_out(tmp_path):
    error = check("relu", "keeps negative zero", 2, outcome="error",
                  output="The grader could not finish this check (KeyError in call). Your "
                         "instructor has been told.\nE   KeyError: 'secret_fixture'")
    hidden = check("relu", "hidden edge case", 3, outcome="failed", visibility="hidden",
                   output="Called relu(hidden input)")
    write_student(tmp_path / "r", "zoe", [check("relu", "lecture example"), error, hidden])
    page = pages(tmp_path / "r", tmp_path / "out")["zoe"]
    assert "The grader could not finish this check" in page
    assert "secret_fixture" not in page
    assert "hidden edge case" not in page and "hidden input" not in page
    assert "1 further check is not shown: 0 / 3 points." in page


def test_a_grader_source_line_planted_in_results_never_reaches_the_page(tmp_path):
    secret = max((line for path in grader_files(get_assignment(ASSIGNMENT))
                  for line in source_lines(path.read_text())), key=len).strip()
    assert len(secret) > 20
    planted = f"Called dot_product(...)\n>       {secret}\nIt returned 6.0"
    write_student(tmp_path / "r", "zoe", [
        check("dot_product", f"lecture example {secret}", outcome="failed", output=planted)],
        output=f"summary\n{secret}")
    page = pages(tmp_path / "r", tmp_path / "out")["zoe"]
    assert str(escape(secret)) not in page and secret not in page
    assert WITHHELD.replace("'", "&#39;") in page
    assert "Called dot_product(...)" in page and "It returned 6.0" in page


def test_a_reference_solution_line_never_reaches_the_page(tmp_path):
    module = get_assignment(ASSIGNMENT).reference_module()
    secret = max(function_body_lines(Path(module.__file__).read_text()), key=len).strip()
    assert len(secret) > 20
    write_student(tmp_path / "r", "zoe", [
        check("dot_product", "lecture example", outcome="failed", output=f"It raised\n{secret}")],
        cells=[{"index": 2, "status": "error", "error": f"SyntaxError in\n    {secret}"}])
    page = pages(tmp_path / "r", tmp_path / "out")["zoe"]
    assert str(escape(secret)) not in page and secret not in page


def test_scrubber_reads_the_course_graders_and_reference_bodies_but_not_docstrings(tmp_path):
    (tmp_path / "autograder" / "graders").mkdir(parents=True)
    (tmp_path / "reference").mkdir()
    (tmp_path / "autograder" / "graders" / "test_x.py").write_text(
        'def test_relu_example(student):\n'
        '    """\n    relu of the lecture example vector\n    """\n'
        '    expected = secret_table_of_expected_values[3]\n'
        '    M = Mistake("t", """first line\n    a longer explanation for the student\n    """)\n')
    (tmp_path / "reference" / "x.py").write_text(
        'SHAPE_NOTE = "module-level text is not a solution body"\n'
        'def relu(x):\n    """Elementwise max(0, x) of the input array."""\n'
        '    return np.maximum(np.zeros_like(x), x)\n')
    scrub = Scrubber.for_course(tmp_path)
    assert scrub("  expected  =  secret_table_of_expected_values[3]  ") == WITHHELD
    assert scrub("out: return np.maximum(np.zeros_like(x), x)") == WITHHELD
    for public in ("relu of the lecture example vector", "a longer explanation for the student",
                   "Elementwise max(0, x) of the input array.",
                   "module-level text is not a solution body", "short = x"):
        assert scrub(public) == public
    assert scrub.withheld == 2


def test_the_course_scrubber_keeps_ordinary_feedback(tiny_class, tmp_path):
    scrub = Scrubber.for_course(COURSE_ROOT)
    out = mistake_output("dot_product(array([1., 2., 3.]))", "6.0", "32.0", SUMMED)
    assert scrub(out) == out


@pytest.mark.slow
def test_missing_or_foreign_results_are_refused(tmp_path):
    with pytest.raises(FeedbackError, match="no grading results"):
        write_feedback(ASSIGNMENT, tmp_path / "nowhere", tmp_path / "out")
    (tmp_path / "empty").mkdir()
    with pytest.raises(FeedbackError, match="no <student>/results.json"):
        write_feedback(ASSIGNMENT, tmp_path / "empty", tmp_path / "out")
    path = write_student(tmp_path / "r", "zoe", [check("relu", "lecture example")])
    data = json.loads(path.read_text())
    data["extra_data"]["assignment"] = "02_backpropagation"
    path.write_text(json.dumps(data))
    with pytest.raises(FeedbackError, match="02_backpropagation"):
        write_feedback(ASSIGNMENT, tmp_path / "r", tmp_path / "out")
    path.write_text("{not json")
    with pytest.raises(FeedbackError, match="cannot read"):
        write_feedback(ASSIGNMENT, tmp_path / "r", tmp_path / "out")
