"""Students fetch and submit through nbgrader's exchange; `grade` grades what collect gathered.

The whole round trip runs with nbgrader's own commands and a scratch exchange: the course's
`release_assignment`, each student's `fetch_assignment` and `submit` (as that user, from their
own home), the course's `collect`, then `nnfs-course grade` and `nbgrader export`.
"""

from __future__ import annotations

import os
import shutil

import pytest
from course_copy import copy_course
from nbgrader_helpers import ASSIGNMENT, nbgrader, read_csv, tool_env

import course_config
from autograder.config import get_assignment
from autograder.engine.submissions import read_timestamp

pytestmark = pytest.mark.slow
DUE = "2020-01-06 23:59:00 Europe/Berlin"  # every submission of the test is late


def student(tmp_path, name, exchange):
    home = tmp_path / "home" / name
    home.mkdir(parents=True)
    env = tool_env(exchange, HOME=str(home), USER=name, LOGNAME=name)
    env.pop("JUPYTER_DATA_DIR", None)
    env.pop("JUPYTER_CONFIG_DIR", None)
    flags = ["--course", course_config.COURSE_ID, f"--Exchange.root={exchange}"]
    return home, env, flags


def test_release_fetch_submit_collect_then_grade_with_timestamps_and_late_penalty(
        tmp_path, run_cli, monkeypatch):
    monkeypatch.setitem(course_config.ASSIGNMENTS[0], "due", DUE)
    monkeypatch.setitem(course_config.NBGRADER, "LateSubmissionPlugin",
                        {"penalty_method": "zero"})
    assert course_config.ASSIGNMENTS[0]["id"] == ASSIGNMENT
    course = copy_course(tmp_path / "course")
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    os.chmod(exchange, 0o777)
    env = tool_env(exchange)
    nbgrader(course, "release_assignment", ASSIGNMENT, env=env)
    for name, base in (("alice", "source"), ("bob", "release")):
        home, student_env, flags = student(tmp_path, name, exchange)
        nbgrader(home, "fetch_assignment", ASSIGNMENT, *flags, env=student_env)
        fetched = home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        assert fetched.read_bytes() == get_assignment(ASSIGNMENT).release_notebook(
            course).read_bytes()
        if base == "source":  # alice answers with the reference solutions
            shutil.copy(get_assignment(ASSIGNMENT).source_notebook(course), fetched)
        # on a hub each student is their own OS user; here --student says who submits
        nbgrader(home, "submit", ASSIGNMENT, *flags, f"--student={name}", env=student_env)
    nbgrader(course, "collect", ASSIGNMENT, env=env)
    stamps = {}
    for name in ("alice", "bob"):
        path = course / "submitted" / name / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        stamps[name] = read_timestamp(get_assignment(ASSIGNMENT), path)
        assert stamps[name] is not None  # collect copies the exchange's timestamp.txt

    result = run_cli("--root", course, "grade", ASSIGNMENT, "--workers", "2")
    assert result.exit_code == 0, result.output
    assert "Graded 2 submission(s)" in result.output
    for name in ("alice", "bob"):
        autograded = course / "autograded" / name / ASSIGNMENT
        assert (autograded / "timestamp.txt").read_text().strip() == stamps[name][0]

    nbgrader(course, "export", env=env)
    rows = read_csv(course / "grades.csv", "student_id")
    assert sorted(rows) == ["alice", "bob"]
    best = get_assignment(ASSIGNMENT).max_score
    alice, bob = rows["alice"], rows["bob"]
    assert alice["duedate"] == "2020-01-06 22:59:00"  # nbgrader stores UTC
    assert alice["timestamp"] == str(stamps["alice"][1])
    assert (float(alice["raw_score"]), float(alice["late_submission_penalty"]),
            float(alice["score"])) == (best, best, 0.0)
    assert (float(bob["raw_score"]), float(bob["score"])) == (0.0, 0.0)
    ours = tmp_path / "ours.csv"
    assert run_cli("--root", course, "export", "--out", ours).exit_code == 0
    assert read_csv(ours, "student_id")["alice"]["late_submission_penalty"] == str(best)
