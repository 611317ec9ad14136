"""How the sandbox template is started, at each isolation level.

"bubblewrap": `bwrap` with fresh user, PID, network, IPC, UTS and mount namespaces, a root made of
read-only binds of only what Python needs (the interpreter, its site-packages, /usr, a few /etc
files), a private /tmp, no capabilities, no nested user namespaces. When the grader runs as root,
the sandbox runs as the unprivileged host user 65534 (nobody), so that RLIMIT_NPROC applies (the
kernel never enforces it for root) and an escape would land in an account that owns nothing.
"unshare": util-linux `unshare` with new user, PID, network and mount namespaces: processes and
network are isolated, files are not. "none": a plain subprocess with resource limits only.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

LEVELS = ("bubblewrap", "unshare", "none")
ISOLATION_ENV = "NNFS_ISOLATION"
SANDBOX_UID = 65534
HERE = Path(__file__).resolve().parent
INSIDE = "/nnfs/lib"  # where worker.py and codec.py appear inside the bubblewrap sandbox
TMP_BYTES = 128 * 1024 * 1024
SHM_BYTES = 16 * 1024 * 1024

WARNINGS = {
    "bubblewrap": "",
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

ENV = {
    "MPLBACKEND": "Agg",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "HOME": "/tmp",
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
}

_LAUNCHER = r"""
import ctypes, json, os, sys
spec = json.loads(sys.argv[1])
libc = ctypes.CDLL(None, use_errno=True)
def check(result, what):
    if result != 0:
        number = ctypes.get_errno()
        raise OSError(number, what + ": " + os.strerror(number))
if spec["stage"]:
    check(libc.unshare(0x00020000), "unshare")
    check(libc.mount(b"none", b"/", None, (1 << 18) | 16384, None), "make / private")
    fds = [os.open(source, os.O_PATH | os.O_DIRECTORY) for source, _ in spec["stage"]]
    check(libc.mount(b"nnfs", spec["root"].encode(), b"tmpfs", 0, b"mode=755"), "tmpfs")
    for fd, (_, target) in zip(fds, spec["stage"]):
        os.makedirs(target, 0o755)
        check(libc.mount(("/proc/self/fd/%d" % fd).encode(), target.encode(), None,
                         4096, None), "bind")
        os.close(fd)
if spec["uid"] is not None:
    os.setgroups([])
    os.setgid(spec["uid"])
    os.setuid(spec["uid"])
if spec["pdeathsig"]:  # after setuid, which clears it; the check sees a parent gone before
    libc.prctl(1, 9)
    if os.getppid() != spec["parent"]:
        os._exit(1)
