"""setup.sh's last step: prove, as the sandbox user, that the image Gradescope saves can grade.

    python -m autograder.gradescope.image SOURCE_DIR

The sandbox user must start the environment's Python, import NumPy, and fail to read SOURCE_DIR
(the graders, the reference); and the "user" level must start as the grader starts it. The
first thing that goes wrong is printed as one line that names the cause and the fix, and the
exit status is 1, so that Gradescope shows it to the instructor as the failed build's reason.
"""

from __future__ import annotations

import os
import subprocess
import sys

from autograder.sandbox import launch, levels


def _as_user(user: tuple[str, int, int], *code: str) -> subprocess.CompletedProcess:
    """Run the environment's Python as the sandbox user, as the sandbox's launcher does."""
    _, uid, gid = user
    try:
        return subprocess.run([sys.executable, *code], user=uid, group=gid, extra_groups=[],
                              cwd="/", env={"PATH": "/usr/bin:/bin"}, capture_output=True,
                              text=True, timeout=120)
    except PermissionError as error:
        return subprocess.CompletedProcess([sys.executable], 126, "", str(error))


def problem(source: str) -> str:
    """"" if the image can grade, else the one line that says why not."""
    user = launch.sandbox_user()
    if user is None:
        return (f"setup.sh failed: there is no sandbox user {launch.SANDBOX_USER}; "
                "run setup.sh as root")
    name = user[0]
    if _as_user(user, "-S", "-I", "-c", "pass").returncode != 0:
        return (f"setup.sh failed: the sandbox user {name} cannot start {sys.executable} (it is "
                f"{os.path.realpath(sys.executable)}): every folder above the interpreter must "
                "be readable by every user (chmod o+rX), or build with a Python under /usr "
                "(NNFS_PYTHON=/usr/bin/python3.11)")
    imported = _as_user(user, "-I", "-c", "import numpy")
    if imported.returncode != 0:
        said = (imported.stderr.strip().splitlines() or ["no message"])[-1]
        return (f"setup.sh failed: the sandbox user {name} cannot import numpy from "
                f"{sys.prefix}: {said} (the environment must be readable by every user: "
                f"chmod -R a+rX {sys.prefix})")
    if _as_user(user, "-S", "-I", "-c", f"import os; os.listdir({source!r})").returncode == 0:
        return (f"setup.sh failed: the sandbox user {name} can read {source}, where the hidden "
                f"graders are: it must belong to root with no access for others "
                f"(chmod -R go-rwx {source})")
    why = levels.probe("user")
    if why:
        return f"setup.sh failed: the sandbox's 'user' level does not start: {why}"
    return ""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    source = os.path.realpath(argv[0] if argv else ".")
    found = problem(source)
    if found:
        print(found)
        return 1
    print(f"checked: {launch.sandbox_user()[0]} starts Python, imports numpy and cannot read "
          f"{source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
