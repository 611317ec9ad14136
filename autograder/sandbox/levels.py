"""The isolation levels, what each one promises, and the one place where the sandbox chooses.

A level is judged by its promises, not by its name: what student code running there can NOT do.
A `Policy` says which levels may run student code: the one named for this run (`--isolation`,
$NNFS_ISOLATION), or else the first level of its order that keeps every promise of its minimum
and starts on this machine. Where none does, the choice fails before any student code runs
(`Unavailable`, with what is missing and how to fix it): isolation fails closed.

No level that grades untrusted code may let one submission change another's grade, so every
policy but a trusted one (the instructor's own code: `validate`, the course's CI) needs the
"write" promise, whatever level is named.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass

from autograder.sandbox import landlock_level, launch

LEVELS = ("bubblewrap", "landlock", "user", "unshare", "none")
ISOLATION_ENV = "NNFS_ISOLATION"

# Each promise: what student code cannot do at a level that keeps it.
PROMISES = {
    "read": "read the hidden graders, the reference, the course folder or other students' work",
    "write": "write outside its own scratch folder: other students' results, grades.csv, the "
             "gradebook, autograded/, the graders, the reference",
    "signal": "signal a process outside its own sandbox: the grader, other students' sandboxes",
    "connect": "open a network connection, or connect to a local socket such as the desktop "
               "session's bus or docker.sock",
    "see": "see the machine's other processes, their command lines and environments",
    "outlive": "leave a process running after grading ends",
}
EVERY = frozenset(PROMISES)
KEPT = {
    "bubblewrap": EVERY,
    # Landlock for files, a seccomp filter for the rest (landlock_level.py); what it keeps
    # depends on the kernel's Landlock ABI: see promises().
    "landlock": landlock_level.landlock_promises(7),
    # The dedicated user's own permissions: "read" only while the course folder is closed to
    # other users (Gradescope's setup.sh closes it; see promises()).
    "user": frozenset({"read", "write", "signal", "outlive"}),
    # New user, PID, network and mount namespaces, with every mount read-only but the scratch
    # folder (launch.py): it reads what the grader reads, and local sockets stay reachable.
    "unshare": frozenset({"write", "signal", "see", "outlive"}),
    "none": frozenset(),
}
# Where a level breaks a promise only in part, what student code there can really do.
IN_PART = {
    ("unshare", "connect"): "connect to a local socket such as the desktop session's bus or "
                            "docker.sock (the network itself is out of reach)",
}
UNTRUSTED = frozenset({"write"})  # what any level that grades untrusted code must keep
HOW = {
    "bubblewrap": "bubblewrap (bwrap): new user, PID, network, IPC and mount namespaces over a "
                  "read-only root of only what Python needs",
    "landlock": "Landlock and a seccomp filter, without namespaces",
    "user": "the dedicated unprivileged user {user}, as root starts it",
    "unshare": "util-linux unshare: new user, PID, network and mount namespaces, every mount "
               "read-only but the scratch folder",
    "none": "a plain subprocess with time, memory and output limits only",
}


class Unavailable(RuntimeError):
    """No level the policy accepts starts here; the message says what is missing and the fix."""


class Refused(ValueError):
    """The policy does not accept the level named for this run."""


@dataclass(frozen=True)
class Policy:
    """Which levels may run student code.

    `level`: the one level named for this run (a knowing choice: exactly it, or nothing).
    Otherwise the first of `order` that keeps every promise of `minimum` and starts here.
    `trusted`: the notebooks are the instructor's own, so even a level without "write" will do.
    """

    level: str | None = None
    minimum: frozenset[str] = EVERY
    order: tuple[str, ...] = LEVELS
    trusted: bool = False
    where: str = "grade"  # who asks, for the messages: "grade", "Gradescope", "validate"

    def __post_init__(self):
        if self.minimum is None:
            object.__setattr__(self, "minimum", EVERY)
        unknown = sorted(set(self.minimum) - EVERY)
        if unknown:
            raise ValueError(f"unknown isolation promise(s) {', '.join(unknown)} in the minimum; "
                             f"the promises are {', '.join(PROMISES)}")
        object.__setattr__(self, "minimum", frozenset(self.minimum))

    def needs(self) -> frozenset[str]:
        return frozenset() if self.trusted else UNTRUSTED

    def candidates(self) -> list[str]:
        if self.level:
            return [self.level]
        return [level for level in self.order if self.minimum | self.needs() <= promises(level)]


def policy(requested: str | Policy | None = None, **settings) -> Policy:
    """A Policy: `requested` as it is, or one naming `requested` (or $NNFS_ISOLATION) if given.

    ValueError for a name that is no level, Refused for a level without "write" for untrusted
    code (`none`, unless trusted=True).
    """
    if isinstance(requested, Policy):
        return requested
    choice = _choice(requested)
    result = Policy(level=None if choice == "auto" else choice, **settings)
    if result.level and not result.needs() <= promises(result.level):
        raise Refused(
            f"isolation level {result.level!r} lets student code "
            f"{PROMISES['write'].split(':')[0]}, so one submission could change another's "
            "grade; use it only for notebooks you trust (grade --trusted)")
    return result


def course_policy(requested: str | Policy | None = None, trusted: bool = False) -> Policy:
    """The policy of `nnfs-course grade`: `requested` (or $NNFS_ISOLATION) if it names a level,
    else the course's minimum (course_config.ISOLATION_MINIMUM; every promise by default)."""
    from autograder.config import isolation_minimum

    return policy(requested, minimum=isolation_minimum(), trusted=trusted)


def _choice(requested: str | None) -> str:
    choice = (requested or os.environ.get(ISOLATION_ENV) or "auto").strip().lower()
    choice = {"bwrap": "bubblewrap", "": "auto"}.get(choice, choice)
    if choice not in ("auto", *LEVELS):
        source = "" if requested else f"${ISOLATION_ENV}: "
        raise ValueError(f"{source}unknown isolation level {choice!r}; use one of "
                         f"{', '.join(LEVELS)}")
    return choice


def promises(level: str) -> frozenset[str]:
    """The promises `level` keeps on this machine."""
    kept = KEPT[level]
    if level == "landlock":
        kept = landlock_level.landlock_promises(landlock_level.abi())
    if level == "user" and not _course_closed_to_others():
        kept = kept - {"read"}
    return kept


def _course_closed_to_others() -> bool:
    return not any(readable_by_all(launch.HERE.parents[1] / name)
                   for name in ("autograder/graders", "reference"))


def isolation_level(requested: str | Policy | None = None) -> str:
    """The level a Sandbox gets under `requested`'s policy: proven by starting Python in it."""
    chosen = policy(requested)
    tried = {}
    for level in chosen.candidates():
        why = probe(level)
        if not why:
            return level
        tried[level] = why
    raise Unavailable(refusal(chosen, tried))


def named(requested: str | Policy | None = None) -> str:
    """The level isolation_level() would most likely give, without starting anything: the one
    named, or the first candidate whose program is here (Unavailable if none is)."""
    chosen = policy(requested)
    for level in chosen.candidates():
        if _present(level):
            return level
    raise Unavailable(refusal(chosen, {level: _absent(level) for level in chosen.candidates()}))


def _present(level: str) -> bool:
    """Whether what `level` needs is here at all (its program; root and the dedicated user)."""
    return not _absent(level)


def _absent(level: str) -> str:
    """What `level` misses before it is even tried ("" when nothing)."""
    if level == "none":
        return ""
    if level == "landlock":
        return "" if landlock_level.usable() else landlock_level.why_not()
    if level == "user":
        if os.geteuid() != 0:
            return "it needs the grader to run as root"
        if launch.sandbox_user() is None:
            return (f"there is no dedicated user {launch.SANDBOX_USER} "
                    f"(${launch.SANDBOX_USER_ENV})")
        return ""
    program = {"bubblewrap": "bwrap", "unshare": "unshare"}[level]
    return "" if shutil.which(program) else f"`{program}` is not installed (not on PATH)"


def refusal(chosen: Policy, tried: dict[str, str]) -> str:
    """Why no level runs student code here, and how to fix it."""
    if chosen.level:
        return (f"isolation level {chosen.level!r} does not work on this machine: "
                f"{tried.get(chosen.level, '')}".rstrip(": "))
    lines = [f"{chosen.where}: no isolation level that keeps the promises required here can "
             "start, so no student code was run and nothing was written."]
    for level, why in tried.items():
        lines.append(f"  {level}: {why}")
    lines.append("To fix it:")
    bwrap = tried.get("bubblewrap", "")
    if "bubblewrap" in tried and "not installed" in bwrap:
        lines.append("  - install bubblewrap: sudo apt install bubblewrap (or bash .ci/setup)")
    elif "bubblewrap" in tried:
        lines.append("  - on Ubuntu 24.04 and later, AppArmor stops bubblewrap's user "
                     "namespaces for non-root users: allow them with "
                     "`sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` or an "
                     "AppArmor profile for /usr/bin/bwrap, or grade as root")
    if "user" in tried:
        lines.append(f"  - grade as root with the sandbox user {launch.SANDBOX_USER} "
                     "(Gradescope's setup.sh makes it)")
    weaker = [level for level in LEVELS
              if level not in tried and UNTRUSTED <= KEPT[level] and _present(level)]
    if weaker:
        lines.append(f"  - or choose a weaker level for this run, knowing what it allows: "
                     f"--isolation {weaker[0]} (see `nnfs-course grade --help`)")
    return "\n".join(lines)


def warning(level: str) -> str:
    """What student code can do at `level` that it cannot with bubblewrap ("" for none)."""
    kept = promises(level)
    lost = [IN_PART.get((level, name), PROMISES[name]) for name in PROMISES if name not in kept]
    if not lost:
        return ""
    user = launch.sandbox_user()
    how = HOW[level].format(user=user[0] if user else launch.SANDBOX_USER)
    text = (f"isolation {level!r} ({how}). Here student code CAN "
            + "; ".join(lost) + ".")
    cannot = [PROMISES[name].split(":")[0] for name in PROMISES if name in kept]
    if cannot:
        text += " It cannot " + "; nor ".join(cannot) + "."
    if level == "user" and "read" not in kept:
        text += (f" The hidden graders ({launch.HERE.parents[1] / 'autograder' / 'graders'}) "
                 "are readable by every user: make the course folder unreadable to others "
                 "(chmod -R go-rwx).")
    if level in ("unshare", "none") and os.geteuid() == 0:
        text += (" As the grader runs as root, the limit on the number of processes is not "
                 "enforced either.")
    return text


def table() -> str:
    """The promises of every level, as a Markdown table (README, `grade --help`)."""
    head = "| level | " + " | ".join(PROMISES) + " |"
    rows = [head, "|" + " --- |" * (len(PROMISES) + 1)]
    for level in LEVELS:
        rows.append(f"| {level} | " + " | ".join(
            "kept" if name in KEPT[level] else "no" for name in PROMISES) + " |")
    return "\n".join(rows)


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


def available(level: str) -> bool:
    """Whether `level` works here."""
    return not probe(level)


@functools.cache
def probe(level: str) -> str:
    """Start Python in `level` once: "" if it works, else why not (what the program said)."""
    if level == "none":
        return ""
    missing = _absent(level)
    if missing:
        return missing
    plan = launch.build(level, None)
    try:
        result = subprocess.run(plan.argv, env=plan.env, pass_fds=plan.pass_fds,
                                stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as error:
        return f"it did not start ({error})"
    finally:
        plan.close_fds()
        if plan.private_dir:
            shutil.rmtree(plan.private_dir, ignore_errors=True)
    if result.returncode == 0:
        return ""
    said = result.stderr.decode(errors="replace").strip().splitlines()
    return f"it failed to start Python: {said[-1] if said else f'exit {result.returncode}'}"


available.cache_clear = probe.cache_clear  # tests clear it after changing PATH or users
