"""`nnfs-course grade` where no level that keeps the course's minimum can start: it refuses before
any student code runs, names the fix, and leaves earlier results alone. A weaker level is a
knowing choice for one run, and it still keeps every student's grade their own.

Every level that could qualify is made unavailable, each by its own switch, so that the test
keeps its meaning when more levels exist: bubblewrap absent from PATH, or present but failing as
on Ubuntu 24.04 for non-root users.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from course_copy import copy_course
from engine_helpers import ASSIGNMENT, MAX_SCORE, failing_bwrap, read_results, tree_digest
from threat_notebooks import hostile_cell

from autograder.sandbox import levels

pytestmark = pytest.mark.slow

# How each level that may keep every promise is made unavailable here (besides PATH for bwrap).
OFF_SWITCHES = {"bubblewrap": {}, "user": {"NNFS_SANDBOX_USER": "no-such-user"},
                "landlock": {"NNFS_LANDLOCK": "off"}}


def fake_path(tmp_path: Path, bwrap: str) -> str:
    """A PATH with `unshare`, and bubblewrap "absent" or "failing" as on Ubuntu 24.04. (Not
    below /tmp: as root, the sandbox's launcher mounts its own /tmp before it starts bwrap.)"""
    folder = Path(tempfile.mkdtemp(prefix=f"nnfs-bin-{bwrap}-", dir="/var/tmp"))
    folder.chmod(0o755)
    atexit.register(shutil.rmtree, folder, True)
    (folder / "unshare").symlink_to(subprocess.check_output(["which", "unshare"], text=True)
                                    .strip())
    if bwrap == "failing":
        failing_bwrap(folder)
    return str(folder)


def nnfs(course: Path, *args, path: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != levels.ISOLATION_ENV}
    for switch in OFF_SWITCHES.values():
        env.update(switch)
    env["PATH"] = path
    return subprocess.run([sys.executable, "-m", "autograder", "--root", str(course), *args],
                          env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory) -> Path:
    """A course graded once already, with its gradebook and autograded/ notebooks."""
    root = tmp_path_factory.mktemp("fail-closed")
    course = copy_course(root / "course")
    for student in ("ann", "bob"):
        folder = course / "submitted" / student / ASSIGNMENT.id
        folder.mkdir(parents=True)
        shutil.copy(ASSIGNMENT.source_notebook(), folder / f"{ASSIGNMENT.id}.ipynb")
    done = subprocess.run([sys.executable, "-m", "autograder", "--root", str(course), "grade",
                           ASSIGNMENT.id], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return course


def test_every_level_that_could_qualify_has_an_off_switch():
    qualifying = [level for level in levels.LEVELS
                  if levels.EVERY <= levels.KEPT[level] or level == "user"]
    assert set(qualifying) <= set(OFF_SWITCHES)


@pytest.mark.parametrize("bwrap", ["absent", "failing"])
def test_no_accepted_level_means_no_student_code_runs(graded_course, tmp_path, submit, bwrap):
    mark = tmp_path / "student-code-ran"
    submit(graded_course / "submitted" / "cat" / ASSIGNMENT.id /
                     f"{ASSIGNMENT.id}.ipynb", append=[f"open({str(mark)!r}, 'w').write('x')"])
    kept = (graded_course / "grades", graded_course / "gradebook.db",
            graded_course / "autograded")
    before = tree_digest(*kept)
    try:
        run = nnfs(graded_course, "grade", ASSIGNMENT.id, path=fake_path(tmp_path, bwrap))
    finally:
        (graded_course / "submitted" / "cat").rename(tmp_path / "cat")
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    assert "no student code was run" in output and "Traceback" not in output
    fix = "install bubblewrap" if bwrap == "absent" else "apparmor_restrict_unprivileged_userns"
    said = "not installed" if bwrap == "absent" else "setting up uid map: Permission denied"
    assert said in output
    assert fix in output and "--isolation unshare" in output
    assert not mark.exists()
    assert tree_digest(*kept) == before


def test_a_weaker_level_is_a_knowing_choice_that_says_what_it_allows(tmp_path, submit):
    course = copy_course(tmp_path / "course")
    folder = tmp_path / "class"
    for student in ("bea", "dan"):
        submit(folder / f"{student}.ipynb")
    submit(folder / "cnn.ipynb", append=[hostile_cell(course, tmp_path)])
    out = tmp_path / "out"
    run = nnfs(course, "grade", ASSIGNMENT.id, str(folder), "--out", str(out), "--no-gradebook",
               "--isolation", "unshare", path=fake_path(tmp_path, "failing") + ":/usr/bin:/bin")
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert output.count("WARNING: isolation 'unshare'") == 1
    assert "CAN read the hidden graders" in output and "cannot write outside" in output
    results = read_results(out)
    assert results["bea"]["score"] == results["dan"]["score"] == MAX_SCORE
    refused = nnfs(course, "grade", ASSIGNMENT.id, str(folder), "--out", str(tmp_path / "none"),
                   "--no-gradebook", "--isolation", "none", path="/usr/bin:/bin")
    assert refused.returncode == 1 and "grade --trusted" in refused.stdout + refused.stderr
    assert not (tmp_path / "none").exists()
