"""The isolation levels, strongest first, and the one place where the sandbox chooses among them.

A Sandbox gets the level asked for (the `isolation` argument or $NNFS_ISOLATION), or else the
first of LEVELS that starts Python on this machine. Each level but the strongest carries a
warning that says what is weaker; the grader prints it and records the level in every result.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess

from autograder.sandbox import landlock_level, launch

LEVELS = ("bubblewrap", "landlock", "user", "unshare", "none")
ISOLATION_ENV = "NNFS_ISOLATION"

WARNINGS = {
    "bubblewrap": "",
    "user": (
        "bubblewrap (bwrap) cannot start here (a container that forbids user namespaces), so "
        "student code runs as the dedicated unprivileged user {user}: it cannot read what that "
        "user may not read (the graders, the reference, the course folder), write outside its "
        "scratch folder and the folders every user may write to, exceed its resource limits, or "
        "signal the grader, and no process of it outlives the run. Weaker than bubblewrap: it "
        "can use the network, see the machine's other processes, and read every world-readable "
        "file."
    ),
    "unshare": (
        "bubblewrap (bwrap) is not available, so student code runs with util-linux `unshare`: "
        "it cannot see the network or the grader's processes, but it can read every file the "
        "grader can read, including the hidden graders and other students' notebooks. Install "
        "bubblewrap (apt install bubblewrap) for full isolation."
    ),
    "none": (
        "Student code runs in a plain subprocess with only time, memory and output limits: it "
        "can read and write every file the grader can, use the network, and signal the grader's "
        "processes. Grade untrusted notebooks only with bubblewrap installed "
        "(apt install bubblewrap)."
    ),
}


def isolation_level(requested: str | None = None) -> str:
    """The isolation level a Sandbox gets: `requested`, $NNFS_ISOLATION, or the best available."""
    choice = _choice(requested)
    if choice != "auto":
        if not available(choice):
            raise RuntimeError(f"isolation level {choice!r} does not work on this machine")
        return choice
    return next(level for level in LEVELS if available(level))


def named(requested: str | None = None) -> str:
    """The level isolation_level() would most likely give, without starting anything: the one
    asked for, or the strongest whose program is here. Whether it works is seen when it starts."""
    choice = _choice(requested)
    if choice != "auto":
        return choice
    return next(level for level in LEVELS if level == "none" or _present(level))


def _choice(requested: str | None) -> str:
    choice = (requested or os.environ.get(ISOLATION_ENV) or "auto").strip().lower()
    choice = {"bwrap": "bubblewrap", "": "auto"}.get(choice, choice)
    if choice not in ("auto", *LEVELS):
        source = "" if requested else f"${ISOLATION_ENV}: "
        raise ValueError(f"{source}unknown isolation level {choice!r}; use one of "
                         f"{', '.join(LEVELS)}")
    return choice


def _present(level: str) -> bool:
    """Whether what `level` needs is here at all (its program; root and the dedicated user)."""
    if level == "user":
        return os.geteuid() == 0 and launch.sandbox_user() is not None
    if level == "landlock":
        return landlock_level.usable()
    return shutil.which({"bubblewrap": "bwrap", "unshare": "unshare"}[level]) is not None


def warning(level: str) -> str:
    """What is weaker at `level` than with bubblewrap ("" for bubblewrap itself)."""
    if level == "landlock":
        return landlock_level.landlock_note(landlock_level.abi())
    text = WARNINGS[level]
    if level == "user":
        user = launch.sandbox_user()
        text = text.format(user=user[0] if user else launch.SANDBOX_USER)
        graders = launch.HERE.parent / "graders"
        if readable_by_all(graders):
            text += (f" But here the hidden graders ({graders}) are readable by every user: "
                     f"make the course folder unreadable to others (chmod -R go-rwx).")
    if text and level in ("unshare", "none") and os.geteuid() == 0:
        text += (" As the grader runs as root, the limit on the number of processes is not "
                 "enforced either.")
    return text


def readable_by_all(path) -> bool:
    """Whether any user may list `path`: it and every folder above it are open to others."""
    path = os.path.realpath(path)
    try:
        if not os.stat(path).st_mode & 0o004:
            return False
        while path != os.path.dirname(path):
            path = os.path.dirname(path)
            if not os.stat(path).st_mode & 0o001:
                return False
    except OSError:
        return False
    return True


@functools.cache
def available(level: str) -> bool:
    """Whether `level` works here: start Python in it once."""
    if level == "none":
        return True
    if not _present(level):
        return False
    plan = launch.build(level, None)
    try:
        result = subprocess.run(plan.argv, env=plan.env, pass_fds=plan.pass_fds,
                                stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
        return result.returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        plan.close_fds()
        if plan.private_dir:
            shutil.rmtree(plan.private_dir, ignore_errors=True)
