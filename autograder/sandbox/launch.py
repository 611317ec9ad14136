"""How the sandbox template is started, at each isolation level.

"bubblewrap": `bwrap` with fresh user, PID, network, IPC, UTS and mount namespaces, a root made of
read-only binds of only what Python needs (the interpreter, its site-packages, /usr, a few /etc
files), a private /tmp, no capabilities, no nested user namespaces. When the grader runs as root,
the sandbox runs as the unprivileged host user 65534 (nobody), so that RLIMIT_NPROC applies (the
kernel never enforces it for root) and an escape would land in an account that owns nothing.
"user": for containers where bubblewrap cannot start (Docker's seccomp profile forbids user
namespaces) but the grader is root: the template runs as a dedicated unprivileged user (made by
Gradescope's setup.sh), from a copy of the sandbox's own files, writing only its scratch folder.
Files that user may not read stay unreadable, the grader (root) cannot be signalled, and the
template sweeps every process of that user away; the network stays reachable.
"unshare": util-linux `unshare` with new user, PID, network and mount namespaces. Inside, before
the template starts, every mount is made read-only but the scratch folder, and every capability
is dropped (so the namespace's root cannot remount anything): student code reads what the grader
reads, but writes nothing but its scratch folder. "none": a plain subprocess with resource limits
only. "landlock": a plain subprocess that confines itself with Landlock and seccomp
(landlock_level.py).
"""

from __future__ import annotations

import fcntl
import json
import os
import pwd
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SANDBOX_UID = 65534
SANDBOX_USER_ENV = "NNFS_SANDBOX_USER"  # the dedicated user of the "user" level (name or uid)
SANDBOX_USER = "nnfs-student"
HERE = Path(__file__).resolve().parent
INSIDE = "/nnfs/lib"  # where the files of inside/ and codec.py appear in the bubblewrap sandbox
TMP_BYTES = 128 * 1024 * 1024
SHM_BYTES = 16 * 1024 * 1024

ENV = {
    "MPLBACKEND": "Agg",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "HOME": "/tmp",
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
}

# What both small programs below begin with: their spec, libc, and a check of its results.
_PRELUDE = r"""
import ctypes, json, os, sys
spec = json.loads(sys.argv[1])
libc = ctypes.CDLL(None, use_errno=True)
def check(result, what):
    if result != 0:
        number = ctypes.get_errno()
        raise OSError(number, what + ": " + os.strerror(number))
"""

_LAUNCHER = _PRELUDE + r"""
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
    os.setgid(spec["gid"])
    os.setuid(spec["uid"])
if spec["pdeathsig"]:  # after setuid, which clears it; the check sees a parent gone before
    libc.prctl(1, 9)
    if os.getppid() != spec["parent"]:
        os._exit(1)
os.execv(spec["argv"][0], spec["argv"])
"""


# Inside unshare's namespaces: every mount read-only but the scratch folder, then no capability
# left, then the program. mount_setattr (Linux 5.12) is system call 442 on x86_64 and arm64.
_READ_ONLY = _PRELUDE + r"""
class MountAttr(ctypes.Structure):
    _fields_ = [(name, ctypes.c_uint64) for name in ("set", "clear", "propagation", "userns")]
def setattr_(path, flags, attr_set, attr_clear):
    attr = MountAttr(attr_set, attr_clear, 0, 0)
    check(libc.syscall(442, -100, path.encode(), flags, ctypes.byref(attr),
                       ctypes.sizeof(attr)), "mount_setattr " + path)
scratch = spec["scratch"]
check(libc.mount(scratch.encode(), scratch.encode(), None, 4096 | 16384, None), "bind scratch")
setattr_("/", 0x8000, 1, 0)  # AT_RECURSIVE, MOUNT_ATTR_RDONLY
setattr_(scratch, 0, 0, 1)
for cap in range(64):
    libc.prctl(24, cap, 0, 0, 0)  # PR_CAPBSET_DROP
class Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]
check(libc.capset(ctypes.byref(Header(0x20080522, 0)), (ctypes.c_uint32 * 6)()), "capset")
check(libc.prctl(38, 1, 0, 0, 0), "no_new_privs")
os.execv(spec["argv"][0], spec["argv"])
"""


@dataclass
class Launch:
    """A command ready for subprocess.Popen, and the fds it needs kept open."""

    argv: list[str]
    env: dict[str, str] | None
    pass_fds: list[int] = field(default_factory=list)
    private_dir: str | None = None  # a host folder to remove when the sandbox closes
    lock_fd: int | None = None  # held while the sandbox runs ("user": one sandbox per user)
    sweep_uid: int | None = None  # every process of this uid is the sandbox's, to kill at the end

    def close_fds(self) -> None:
        """Close the fds passed to the sandbox (once it has started)."""
        for fd in self.pass_fds:
            try:
                os.close(fd)
            except OSError:
                pass


def inside_files() -> list[tuple[str, Path]]:
    """The files the sandboxed program is made of: inside/*.py and the wire format, codec.py."""
    files = sorted((HERE / "inside").glob("*.py"))
    return [(path.name, path) for path in [*files, HERE / "codec.py"]]


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
    """template.py with its configuration, or (config None) a check that NumPy imports."""
    if config is None:
        return ["-c", f"import sys; sys.path[:0] = {path!r}; import numpy"]
    if level == "bubblewrap":
        worker = f"{INSIDE}/template.py"
    else:
        worker, path = str(HERE / "inside" / "template.py"), [str(HERE), *path]
    config = dict(config, path=path, pidns=level != "none", private_tmp=level == "bubblewrap",
                  pdeathsig=level == "none", parent=os.getpid())
    return [worker, json.dumps(config)]


