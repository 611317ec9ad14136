"""`similarity` ranks copied pairs first, weighs unusual code and shared wrong results, and
changes no grade."""

import csv
import sys

import pytest
from course_copy import EXAMPLE_CLASS, copy_course

from autograder.similarity.score import rank_pairs

sys.path.insert(0, str(EXAMPLE_CLASS.parents[1]))  # tests/fixtures
from make_similarity_class import make_class  # noqa: E402

ASSIGNMENT = "01_forward_pass"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A course whose submitted/ holds 60 generated students, 4 copied pairs among them."""
    root = copy_course(tmp_path_factory.mktemp("similarity") / "course")
    pairs = make_class(root / "submitted", students=60, pairs=4, seed=7)
    return root, pairs


def _ranked(path):
    with open(path, newline="") as handle:
        return [(row["student_a"], row["student_b"]) for row in csv.DictReader(handle)]


@pytest.mark.slow
def test_copied_pairs_rank_first_among_independent_answers(run_cli, generated):
    root, copied = generated
    result = run_cli("--root", root, "similarity", ASSIGNMENT)
    assert result.exit_code == 0, result.output
    ranked = _ranked(root / "similarity" / ASSIGNMENT / "pairs.csv")
    assert set(ranked[:len(copied)]) == {tuple(sorted(p)) for p in copied}
    assert "Similarity is a reason to look, not proof" in result.output


def test_the_report_shows_pairs_side_by_side_and_says_it_is_no_proof(run_cli, generated,
                                                                     tmp_path):
    root, copied = generated
    out = tmp_path / "report"
    result = run_cli("--root", root, "similarity", ASSIGNMENT, "--out", out, "--top", "3")
    assert result.exit_code == 0, result.output
    html = (out / "report.html").read_text()
    assert "Similarity is a reason to look, not proof." in html
    assert "This report changes no grade." in html
    assert html.count("<h2 id='pair-") == 3
    assert html.count("<div class='side'>") >= 3  # each pair's matching functions side by side
    assert "<mark>" in html  # the matching code is highlighted
    assert len(_ranked(out / "pairs.csv")) == 3


def test_common_one_liners_do_not_count():
    common = set(range(100))  # every student wrote the same correct one-liners
    prints = {f"s{i}": set(common) for i in range(10)}
    prints["s1"] |= {1000, 1001}
    prints["s2"] |= {1000, 1001}
    ranked = rank_pairs(prints, {}, top=5)
    assert [(p.a, p.b) for p in ranked] == [("s1", "s2")]


def test_the_same_rare_wrong_result_outweighs_a_common_mistake():
    prints = {f"s{i}": {i} for i in range(10)}
    wrong = {f"s{i}": {"test_softmax_rows (softmax without the max shift)\0returned nan"}
             for i in range(4)}  # a common mistake
    wrong["s7"] = {"test_mse_value\0returned 41.5"}
    wrong["s8"] = {"test_mse_value\0returned 41.5"}
    ranked = rank_pairs(prints, wrong, top=3)
    assert (ranked[0].a, ranked[0].b) == ("s7", "s8")
    assert ranked[0].wrong == ["test_mse_value"]
    assert ranked[0].score > ranked[1].score


@pytest.mark.slow
def test_similarity_changes_no_grade(run_cli, generated):
    root, _ = generated
    grades = root / "grades" / ASSIGNMENT
    grades.mkdir(parents=True, exist_ok=True)
    (grades / "grades.csv").write_text("student,score\ns000,3\n")
    before = {p: p.read_bytes() for p in grades.rglob("*") if p.is_file()}
    assert run_cli("--root", root, "similarity", ASSIGNMENT).exit_code == 0
    assert {p: p.read_bytes() for p in grades.rglob("*") if p.is_file()} == before
    assert not (root / "gradebook.db").exists()


def test_an_empty_class_is_a_one_line_error(run_cli, course_copy, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "alice.ipynb").write_text("{}")
    result = run_cli("--root", course_copy, "similarity", ASSIGNMENT, tmp_path / "empty")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {tmp_path / 'empty'}: 0 readable submission(s)")


def test_the_report_folder_is_kept_out_of_git():
    from autograder.config import COURSE_ROOT

    assert "/similarity/" in (COURSE_ROOT / ".gitignore").read_text().splitlines()


def test_the_same_odd_constant_is_a_strong_signal():
    from autograder.similarity.answers import Answer
    from autograder.similarity.score import odd_constants

    answers = [Answer("ann", None, code="    tol = 70974 * 1e-9\n    return np.maximum(0, z)\n"),
               Answer("bob", None, code="    eps = 70974 * 1e-9\n    return z * (z > 0)\n"),
               Answer("cat", None, code="    return np.clip(z, 0.0, None) * 1.0\n")]
    odd = odd_constants(answers, ["x = 1e-9"])
    assert odd["ann"] == odd["bob"] == {"the constant 70974\0"}
    assert odd["cat"] == set()
    ranked = rank_pairs({a.student: set() for a in answers}, odd, top=3)
    assert [(p.a, p.b, p.wrong) for p in ranked] == [("ann", "bob", ["the constant 70974"])]