os.execv(spec["argv"][0], spec["argv"])
"""


@dataclass
class Launch:
    """A command ready for subprocess.Popen, and the fds it needs kept open."""

    argv: list[str]
    env: dict[str, str] | None
    pass_fds: list[int] = field(default_factory=list)
    private_dir: str | None = None  # a host folder to remove when the sandbox closes

    def close_fds(self) -> None:
        for fd in self.pass_fds:
            try:
                os.close(fd)
            except OSError:
                pass


def isolation_level(requested: str | None = None) -> str:
    """The isolation level a Sandbox gets: `requested`, $NNFS_ISOLATION, or the best available."""
    choice = (requested or os.environ.get(ISOLATION_ENV) or "auto").strip().lower()
    choice = {"bwrap": "bubblewrap", "": "auto"}.get(choice, choice)
    if choice not in ("auto", *LEVELS):
        raise ValueError(f"unknown isolation level {choice!r}; use one of {', '.join(LEVELS)}")
    if choice != "auto":
        if not available(choice):
            raise RuntimeError(f"isolation level {choice!r} does not work on this machine")
        return choice
    return next(level for level in LEVELS if available(level))


@functools.cache
def available(level: str) -> bool:
    """Whether `level` works here: start Python in it once."""
    if level == "none":
        return True
    if shutil.which({"bubblewrap": "bwrap", "unshare": "unshare"}[level]) is None:
        return False
    launch = build(level, None)
    try:
        result = subprocess.run(launch.argv, env=launch.env, pass_fds=launch.pass_fds,
                                stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
        return result.returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        launch.close_fds()
        if launch.private_dir:
            shutil.rmtree(launch.private_dir, ignore_errors=True)


def interpreter() -> str:
    return os.path.realpath(sys.executable)


def site_packages() -> list[str]:
    """The folders on sys.path that hold installed packages (numpy, IPython, ...)."""
    found = []
    for entry in sys.path:
        path = os.path.realpath(entry) if entry else ""
        if path.endswith(("site-packages", "dist-packages")) and os.path.isdir(path):
            if path not in found:
                found.append(path)
    return found


def _program(level: str, config: dict | None, path: list[str]) -> list[str]:
    """worker.py with its configuration, or (config None) a check that NumPy imports."""
    if config is None:
        return ["-c", f"import sys; sys.path[:0] = {path!r}; import numpy"]
    worker = f"{INSIDE}/worker.py" if level == "bubblewrap" else str(HERE / "worker.py")
    config = dict(config, path=path, pidns=level != "none", private_tmp=level == "bubblewrap",
                  pdeathsig=level == "none", parent=os.getpid())
    return [worker, json.dumps(config)]


def build(level: str, config: dict | None, pass_fds: tuple[int, ...] = ()) -> Launch:
    """The command that starts worker.py with `config` at isolation `level`."""
    python = interpreter()
    if level == "bubblewrap":
        return _bubblewrap(python, config, list(pass_fds))
    program = _program(level, config, site_packages())
    private = tempfile.mkdtemp(prefix="nnfs-sandbox-")
    env = dict(ENV, MPLCONFIGDIR=os.path.join(private, "mpl"),
               IPYTHONDIR=os.path.join(private, "ipython"), TMPDIR=private)
    argv = [python, "-S", "-I", "-B", *program]
    if level == "unshare":
        argv = ["unshare", "--user", "--map-root-user", "--pid", "--net", "--fork",
                "--mount-proc", "--kill-child", *argv]
        argv = _launcher(argv, stage=[], uid=None, pdeathsig=True)
    return Launch(argv, env, list(pass_fds), private)


def _launcher(argv, stage, uid, pdeathsig, root="/tmp"):
    if not stage and uid is None and not pdeathsig:
        return argv
    spec = {"argv": [shutil.which(argv[0]) or argv[0], *argv[1:]], "stage": stage, "uid": uid,
            "pdeathsig": pdeathsig, "parent": os.getpid(), "root": root}
    return [interpreter(), "-S", "-I", "-c", _LAUNCHER, json.dumps(spec)]


def _bubblewrap(python: str, config: dict | None, pass_fds: list[int]) -> Launch:
    as_root = os.geteuid() == 0
    prefix = os.path.realpath(sys.base_prefix)
    args = ["bwrap", "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent",
            "--new-session", "--as-pid-1", "--cap-drop", "ALL", "--clearenv"]
    if as_root:
        args += ["--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID)]
    for name, value in ENV.items():
        args += ["--setenv", name, value]
    args += ["--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for name in ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "fonts",
                 "nsswitch.conf", "mime.types"):
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    uid = SANDBOX_UID if as_root else os.getuid()
    for name, text in (("passwd", f"student:x:{uid}:{uid}:student:/tmp:/usr/sbin/nologin\n"),
                       ("group", f"student:x:{uid}:\n")):
        fd = _data(text.encode())
        pass_fds.append(fd)
        args += ["--ro-bind-data", str(fd), f"/etc/{name}"]
    # The interpreter and the site-packages, at neutral paths when they live elsewhere.
    stage, binds, path = [], [], []
    stage_root = "/tmp"
    sources = [(prefix, prefix)] + [
        (folder, folder if folder.startswith("/usr/") else f"/nnfs/site/{i}")
        for i, folder in enumerate(site_packages())
    ]
    for i, (source, target) in enumerate(sources):
        if target != prefix:
            path.append(target)
        if source.startswith("/usr/"):
            continue
        if as_root:  # bwrap will run as nobody, who may not be allowed to reach `source`
            staged = f"{stage_root}/nnfs-stage/{i}"
            stage.append((source, staged))
            source = staged
        binds += ["--ro-bind", source, target]
    args += binds
    for name in ("worker.py", "codec.py"):
        fd = os.open(HERE / name, os.O_RDONLY)
        pass_fds.append(fd)
        args += ["--ro-bind-data", str(fd), f"{INSIDE}/{name}"]
    args += ["--proc", "/proc", "--dev", "/dev",
             "--size", str(TMP_BYTES), "--tmpfs", "/tmp",
             "--size", str(SHM_BYTES), "--tmpfs", "/dev/shm",
             "--remount-ro", "/dev", "--remount-ro", "/", "--chdir", "/tmp"]
    argv = args + [python, "-S", "-I", "-B", *_program("bubblewrap", config, path)]
    # bwrap's --die-with-parent starts only once bwrap runs; the launcher (used as root) watches
    # the grading worker until then, so the sandbox cannot outlive a worker killed meanwhile.
    argv = _launcher(argv, stage=stage, uid=SANDBOX_UID if as_root else None, pdeathsig=as_root,
                     root=stage_root)
    return Launch(argv, None, pass_fds)


def _data(content: bytes) -> int:
    fd = os.memfd_create("nnfs-sandbox-data", 0)
    os.write(fd, content)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd
