"""The bundled example class (the README's quick start) grades as its students deserve."""

import json

import pytest

from autograder.config import get_assignment

pytestmark = pytest.mark.slow
CLASS = "tests/fixtures/example_class/submitted"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from click.testing import CliRunner

    from autograder.cli import cli
    from autograder.config import COURSE_ROOT

    out = tmp_path_factory.mktemp("example")
    result = CliRunner().invoke(cli, ["grade", "01_forward_pass", str(COURSE_ROOT / CLASS),
                                      "--out", str(out), "--no-gradebook"])
    assert result.exit_code == 0, result.output
    docs = {p.parent.name: json.loads(p.read_text()) for p in out.glob("*/results.json")}
    return out, result.output, docs


def functions_lost(doc):
    return {name for name, f in doc["extra_data"]["functions"].items()
            if f["score"] < f["max_score"]}


def test_every_student_gets_a_result(graded):
    out, output, docs = graded
    assert sorted(docs) == ["ada", "ben", "cai", "dee", "eve", "fay"]
    assert "Graded 6 submission(s)" in output
    assert (out / "grades.csv").read_text().count("\n") == 7


def test_scores_follow_the_answers(graded):
    _, _, docs = graded
    best = get_assignment("01_forward_pass").max_score
    assert docs["ada"]["score"] == best
    assert docs["ben"]["score"] == 0
    assert functions_lost(docs["cai"]) == {"dense_forward", "categorical_cross_entropy"}
    assert functions_lost(docs["eve"]) == {"relu"}
    # fay patched NumPy's checks, called sys.exit and wrote an endless mse: only mse is lost
    assert functions_lost(docs["fay"]) == {"mse"}


def test_named_mistakes_reach_the_student(graded):
    _, _, docs = graded
    mistakes = {(t["extra_data"]["mistake"] or {}).get("title") for t in docs["cai"]["tests"]}
    for t in docs["cai"]["tests"]:  # a failing check carries {"id", "title"} or null
        named = t["extra_data"]["mistake"]
        assert named is None or set(named) == {"id", "title"}, named
    assert {"W where W.T belongs", "log base 10 in cross-entropy"} <= mistakes
    softmax = [t for t in docs["dee"]["tests"] if t["extra_data"]["function"] == "softmax"
               and t["score"] < t["max_score"]]
    assert any((t["extra_data"]["mistake"] or {}).get("title") == "softmax without the max shift"
               for t in softmax)
