"""A class in which one notebook rewrites every results.json, grades.csv and gradebook.db it can
reach, graded first, in the middle and last, at every level that grades untrusted code: every
other student keeps the grade they earned, and the course's files are untouched."""

from __future__ import annotations

import csv

import pytest
from course_copy import copy_course
from engine_helpers import ASSIGNMENT, LIMITS, MAX_SCORE, read_results, tree_digest
from threat_notebooks import hostile_cell

from autograder.config import COURSE_ROOT
from autograder.engine.grade import grade
from autograder.sandbox import levels

pytestmark = pytest.mark.slow

def untrusted_levels() -> list[str]:
    return [level for level in levels.LEVELS if levels.UNTRUSTED <= levels.KEPT[level]]


@pytest.mark.parametrize("level", untrusted_levels())
def test_one_hostile_notebook_changes_no_one_elses_grade(tmp_path, submit, level):
    if not levels.available(level):
        pytest.skip(f"{level} does not start on this machine: {levels.probe(level)}")
    course = copy_course(tmp_path / "course")
    gradebook = course / "gradebook.db"
    gradebook.write_bytes(b"an earlier class's gradebook")
    out = course / "grades" / ASSIGNMENT.id
    honest = ["bea", "cem", "dan", "eli"]
    watched = (course / "autograder", course / "reference", COURSE_ROOT / "autograder" /
               "graders", COURSE_ROOT / "reference")
    before = tree_digest(*watched)
    for place, hostile in (("first", "aaa"), ("middle", "cnn"), ("last", "zzz")):
        folder = tmp_path / f"class-{place}"
        for student in honest:
            submit(folder / f"{student}.ipynb")
        submit(folder / f"{hostile}.ipynb", append=[hostile_cell(course, tmp_path)])
        run = grade(ASSIGNMENT.id, [folder], out, workers=2, root=course,
                    isolation=levels.Policy(level=level), record_gradebook=False,
                    worker_limits=LIMITS)
        assert run.isolation == level and not run.errors, (place, run.errors)
        results = read_results(out)
        for student in honest:
            document = results[student]
            assert document["score"] == MAX_SCORE, (level, place, student, document["output"])
            assert document["extra_data"]["isolation"] == level
        with open(out / "grades.csv", encoding="utf-8") as handle:
            rows = {row["student"]: row for row in csv.DictReader(handle)}
        for student in honest:
            assert float(rows[student]["score"]) == MAX_SCORE, (level, place, rows[student])
            assert rows[student]["isolation"] == level
        assert hostile in rows and hostile in results
        assert gradebook.read_bytes() == b"an earlier class's gradebook", (level, place)
    assert tree_digest(*watched) == before, f"{level}: the graders or the reference changed"
