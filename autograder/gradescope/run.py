"""What run_autograder runs, as root, once per submission in a fresh Gradescope container.

    python -m autograder.gradescope.run ASSIGNMENT [--autograder /autograder]

It finds the one notebook in <autograder>/submission (any file name), grades it with the engine,
graders and limits of `nnfs-course grade`, and writes <autograder>/results/results.json. Whatever
happens, a results.json is written: when the engine itself fails it holds a zero and a message
to contact the instructor, and the traceback goes to stdout (which only the instructor sees).
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
import tempfile
import time
import traceback
from pathlib import Path

from autograder.files import atomic_write, json_text
from autograder.sandbox import levels

# Folders every user may write to. In the "user" level they are closed to the student (the
# container is thrown away after this one submission); its scratch folder stays its own.
CONTACT = ("The autograder itself failed on this submission, so it got no score. This is not "
           "your fault: please contact the instructor.")
SHARED_FOLDERS = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock", "/var/lock")
# Gradescope's own minimum, whatever course_config.py or $NNFS_ISOLATION say for a laptop: what the
# dedicated user gives in its containers (bubblewrap rarely starts there), tried first.
POLICY = levels.Policy(minimum=levels.KEPT["user"], where="Gradescope",
                       order=("user", *(level for level in levels.LEVELS if level != "user")))


def notebooks_in(folder: Path) -> list[Path]:
    """The notebooks a student uploaded, wherever in the upload they are."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*.ipynb")
                  if p.is_file() and ".ipynb_checkpoints" not in p.parts)


def close_shared_folders(folders=SHARED_FOLDERS) -> list[str]:
    """Take away other users' write permission on the shared folders; return those changed."""
    changed = []
    for folder in folders:
        try:
            info = os.stat(folder)
            if stat.S_ISDIR(info.st_mode) and info.st_mode & stat.S_IWOTH:
                os.chmod(folder, stat.S_IMODE(info.st_mode) & ~stat.S_IWOTH)
                changed.append(folder)
        except OSError:
            continue
    return changed


def grade_submission(assignment_id: str, autograder: Path, log=print) -> dict:
    """Grade the one notebook of `autograder`/submission; the Gradescope results document."""
    from autograder.config import COURSE_ROOT, get_assignment
    from autograder.engine.grade import grade
    from autograder.gradescope import results
    from autograder.sandbox.levels import isolation_level, warning

    started = time.perf_counter()
    config = results.settings()
    assignment = get_assignment(assignment_id)
    found = notebooks_in(autograder / "submission")
    expected = f"{assignment.id}.ipynb"
    if not found:
        return results.failure(
            f"No notebook was found in your submission. Upload your {expected} (any file name "
            "ending in .ipynb will do).", seconds=time.perf_counter() - started)
    if len(found) > 1:
        names = ", ".join(str(p.relative_to(autograder / "submission")) for p in found)
        return results.failure(
            f"Your submission has {len(found)} notebooks ({names}). Upload only one: your "
            f"{expected}.", seconds=time.perf_counter() - started)
    isolation = isolation_level(POLICY)  # levels.Unavailable: no student code runs
    log(f"isolation: {isolation}")
    if warning(isolation):
        log(f"weaker than bubblewrap: {warning(isolation)}")
    if isolation == "user" and os.geteuid() == 0:
        closed = close_shared_folders()
        if closed:
            log(f"closed to other users: {', '.join(closed)}")
    with tempfile.TemporaryDirectory(prefix="nnfs-gradescope-") as out:
        os.chmod(out, 0o700)
        try:
            run = grade(assignment.id, [found[0]], Path(out), workers=1, root=COURSE_ROOT,
                        isolation=isolation, record_gradebook=False)
        finally:
            if isolation == "user":
                _sweep(log)
        documents = [json.loads(p.read_text(encoding="utf-8"))
                     for p in sorted(Path(out).glob("*/results.json"))]
    if run.errors or len(documents) != 1:
        problem = run.errors[0].problem if run.errors else "no results were written"
        raise RuntimeError(f"the engine could not grade the submission: {problem}")
    seconds = time.perf_counter() - started
    return results.shape(documents[0], seconds=seconds, isolation=isolation, config=config)


def _sweep(log) -> None:
    """No process of the sandbox user outlives the run, even one the sandbox lost track of
    (the grading worker exits without closing its sandbox; its template dies with it)."""
    from autograder.sandbox.launch import kill_user, processes_of, sandbox_user

    user = sandbox_user()
    if user is None:
        return
    left = processes_of(user[1])
    kill_user(user[1])
    if left:
        log(f"killed {len(left)} process(es) of {user[0]} left after grading")


def contact(started: float, status: str) -> dict:
    """A zero and the instructor message: the autograder, not the student, failed."""
    return {"score": 0.0, "execution_time": round(time.perf_counter() - started, 3),
            "output": CONTACT, "output_format": "text", "visibility": "visible",
            "stdout_visibility": "hidden", "extra_data": {"status": status}, "tests": []}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignment")
    parser.add_argument("--autograder", type=Path, default=Path("/autograder"))
    args = parser.parse_args(argv)
    started = time.perf_counter()
    out = args.autograder / "results" / "results.json"
    try:
        document = grade_submission(args.assignment, args.autograder)
    except levels.Unavailable as refused:  # fail closed: the reason is for the instructor
        print(f"No student code was run: {refused}")
        document = contact(started, "isolation-unavailable")
    except BaseException:  # the engine failed: the student still gets a results.json
        print("The autograder failed; the student was told to contact the instructor.")
        traceback.print_exc(file=sys.stdout)
        document = contact(started, "error")
    atomic_write(out, json_text(document, "tests"))  # as `nnfs-course grade` writes it
    print(f"score {document['score']:g}; wrote {out} in {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
