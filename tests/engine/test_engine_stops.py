"""However `nnfs-course grade` ends, nothing of it keeps running, and nothing finished is lost.

A real `grade` subprocess grades a class of a course copy; each student's notebook starts a
sleeper process carrying a token and then sleeps, so the run is slow enough to be stopped in the
middle. The tests wait until some results exist and a student is being graded, send a signal,
and then look for every process of the run in the host's process table: the grading workers
(they carry the command line), the sandboxes (descendants of the command seen during the run)
and the students' own processes (they carry the token).

A full or read-only output folder is a tmpfs mounted in a private mount namespace (`unshare -m`),
so the mount can never outlive the test or be seen by anything else.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from engine_helpers import ASSIGNMENT, MAX_SCORE, processes_with, read_results, without_times

NNFS_COURSE = str(Path(sys.executable).parent / "nnfs-course")
STUDENTS = 16
WORKERS = 2
GONE_SECONDS = 5.0  # the run's processes end within milliseconds; the margin is for a busy machine

SLEEP_AND_SPAWN = """
import subprocess, sys, time

pytestmark = pytest.mark.slow
subprocess.Popen([sys.executable, "-S", "-c", "import time; time.sleep(600)  # {token}"])
time.sleep(0.3)
"""


def _stat(pid: int) -> tuple[int, str, int] | None:
    """(parent pid, state, start time) of `pid`, or None when it no longer exists."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), fields[0].decode(), int(fields[19])


