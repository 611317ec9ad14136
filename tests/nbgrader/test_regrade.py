"""Regrading shows what changed and why; results record what produced them; --dry-run records
nothing; manual scores stay."""

import csv
import json
import shutil
import warnings

from course_copy import EXAMPLE_CLASS
from nbgrader_helpers import ASSIGNMENT, read_csv, tree_bytes

from autograder.engine.regrade import compare

PROVENANCE = {"submission", "graders", "reference", "limits", "packages", "isolation"}


def _results(root, student):
    return json.loads((root / "grades" / ASSIGNMENT / student / "results.json").read_text())


def _fix_eve_and_touch_the_graders(root):
    shutil.copy(EXAMPLE_CLASS / "ada" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                root / "submitted" / "eve" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    graders = root / "autograder" / "graders" / f"test_{ASSIGNMENT}.py"
    graders.write_text(graders.read_text() + "\n# a grader fix\n")


def test_every_result_records_its_provenance_without_changing_scores(graded_course):
    grades = read_csv(graded_course / "grades" / ASSIGNMENT / "grades.csv", "student")
    for student, row in grades.items():
        document = _results(graded_course, student)
        provenance = document["extra_data"]["provenance"]
        assert set(provenance) == PROVENANCE
        assert provenance["isolation"] == document["extra_data"]["isolation"]
        assert provenance["packages"]["numpy"] and provenance["packages"]["python"]
        assert f"{document['score']:g}" == row["score"]
    hashes = {_results(graded_course, s)["extra_data"]["provenance"]["submission"]
              for s in grades}
    assert len(hashes) == len(grades)  # six different notebooks, six hashes


def test_dry_run_shows_the_change_and_records_nothing(run_cli, graded_course):
    _fix_eve_and_touch_the_graders(graded_course)
    before = tree_bytes(graded_course / "grades") | {
        "gradebook.db": (graded_course / "gradebook.db").read_bytes()}
    result = run_cli("--root", graded_course, "grade", ASSIGNMENT, "--workers", "2", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dry run, nothing recorded: 1 of 6 student(s) graded before have a different result" \
        in result.output
    eve = next(line for line in result.output.splitlines() if line.strip().startswith("eve"))
    assert eve.split()[1:3] == ["55", "58"]
    assert "relu 0->3; submission, graders" in eve
    after = tree_bytes(graded_course / "grades") | {
        "gradebook.db": (graded_course / "gradebook.db").read_bytes()}
    assert after == before
    assert not (graded_course / "grades" / ASSIGNMENT / "changes.csv").exists()


def test_regrade_writes_changes_csv_and_keeps_manual_scores(run_cli, graded_course, tmp_path):
    from autograder.nbgrader.gradebook import opened

    with warnings.catch_warnings(), opened(graded_course) as (api, gb):
        warnings.simplefilter("ignore")
        gb.find_grade("test_relu", ASSIGNMENT, ASSIGNMENT, "fay").manual_score = 2.0
        gb.db.commit()
    _fix_eve_and_touch_the_graders(graded_course)
    result = run_cli("--root", graded_course, "grade", ASSIGNMENT, "--workers", "2")
    assert result.exit_code == 0, result.output
    assert "Regrade: 1 of 6 student(s) graded before have a different result" in result.output
    with open(graded_course / "grades" / ASSIGNMENT / "changes.csv", newline="") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert sorted(rows) == ["ada", "ben", "cai", "dee", "eve", "fay"]
    assert (rows["eve"]["old_score"], rows["eve"]["new_score"], rows["eve"]["change"]) == \
        ("55", "58", "3")
    assert rows["eve"]["functions_changed"] == "relu 0->3"
    assert rows["eve"]["inputs_changed"] == "submission, graders"
    assert rows["ada"]["inputs_changed"] == "graders" and rows["ada"]["change"] == "0"
    out = tmp_path / "export.csv"
    assert run_cli("--root", graded_course, "export", ASSIGNMENT, "--out", out).exit_code == 0
    exported = read_csv(out, "student_id")
    graders_fay = _results(graded_course, "fay")["extra_data"]["functions"]["relu"]["score"]
    assert float(exported["fay"]["score"]) == _results(graded_course, "fay")["score"] \
        - graders_fay + 2.0


def test_an_old_result_without_provenance_says_so():
    old = {"ada": {"score": 3.0, "extra_data": {"functions": {"relu": {"score": 3.0}}}}}
    new = {"ada": {"score": 0.0, "extra_data": {"functions": {"relu": {"score": 0.0}},
                                                "provenance": {"graders": "x"}}},
           "bo": {"score": 1.0, "extra_data": {}}}
    changes = compare(old, new)
    assert changes.first_time == ["bo"]
    (ada,) = changes.changed
    assert ada.functions == ["relu 3->0"]
    assert ada.inputs_text() == "unknown (the old result has no provenance)"


def test_a_package_upgrade_is_named_with_its_versions():
    def doc(numpy):
        return {"score": 1.0, "extra_data": {"functions": {}, "provenance": {
            "graders": "g", "packages": {"numpy": numpy, "python": "3.11.7"}}}}

    changes = compare({"ada": doc("2.3.0")}, {"ada": doc("2.4.6")})
    assert changes.compared[0].inputs == ["numpy 2.3.0->2.4.6"]
    assert not changes.changed  # the same score: listed in changes.csv, not on screen
