"""The "landlock" isolation level: Landlock for files, seccomp for the rest, no namespaces.

For machines where bubblewrap cannot start (Ubuntu 24.04's AppArmor rule on user namespaces,
Docker's seccomp profile) and the grader is not root. The template is a plain subprocess that
confines itself first thing (inside/confine.py): it reads only the interpreter, its
site-packages, the system folders and a copy of inside/, and writes only its scratch folder.
Each submission's process then confines itself further before any student code runs: it writes
only its own work folder, sees only its own /proc entry, holds no capabilities, and a seccomp
filter refuses sockets, new processes, exec, ptrace, leaving its process group and signals to
any other process.

$NNFS_LANDLOCK=off makes the level unavailable; $NNFS_LANDLOCK_ABI=N makes it behave as on a
kernel whose Landlock ABI is N (at most the kernel's own).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import platform
import shutil
import sys
import tempfile

from autograder.sandbox import launch

SWITCH_ENV = "NNFS_LANDLOCK"
ABI_ENV = "NNFS_LANDLOCK_ABI"
PROMISES = frozenset({"read", "write", "signal", "connect", "see", "outlive"})
SYSTEM = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32",
          "/sys/devices/system/cpu", "/dev/urandom"]
ETC = ["ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "fonts", "nsswitch.conf",
       "mime.types"]


@functools.cache
def confine():
    """inside/confine.py, which the grader also uses to ask the kernel what it offers."""
    path = launch.HERE / "inside" / "confine.py"
    spec = importlib.util.spec_from_file_location("nnfs_sandbox_confine", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def abi() -> int:
    """The Landlock ABI the level uses: the kernel's, or less if $NNFS_LANDLOCK_ABI says so."""
    found = confine().kernel_abi()
    cap = os.environ.get(ABI_ENV, "").strip()
    return min(found, int(cap)) if cap.isdigit() else found


def usable() -> bool:
    """Whether the level can work here: not switched off, Landlock and seccomp in the kernel."""
    return not why_not()


def why_not() -> str:
    """Why the level cannot start here ("" if it can)."""
    if os.environ.get(SWITCH_ENV, "").strip().lower() in ("off", "0", "no", "false"):
        return f"switched off (${SWITCH_ENV}={os.environ[SWITCH_ENV]})"
    module = confine()
    if platform.machine() not in module.AUDIT_ARCH:
        return f"no seccomp filter is written for this machine ({platform.machine()})"
    if abi() < 1:
        return "this kernel has no Landlock (Linux 5.13 or later, with Landlock enabled)"
    if not module.seccomp_works():
        return "this kernel refuses seccomp filters"
    return ""


def landlock_promises(level_abi: int) -> frozenset[str]:
    """What student code cannot do at this level on a kernel of Landlock ABI `level_abi`.

    read and see rest on Landlock (ABI 1 and up: its file rules, and its limit on inspecting
    processes outside the domain); write on Landlock for contents and names, and on the seccomp
    filter for metadata, truncation through a read-only open, and System V and POSIX IPC;
    connect, outlive and signal on the filter, which needs no Landlock ABI. Where Landlock can
    too (scoping, ABI 6), it is a second layer, not the only one. Below ABI 1 there is no level.
    """
    return PROMISES if level_abi >= 1 else frozenset()


def landlock_note(level_abi: int) -> str:
    """What the level rests on at Landlock ABI `level_abi`, in one paragraph."""
    if level_abi < 1:
        return "This kernel has no Landlock: the landlock level cannot start."
    layers = [f"Landlock ABI {level_abi} governs files"]
    if level_abi < 3:
        layers.append("truncation is refused by seccomp alone (Landlock knows it from ABI 3)")
    if level_abi < 6:
        layers.append("signals and abstract UNIX sockets are refused by seccomp alone "
                      "(Landlock scopes them from ABI 6)")
    else:
        layers.append("signals and abstract UNIX sockets are refused by both Landlock and "
                      "seccomp")
    return ("Student code runs under Landlock and a seccomp filter, without namespaces: "
            + "; ".join(layers) + ". It can still learn which process IDs exist, and whether "
            "a file it names exists (its size and times, not its content), and runs under the "
            "grader's own user ID, without capabilities.")


def build(python: str, config: dict | None, pass_fds: list[int]) -> launch.Launch:
    """The template (or, `config` None, a probe that confines itself and imports NumPy)."""
    level_abi = abi()
    private = tempfile.mkdtemp(prefix="nnfs-sandbox-")
    lib = os.path.join(private, "lib")
    os.mkdir(lib, 0o700)
    for file_name, source in launch.inside_files():
        shutil.copyfile(source, os.path.join(lib, file_name))
    path = launch.site_packages()
    spec = {"abi": level_abi, "read": [*read_only(), lib, *path], "write": [private],
            "devices": ["/dev/null"]}
    env = dict(launch.ENV, HOME=private, MPLCONFIGDIR=os.path.join(private, "mpl"),
               IPYTHONDIR=os.path.join(private, "ipython"), TMPDIR=private)
    if config is None:
        program = ["-c", _PROBE, repr({"spec": spec, "path": [lib, *path]})]
    else:
        config = dict(config, path=path, pidns=False, private_tmp=False, pdeathsig=True,
                      parent=os.getpid(), landlock=spec)
        program = [os.path.join(lib, "template.py"), json.dumps(config)]
    return launch.Launch([python, "-S", "-I", "-B", *program], env, pass_fds, private)


def read_only() -> list[str]:
    """What every process of the level may read: the interpreter and the system's folders."""
    prefixes = {os.path.realpath(sys.base_prefix), os.path.dirname(launch.interpreter())}
    return [*sorted(prefixes), *SYSTEM, *(f"/etc/{name}" for name in ETC)]


# Confine as the template and as a child would, then prove NumPy imports and a socket does not.
_PROBE = """
import ast, sys
given = ast.literal_eval(sys.argv[1])
sys.path[:0] = given["path"]
import confine
kept = []
confine.confine_template(given["spec"], kept)
confine.confine_child(given["spec"], given["spec"]["write"][0], kept)
import numpy, socket
try:
    socket.socket()
except PermissionError:
    sys.exit(0)
sys.exit(3)
"""
