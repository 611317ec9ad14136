"""The parts of every notebook that do not come from its lesson: the guide and the check helper."""

import json

import nbformat
import pytest

from autograder.config import assignments, get_assignment
from autograder.pipeline import PipelineError
from autograder.pipeline.build import LANGUAGE_INFO, build, build_notebook
from autograder.pipeline.guide import HELPER, count_checks, wrap_checks, wrap_demo


def run(code: str) -> dict:
    namespace: dict = {}
    exec(HELPER, namespace)
    exec(code, namespace)
    return namespace


@pytest.mark.parametrize("assignment_id", [a.id for a in assignments()])
def test_every_notebook_opens_with_the_guide_and_the_helper(assignment_id):
    nb = build_notebook(get_assignment(assignment_id))
    guide, helper = nb.cells[1], nb.cells[2]
    assert guide.source.startswith("### How to work in this notebook")
    assert "Shift+Enter" in guide.source and f"`{assignment_id}.ipynb`" in guide.source
    # the example check line is this notebook's own first check cell, with its real count
    first = next(c for c in nb.cells if c.metadata.get("nnfs", {}).get("role") == "checks")
    function = first.metadata["nbgrader"]["grade_id"].removeprefix("test_")
    checks = int(first.source.split("checks=")[1].split(")")[0])
    count = f"all {checks} checks" if checks != 1 else "its check"
    assert f"`✓ {function} passed\n   {count} in this cell`" in guide.source
    assert helper.source == HELPER and helper.metadata["nbgrader"]["locked"]
    assert {k: v for k, v in nb.metadata.language_info.items() if k != "version"} \
        == LANGUAGE_INFO
    for cell in nb.cells:
        if cell.metadata.get("nnfs", {}).get("role") in ("checks", "demo"):
            assert cell.metadata["tags"] == ["raises-exception"]
            assert cell.source.startswith(("with checking(", "with demo():"))


def test_a_passing_check_prints_one_line_saying_what_passed(capsys):
    run("def relu(z):\n    return max(0, z)\n"
        + wrap_checks("relu", "assert relu(-1) == 0\nassert relu(2) == 2"))
    assert capsys.readouterr().out == "✓ relu passed all 2 checks in this cell.\n"


def test_an_unwritten_function_says_not_written_yet_in_one_line():
    stub = "def relu(z):\n    raise NotImplementedError()\n"
    with pytest.raises(Exception) as caught:
        run(stub + wrap_checks("relu", "assert relu(-1) == 0"))
    assert type(caught.value).__name__ == "NotWrittenYet"
    assert caught.value._render_traceback_() == [
        "✗ relu is not written yet: replace `raise NotImplementedError()` in its answer cell "
        "above, run that cell, then this one."]
    calls = stub + "def dense(x):\n    return relu(x)\n"
    with pytest.raises(Exception, match="dense calls relu, which is not written yet"):
        run(calls + wrap_checks("dense", "assert dense(1) == 1"))
    with pytest.raises(Exception, match="relu is not defined yet: run its answer cell"):
        run(wrap_checks("relu", "assert relu(1) == 1"))


def test_a_check_that_itself_calls_an_unwritten_function_does_not_blame_the_checked_one():
    cell = "def dense(x):\n    return x\n" + wrap_checks("dense", "assert dense(relu(1)) == 1")
    with pytest.raises(Exception) as caught:
        run("def relu(z):\n    raise NotImplementedError()\n" + cell)
    assert caught.value._render_traceback_() == [
        "✗ The checks of dense use relu, which is not written yet: write relu first."]


def test_a_failing_check_keeps_its_error_and_a_demo_waits_for_its_function(capsys):
    with pytest.raises(AssertionError, match="wrong"):
        run("def relu(z):\n    return z\n" + wrap_checks("relu", "assert relu(-1) == 0, 'wrong'"))
    run("def relu(z):\n    raise NotImplementedError()\n" + wrap_demo("print(relu(1))"))
    assert "This demo needs `relu`, which is not written yet" in capsys.readouterr().out


def test_checks_are_counted_and_multi_line_strings_refused():
    assert count_checks("assert a\nnp.testing.assert_allclose(b, c)\nx = 1") == 2
    with pytest.raises(ValueError, match="line 1: a multi-line string"):
        wrap_demo('print("""a\nb""")')


def test_a_notebook_differing_only_in_its_python_version_is_in_sync(course_copy):
    assignment = get_assignment("01_forward_pass")
    path = assignment.source_notebook(course_copy)
    nb = json.loads(path.read_text())
    nb["metadata"]["language_info"]["version"] = "3.99.0"
    path.write_text(nbformat.writes(nbformat.from_dict(nb)).rstrip("\n") + "\n")
    assert not build(assignment, course_copy, check=True).changed
    nb["metadata"]["language_info"]["name"] = "R"
    path.write_text(nbformat.writes(nbformat.from_dict(nb)))
    assert build(assignment, course_copy, check=True).changed


def test_a_lesson_block_that_does_not_parse_names_its_line(course_copy):
    lesson = course_copy / "reference" / "lessons" / "01_forward_pass.md"
    text = lesson.read_text().replace("<!-- checks: dot_product -->\n```python\n",
                                      "<!-- checks: dot_product -->\n```python\nif (:\n", 1)
    lesson.write_text(text)
    with pytest.raises(PipelineError, match=r"01_forward_pass.md:\d+: the code does not parse"):
        build_notebook(get_assignment("01_forward_pass"), course_copy)
