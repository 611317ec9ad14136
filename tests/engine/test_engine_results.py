"""What `grade` writes: Gradescope results, grades.csv, the gradebook; student ids; reruns."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from engine_helpers import (
    ASSIGNMENT,
    LIMITS,
    MAX_SCORE,
    POINTS,
    grade_folder,
    read_results,
    without_times,
)

from autograder.config import COURSE_ROOT
from autograder.engine.grade import grade


def test_results_are_in_gradescopes_format(honest_alone):
    for student, doc in honest_alone.results.items():
        assert isinstance(doc["score"], float) and doc["max_score"] == MAX_SCORE
        assert isinstance(doc["execution_time"], float) and doc["execution_time"] >= 0
        assert isinstance(doc["output"], str) and doc["output"].startswith(f"{student}: ")
        assert doc["visibility"] == "visible"
        assert doc["extra_data"]["student"] == student
        assert doc["extra_data"]["assignment"] == ASSIGNMENT.id
        assert doc["score"] == sum(t["score"] for t in doc["tests"])
        for test in doc["tests"]:
            assert {"name", "score", "max_score", "output", "visibility"} <= set(test)
            function = test["extra_data"]["function"]
            assert function in POINTS and test["name"].startswith(f"{function}: ")
            assert 0 <= test["score"] <= test["max_score"]
            assert test["visibility"] == "visible" and isinstance(test["output"], str)
    reference, stub = honest_alone.results["reference"], honest_alone.results["stub"]
    assert reference["score"] == MAX_SCORE and all(t["output"] == "" for t in reference["tests"])
    assert stub["score"] == 0
    assert all("replace `raise NotImplementedError()`" in t["output"] for t in stub["tests"])


def test_grades_csv_matches_the_results(honest_alone):
    with open(honest_alone.out / "grades.csv", newline="") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    assert sorted(rows) == sorted(honest_alone.results)
    for student, doc in honest_alone.results.items():
        assert float(rows[student]["score"]) == doc["score"]
        assert float(rows[student]["max_score"]) == MAX_SCORE
        for function in POINTS:
            assert float(rows[student][function]) == \
                doc["extra_data"]["functions"][function]["score"]
    assert float(rows["mutant"]["relu"]) < POINTS["relu"]


@pytest.mark.slow
def test_grading_again_gives_the_same_results_and_clears_stale_temporaries(
        honest_alone, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(honest_alone.out, out)
    stale = out / "reference" / "results.json.tmp-99999"
    stale.write_text('{"score": 5')  # what a killed run can leave
    again = grade_folder(honest_alone.folder, out, workers=1)
    assert not stale.exists()
    assert {s: without_times(d) for s, d in again.results.items()} == \
        {s: without_times(d) for s, d in honest_alone.results.items()}
    assert (out / "grades.csv").read_text() == (honest_alone.out / "grades.csv").read_text()
    assert not [p for p in out.rglob("*") if ".tmp-" in p.name]


@pytest.mark.slow
def test_student_ids_come_from_submitted_folders_or_file_stems(submit, tmp_path):
    tree = tmp_path / "submitted"
    submit(tree / "alice" / ASSIGNMENT.id / f"{ASSIGNMENT.id}.ipynb")
    submit(tree / "bob" / ASSIGNMENT.id / f"{ASSIGNMENT.id}.ipynb", base="release")
    submit(tree / "bob" / ASSIGNMENT.id / "scratch.ipynb", base="release")  # not the assignment
    submit(tree / "alice" / "02_backpropagation" / "02_backpropagation.ipynb")  # another one
    submit(tmp_path / "loose" / "carol.ipynb")
    submit(tmp_path / "loose" / "eve (late).ipynb")
    dave = submit(tmp_path / "dave.ipynb", base="release")
    out = tmp_path / "out"
    run = grade(ASSIGNMENT.id, [tree, tmp_path / "loose", dave], out, workers=2,
                record_gradebook=False, worker_limits=LIMITS)
    results = read_results(out)
    assert sorted(results) == ["alice", "bob", "carol", "dave", "eve__late"]
    assert sorted(s.student for s in run.students) == sorted(results)
    scores = {s: d["score"] for s, d in results.items()}
    assert scores == {"alice": MAX_SCORE, "bob": 0, "carol": MAX_SCORE, "dave": 0,
                      "eve__late": MAX_SCORE}
    assert results["bob"]["extra_data"]["notebook"].endswith(
        f"bob/{ASSIGNMENT.id}/{ASSIGNMENT.id}.ipynb")


@pytest.mark.slow
def test_scores_reach_nbgraders_gradebook_and_export(course_copy, submit, run_cli):
    root = course_copy
    for name in ("nbgrader_config.py", "course_config.py"):
        shutil.copy(COURSE_ROOT / name, root / name)
    submitted = root / "submitted"
    submit(submitted / "alice" / ASSIGNMENT.id / f"{ASSIGNMENT.id}.ipynb")
    submit(submitted / "bob" / ASSIGNMENT.id / f"{ASSIGNMENT.id}.ipynb", base="release")
    submit(submitted / "carol" / ASSIGNMENT.id / f"{ASSIGNMENT.id}.ipynb",
           text=lambda s: s[:100])
    submit(submitted / "dan" / ASSIGNMENT.id / f"{ASSIGNMENT.id}.ipynb",
           replace={"relu": "def relu(z):\n    return np.minimum(0.0, z)"})
    result = run_cli("--root", root, "grade", ASSIGNMENT.id, "--workers", "2")  # no PATH
    assert result.exit_code == 0, result.output
    assert "Gradebook: 4 submission(s) recorded in gradebook.db" in result.output
    results = read_results(root / "grades" / ASSIGNMENT.id)
    assert sorted(results) == ["alice", "bob", "carol", "dan"]
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep
               + os.environ.get("PATH", ""))
    export = subprocess.run(["nbgrader", "export"], cwd=root, env=env, capture_output=True,
                            text=True, timeout=120)
    assert export.returncode == 0, export.stderr
    with open(root / "grades.csv", newline="") as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f)}
    assert sorted(rows) == sorted(results)
    for student, doc in results.items():
        assert rows[student]["assignment"] == ASSIGNMENT.id
        assert float(rows[student]["score"]) == doc["score"]
        assert float(rows[student]["max_score"]) == MAX_SCORE
    assert float(rows["alice"]["score"]) == MAX_SCORE and float(rows["bob"]["score"]) == 0
    assert float(rows["carol"]["score"]) == 0
    assert 0 < float(rows["dan"]["score"]) < MAX_SCORE