def build(level: str, config: dict | None, pass_fds: tuple[int, ...] = ()) -> Launch:
    """The command that starts template.py with `config` at isolation `level`."""
    python = interpreter()
    if level == "bubblewrap":
        return _bubblewrap(python, config, list(pass_fds))
    if level == "user":
        return _dedicated_user(python, config, list(pass_fds))
    if level == "landlock":
        from autograder.sandbox import landlock_level

        return landlock_level.build(python, config, list(pass_fds))
    program = _program(level, config, site_packages())
    private = tempfile.mkdtemp(prefix="nnfs-sandbox-")
    env = dict(ENV, MPLCONFIGDIR=os.path.join(private, "mpl"),
               IPYTHONDIR=os.path.join(private, "ipython"), TMPDIR=private)
    argv = [python, "-S", "-I", "-B", *program]
    if level == "unshare":
        read_only = json.dumps({"scratch": private, "argv": argv})
        argv = ["unshare", "--user", "--map-root-user", "--mount", "--propagation", "private",
                "--pid", "--net", "--fork", "--mount-proc", "--kill-child",
                python, "-S", "-I", "-c", _READ_ONLY, read_only]
        argv = _launcher(argv, stage=[], uid=None, pdeathsig=True)
    return Launch(argv, env, list(pass_fds), private)


def _launcher(argv, stage, uid, pdeathsig, root="/tmp", gid=None):
    if not stage and uid is None and not pdeathsig:
        return argv
    spec = {"argv": [shutil.which(argv[0]) or argv[0], *argv[1:]], "stage": stage, "uid": uid,
            "gid": uid if gid is None else gid, "pdeathsig": pdeathsig, "parent": os.getpid(),
            "root": root}
    return [interpreter(), "-S", "-I", "-c", _LAUNCHER, json.dumps(spec)]


def sandbox_user() -> tuple[str, int, int] | None:
    """The dedicated user of the "user" level: (name, uid, gid), or None if there is none."""
    name = os.environ.get(SANDBOX_USER_ENV) or SANDBOX_USER
    try:
        entry = pwd.getpwnam(name)
        found = (name, entry.pw_uid, entry.pw_gid)
    except KeyError:
        if not name.isdigit():
            return None
        found = (name, int(name), int(name))
    return found if found[1] != 0 and found[2] != 0 else None


def _dedicated_user(python: str, config: dict | None, pass_fds: list[int]) -> Launch:
    """Run as the dedicated user, from a root-owned copy of inside/ that the user may read."""
    user = sandbox_user()
    if user is None or os.geteuid() != 0:
        raise OSError("the 'user' level needs root and a dedicated user "
                      f"(${SANDBOX_USER_ENV}, default {SANDBOX_USER})")
    name, uid, gid = user
    lock_fd = None
    if config is not None:
        lock_fd = _lock(uid, name)
    private = tempfile.mkdtemp(prefix="nnfs-sandbox-")
    os.chmod(private, 0o755)
    lib, work = os.path.join(private, "lib"), os.path.join(private, "work")
    os.mkdir(lib, 0o755)
    for file_name, source in inside_files():
        shutil.copyfile(source, os.path.join(lib, file_name))
        os.chmod(os.path.join(lib, file_name), 0o644)
    os.mkdir(work, 0o700)
    os.chown(work, uid, gid)
    env = dict(ENV, HOME=work, MPLCONFIGDIR=os.path.join(work, "mpl"),
               IPYTHONDIR=os.path.join(work, "ipython"), TMPDIR=work)
    path = site_packages()
    if config is None:
        program = ["-c", f"import sys; sys.path[:0] = {path!r}; import numpy"]
    else:
        config = dict(config, path=path, pidns=False, private_tmp=False, pdeathsig=True,
                      own_uid=True, parent=os.getpid())
        program = [os.path.join(lib, "template.py"), json.dumps(config)]
    argv = _launcher([python, "-S", "-I", "-B", *program], stage=[], uid=uid, gid=gid,
                     pdeathsig=True)
    return Launch(argv, env, pass_fds, private, lock_fd=lock_fd, sweep_uid=uid)


def _lock(uid: int, name: str) -> int:
    """One sandbox at a time per dedicated user: it kills every process of that user."""
    folder = "/run/lock" if os.path.isdir("/run/lock") else tempfile.gettempdir()
    fd = os.open(os.path.join(folder, f"nnfs-sandbox-{uid}.lock"), os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise OSError(f"another sandbox is running as {name}: the 'user' level runs one "
                      "sandbox at a time (grade with --workers 1)") from None
    return fd


def kill_user(uid: int, seconds: float = 10.0) -> None:
    """Kill every process of `uid` and wait until none is left."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = processes_of(uid)
        if not left:
            return
        for pid in left:
            try:
                os.kill(pid, 9)
            except OSError:
                pass
        time.sleep(0.01)


def processes_of(uid: int) -> list[int]:
    """The live (not zombie) processes whose real uid is `uid`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line)
            if (int(fields["Uid"].split()[0]) == uid
                    and not fields["State"].strip().startswith("Z")):
                found.append(int(entry))
        except (OSError, KeyError, ValueError):
            continue
    return found


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
    for name, source in inside_files():
        fd = os.open(source, os.O_RDONLY)
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
