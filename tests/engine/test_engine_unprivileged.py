"""`nnfs-course grade` as an instructor runs it on Ubuntu 24.04: an unprivileged user, for whom
bubblewrap fails (`setting up uid map: Permission denied`). The default then picks the landlock
level by itself, grades soundly, and one hostile notebook changes no classmate's grade; with
landlock switched off as well, it refuses.

Run as root, the test grades as `nobody` (uid 65534), which must be able to start the
interpreter (.ci/run opens the folders above it for traversal).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from course_copy import copy_course
from engine_helpers import ASSIGNMENT, MAX_SCORE, failing_bwrap, read_results
from threat_notebooks import hostile_cell

pytestmark = pytest.mark.slow

NOBODY = 65534


def as_user() -> dict:
    """subprocess arguments that run a command as an unprivileged user (skip if none can)."""
    if os.geteuid() != 0:
        return {}
    who = {"user": NOBODY, "group": NOBODY, "extra_groups": []}
    try:
        started = subprocess.run([sys.executable, "-c", "import numpy"], cwd="/",
                                 capture_output=True, timeout=120, **who)
    except PermissionError:
        started = None
    if started is None or started.returncode != 0:
        pytest.skip("nobody cannot start this interpreter (see .ci/run)")
    return who


@pytest.fixture
def workspace():
    """A folder the unprivileged user owns, outside root's private temporary folders."""
    folder = Path(tempfile.mkdtemp(prefix="nnfs-unprivileged-", dir="/var/tmp"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_as(who: dict, folder: Path, *args: str, env: dict) -> subprocess.CompletedProcess:
    if who:
        for path in [folder, *folder.rglob("*")]:
            os.lchown(path, NOBODY, NOBODY)
    return subprocess.run([sys.executable, "-m", "autograder", *args], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=900, **who)


def test_an_unprivileged_grader_without_bubblewrap_gets_landlock(workspace, submit):
    who = as_user()
    course = copy_course(workspace / "course")
    bin_dir = workspace / "bin"
    bin_dir.mkdir()
    failing_bwrap(bin_dir)
    folder = workspace / "class"
    for student in ("bea", "dan", "eli"):
        submit(folder / f"{student}.ipynb")
    submit(folder / "cnn.ipynb", append=[hostile_cell(course, workspace)])
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(workspace), "LANG": "C.UTF-8"}
    out = workspace / "out"
    args = ("--root", str(course), "grade", ASSIGNMENT.id, str(folder), "--out", str(out),
            "--no-gradebook")
    graded = run_as(who, workspace, *args, env=env)
    output = graded.stdout + graded.stderr
    assert graded.returncode == 0, output
    assert "isolation: landlock" in output and "WARNING" not in output
    results = read_results(out)
    for student in ("bea", "dan", "eli"):
        assert results[student]["score"] == MAX_SCORE, (student, results[student]["output"])
        assert results[student]["extra_data"]["isolation"] == "landlock"
    if who:  # every sandbox's scratch folder, with the students' files, is gone
        left = [p for p in Path(tempfile.gettempdir()).glob("nnfs-sandbox-*")
                if p.stat().st_uid == NOBODY]
        assert not left, left
    refused = run_as(who, workspace, *args, env=dict(env, NNFS_LANDLOCK="off"))
    said = refused.stdout + refused.stderr
    assert refused.returncode == 1 and "no student code was run" in said, said
    assert "landlock:" in said and "bubblewrap: it failed to start Python" in said