def descendants(root: int) -> set[tuple[int, int]]:
    """(pid, start time) of every live process under `root`."""
    children: dict[int, list[tuple[int, int]]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit() and (stat := _stat(int(name))) is not None:
            children.setdefault(stat[0], []).append((int(name), stat[2]))
    found, todo = set(), [root]
    while todo:
        for pid, start in children.get(todo.pop(), []):
            if (pid, start) not in found:
                found.add((pid, start))
                todo.append(pid)
    return found


def still_running(seen: set[tuple[int, int]], texts: list[str]) -> list[int]:
    """The processes of `seen` that still run (not zombies, not a reused pid), and every process
    whose command line carries one of `texts`."""
    left = []
    for pid, start in seen:
        stat = _stat(pid)
        if stat is not None and stat[2] == start and stat[1] != "Z":
            left.append(pid)
    return sorted(set(left) | {pid for text in texts for pid in processes_with(text)})


def wait_until_none_left(seen, texts) -> list[int]:
    deadline = time.monotonic() + GONE_SECONDS
    while (left := still_running(seen, texts)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


class Stop:
    process: subprocess.Popen
    seen: set[tuple[int, int]]
    stdout: str
    stderr: str
    left: list[int]  # the processes of the run still there a moment after it ended


@contextlib.contextmanager
def stopped_mid_way(command: list[str], signo: int, target: str, texts: list[str], ready,
                    env: dict | None = None):
    """Start `command`, wait until `ready()`, send `signo` to the command (or its process
    group), wait for its end, and note what of the run is still running: the processes seen
    under it, and those carrying any of `texts`. Nothing is left behind for the next test.
    """
    stop = Stop()
    stop.seen = set()
    stop.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True, start_new_session=True, env=env)
    try:
        deadline = time.monotonic() + 300
        while not ready():
            assert stop.process.poll() is None, stop.process.communicate()
            assert time.monotonic() < deadline, "the run never got going"
            stop.seen |= descendants(stop.process.pid)
            time.sleep(0.02)
        stop.seen |= descendants(stop.process.pid)
        if target == "group":
            os.killpg(stop.process.pid, signo)
        else:
            stop.process.send_signal(signo)
        stop.stdout, stop.stderr = stop.process.communicate(timeout=120)
        stop.left = wait_until_none_left(stop.seen, texts)
        yield stop
    finally:
        if stop.process.poll() is None:
            stop.process.kill()
            stop.process.wait()
        for pid in still_running(stop.seen, texts):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def write_class(submit, folder: Path, token: str) -> None:
    for i in range(STUDENTS):
        submit(folder / f"s{i:02d}.ipynb", append=[SLEEP_AND_SPAWN.format(token=token)])


def grade_command(root: Path, folder: Path, out: Path) -> list[str]:
    return [NNFS_COURSE, "--root", str(root), "grade", ASSIGNMENT.id, str(folder),
            "--out", str(out), "--workers", str(WORKERS)]


@pytest.mark.parametrize("signo, target", [
    (signal.SIGINT, "process"),
    (signal.SIGINT, "group"),  # Ctrl-C in a terminal
    (signal.SIGTERM, "process"),  # timeout, systemd, a CI runner, a container stop
    (signal.SIGTERM, "group"),
    (signal.SIGHUP, "group"),  # the terminal or the SSH session closes
    (signal.SIGKILL, "process"),  # the OOM killer, kill -9
], ids=lambda value: value.name if isinstance(value, signal.Signals) else value)
def test_a_stopped_run_leaves_nothing_running_keeps_whole_results_and_a_rerun_completes_it(
        course_copy, submit, tmp_path, signo, target):
    token = f"nnfs-e2e-stopped-{signo.name}-{target}-{os.getpid()}"
    folder, out = tmp_path / "class", tmp_path / "out"
    write_class(submit, folder, token)
    command = grade_command(course_copy, folder, out)
    texts = [token, str(out)]  # the students' processes; the workers share the command line
    finished_when_ready = []

    def mid_way() -> bool:  # some students are finished, and more than the workers hold are not
        finished_when_ready.append(len(list(out.glob("*/results.json"))))
        return 1 <= finished_when_ready[-1] < STUDENTS - WORKERS

    with stopped_mid_way(command, signo, target, texts, ready=mid_way) as stop:
        assert stop.left == [], [Path(f"/proc/{pid}/cmdline").read_bytes()[:300]
                                 for pid in stop.left]
        # It stops; it does not grade the rest of the class first: at most the students
        # being graded as the signal came are finished after it.
        kept = read_results(out)  # every file is whole JSON, or this raises
        assert 1 <= len(kept) <= finished_when_ready[-1] + WORKERS, sorted(kept)
        assert len(kept) < STUDENTS, sorted(kept)
        if signo == signal.SIGKILL:
            assert stop.process.returncode == -signal.SIGKILL
        else:
            assert stop.process.returncode == 128 + signo, stop.stderr
            assert "Traceback" not in stop.stderr, stop.stderr
            assert f"interrupted by {signo.name}: the " in stop.stderr, stop.stderr
            assert "finished result(s) are kept; run again to finish" in stop.stderr
            assert not [p for p in out.rglob("*") if ".tmp-" in p.name]
        for student, doc in kept.items():
            assert doc["score"] == doc["max_score"] == MAX_SCORE, student
            assert len(doc["tests"]) == len(next(iter(kept.values()))["tests"]), student
        if signo != signal.SIGKILL:
            assert f"Graded {len(kept)} submission(s) in " in stop.stdout, stop.stdout

        rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr
        assert f"Graded {STUDENTS} submission(s) in " in rerun.stdout
        assert f"Gradebook: {STUDENTS} submission(s) recorded" in rerun.stdout
        done = read_results(out)
        assert sorted(done) == [f"s{i:02d}" for i in range(STUDENTS)]
        assert all(doc["score"] == MAX_SCORE for doc in done.values())
        for student, doc in kept.items():
            assert without_times(done[student]) == without_times(doc), student
        assert not [p for p in out.rglob("*") if ".tmp-" in p.name]
        assert wait_until_none_left(set(), texts) == []


def test_a_stopped_validate_leaves_nothing_running(course_copy, tmp_path):
    """validate grades too: SIGTERM while it grades the mutants ends it and its workers."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    env = dict(os.environ, TMPDIR=str(scratch))  # where validate grades its mutants
    command = [NNFS_COURSE, "--root", str(course_copy), "validate", ASSIGNMENT.id,
               "--no-oracle", "--workers", "2"]
    texts = [str(course_copy)]  # the command line of validate and of its grading workers

    def grading() -> bool:
        return bool(list(scratch.glob("*/results/*/results.json")))

    with stopped_mid_way(command, signal.SIGTERM, "process", texts, ready=grading,
                         env=env) as stop:
        assert stop.left == [], stop.left
        assert stop.process.returncode == 128 + signal.SIGTERM, stop.stderr
        assert "Traceback" not in stop.stderr
        assert stop.stderr.rstrip().endswith("interrupted by SIGTERM"), stop.stderr
        assert "validation passed" not in stop.stdout
        assert list(scratch.iterdir()) == []  # validate's scratch folder went too


def _in_private_mount(out: Path, size: str, script: str, read_only: bool = False) -> str:
    """A shell script that mounts a small tmpfs at `out` (seen only by this namespace), runs
    `script`, then copies what was written to `out`-copy for the test to read."""
    options = f"size={size}" + (",ro" if read_only else "")
    copy = out.with_name(out.name + "-copy")
    return (f"set -u; mount -t tmpfs -o {options} nnfs-test-out '{out}' || exit 99; "
            f"{script}; code=$?; cp -a '{out}/.' '{copy}/'; exit $code")


@pytest.fixture
def unshare_mount():
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and util-linux unshare to mount a private tmpfs")
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "true"],
                           capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"unshare -m does not work here: {probe.stderr.decode().strip()}")

    def run(out: Path, size: str, command: list[str], read_only: bool = False):
        out.mkdir()
        out.with_name(out.name + "-copy").mkdir()
        quoted = " ".join(f"'{part}'" for part in command)
        script = _in_private_mount(out, size, quoted, read_only)
        return subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script],
                              capture_output=True, text=True, timeout=600)

    return run


def one_error_line(output: str) -> str:
    errors = [line for line in output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, output
    return errors[0]


@pytest.mark.parametrize("case", ["full", "read-only"])
def test_an_output_folder_that_cannot_be_written_stops_the_run_with_one_line(
        course_copy, submit, tmp_path, unshare_mount, case):
    folder, out = tmp_path / "class", tmp_path / "out"
    for i in range(STUDENTS):
        submit(folder / f"s{i:02d}.ipynb")
    # A results.json of 01_forward_pass takes a few pages: 128 KiB holds a few, never all 16.
    result = unshare_mount(out, "128k" if case == "full" else "1m",
                           grade_command(course_copy, folder, out), read_only=case == "read-only")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and "grader fault" not in output
    line = one_error_line(output)
    cause = ("no space left on the disk" if case == "full"
             else "the folder is on a read-only file system")
    assert line.startswith(f"Error: {out}: cannot write results there: {cause}; "), line
    assert output.count(cause) == 1, output
    assert "run again once that is fixed" in line
    kept = read_results(out.with_name(out.name + "-copy"))  # whole JSON, or this raises
    assert f"the {len(kept)} finished result(s) are kept" in line
    assert all(doc["score"] == MAX_SCORE for doc in kept.values())
    if case == "full":
        assert 1 <= len(kept) < STUDENTS
        assert f"Graded {len(kept)} submission(s) in " in result.stdout, output
    else:
        assert kept == {} and "Graded " not in result.stdout
    assert not (course_copy / "gradebook.db").exists()  # a stopped run records nothing


@pytest.mark.parametrize("signo", [signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
def test_a_run_stopped_while_recording_the_gradebook_leaves_only_whole_students(
        course_copy, submit, tmp_path, run_cli, signo):
    """With a released gradebook, students are recorded while the class is graded
    (nbgrader/recorder.py): a stop leaves each student recorded whole or not at all, and the
    next run records the class."""
    assert run_cli("--root", course_copy, "release", ASSIGNMENT.id).exit_code == 0
    token = f"nnfs-e2e-recording-{signo.name}-{os.getpid()}"
    folder, out = tmp_path / "class", tmp_path / "out"
    write_class(submit, folder, token)
    command = grade_command(course_copy, folder, out)

    def recording() -> bool:  # a student is recorded, and more than the workers hold are not
        return (any((course_copy / "autograded").glob("*/*/timestamp.txt"))
                and len(list(out.glob("*/results.json"))) < STUDENTS - WORKERS)

    with stopped_mid_way(command, signo, "process", [token, str(out)], ready=recording) as stop:
        assert stop.left == []
    db = sqlite3.connect(course_copy / "gradebook.db")  # rolls back a transaction cut short
    try:
        grades = db.execute("SELECT COUNT(*) FROM grade_cells").fetchone()[0]
        per_student = dict(db.execute(
            "SELECT s.student_id, COUNT(g.id) FROM submitted_assignment s JOIN "
            "submitted_notebook n ON n.assignment_id = s.id LEFT JOIN grade g ON "
            "g.notebook_id = n.id GROUP BY s.student_id"))
    finally:
        db.close()
    assert per_student and set(per_student.values()) == {grades}, per_student
    assert set(per_student) <= set(read_results(out))

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert f"Gradebook: {STUDENTS} submission(s) recorded" in rerun.stdout
    assert len(list((course_copy / "autograded").glob("*/*/*.ipynb"))) == STUDENTS
