"""Try the autograder zip before uploading it: a throwaway Gradescope container on this machine.

`nnfs-course gradescope ID --try NOTEBOOK` (as root) builds the zip, then grades each NOTEBOOK
as Gradescope would, in a container made here: an overlay of / that vanishes afterwards.

Each `run` happens in its own mount namespace (`unshare -m`): an overlay with the host's / as its
read-only lower layer and a scratch upper layer, /proc, /dev and /sys bound in, a fresh tmpfs on
/tmp and /dev/shm, the scratch /autograder bound in, then chroot. Whatever setup.sh installs
(the virtual environment in /opt, the sandbox user in /etc/passwd) lands in the upper layer and
stays there for later runs, as in the image Gradescope builds; the host and the checkout are never
written. bubblewrap is removed from the overlay, so it is unavailable as in Gradescope's
containers. Nothing stays mounted: the mounts die with the namespace.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from autograder.config import ConfigError

PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

_SCRIPT = r"""
set -euo pipefail
mount -t overlay overlay -o "lowerdir=/,upperdir=$UPPER,workdir=$WORK" "$MERGED"
for fs in proc dev sys; do
  mount --rbind "/$fs" "$MERGED/$fs"
  mount --make-rslave "$MERGED/$fs"
done
mount -t tmpfs -o mode=1777 tmpfs "$MERGED/tmp"
mount -t tmpfs -o mode=1777 tmpfs "$MERGED/dev/shm"
mkdir -p "$MERGED/autograder"
mount --bind "$AUTOGRADER" "$MERGED/autograder"
rm -f "$MERGED/usr/bin/bwrap" "$MERGED/bin/bwrap"
exec chroot "$MERGED" /usr/bin/env -i PATH="$CPATH" HOME=/root LANG=C.UTF-8 /bin/bash -c "$COMMAND"
"""


class Container:
    """The scratch root, its /autograder, and how to run a command inside it."""

    def __init__(self, scratch: Path):
        self.scratch = scratch
        self.autograder = scratch / "autograder"
        for name in ("upper", "work", "merged"):
            (scratch / name).mkdir(parents=True)
        for name in ("source", "submission", "results"):
            (self.autograder / name).mkdir(parents=True)

    @staticmethod
    def possible() -> str:
        """Why this machine cannot run the container ("" if it can)."""
        if os.geteuid() != 0:
            return "needs root (overlay mounts and chroot)"
        for tool in ("unshare", "chroot", "mount"):
            if shutil.which(tool) is None:
                return f"needs {tool}"
        return ""

    def unpack(self, archive: Path) -> None:
        """What Gradescope does with the zip: unpack it into /autograder/source."""
        with zipfile.ZipFile(archive) as zipped:
            for info in zipped.infolist():
                target = self.autograder / "source" / info.filename
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(zipped.read(info))
                target.chmod((info.external_attr >> 16) & 0o777 or 0o644)

    def submit(self, files: dict[str, bytes]) -> None:
        """A fresh submission: empty /autograder/submission and results, then these files."""
        for name in ("submission", "results"):
            shutil.rmtree(self.autograder / name)
            (self.autograder / name).mkdir()
        for name, data in files.items():
            (self.autograder / "submission" / name).write_bytes(data)

    def run(self, command: str, timeout: float) -> subprocess.CompletedProcess:
        env = {"UPPER": str(self.scratch / "upper"), "WORK": str(self.scratch / "work"),
               "MERGED": str(self.scratch / "merged"), "AUTOGRADER": str(self.autograder),
               "CPATH": PATH, "COMMAND": command, "PATH": PATH}
        return subprocess.run(["unshare", "-m", "--propagation", "private", "bash", "-c",
                               _SCRIPT], env=env, capture_output=True, text=True,
                              timeout=timeout)

    def run_autograder(self, timeout: float, cwd: str = "/autograder", env: str = "",
                       ) -> subprocess.CompletedProcess:
        """What Gradescope does for each submission: copy run_autograder to
        /autograder/run_autograder and run that copy (from `cwd`, with `env` assignments)."""
        return self.run("cp /autograder/source/run_autograder /autograder/run_autograder && "
                        f"cd {cwd} && {env} /autograder/run_autograder", timeout=timeout)

    def uid_of(self, user: str) -> int | None:
        """The uid setup.sh gave `user`, from the container's /etc/passwd."""
        passwd = self.scratch / "upper" / "etc" / "passwd"
        if not passwd.exists():
            return None
        for line in passwd.read_text().splitlines():
            fields = line.split(":")
            if fields[0] == user:
                return int(fields[2])
        return None

    def results(self) -> Path:
        return self.autograder / "results" / "results.json"

    def remove(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)


@dataclass
class Tried:
    notebook: Path
    results: dict
    seconds: float  # run_autograder's start to its end, results.json written
    stdout: str


@contextmanager
def container(archive: Path, on_step: Callable[[str], None] = lambda text: None,
              setup_env: str = "", prepare: str = "") -> Iterator[Container]:
    """A container with `archive` unpacked and set up (the shell command `prepare`, then
    setup.sh with `setup_env` assignments); removed afterwards. ConfigError, with setup.sh's
    output, if setup.sh fails."""
    why = Container.possible()
    if why:
        raise ConfigError(f"trying the zip locally {why}")
    scratch = Path(tempfile.mkdtemp(prefix="nnfs-gradescope-", dir="/var/tmp"))
    box = Container(scratch / "root")
    try:
        box.unpack(archive)
        on_step("running setup.sh (installs the pinned packages; about a minute)")
        started = time.perf_counter()
        if prepare:
            box.run(prepare, timeout=600).check_returncode()
        setup = box.run(f"cd /autograder/source && {setup_env} bash setup.sh", timeout=1800)
        box.setup_seconds = time.perf_counter() - started
        box.setup_output = setup.stdout
        if setup.returncode != 0:
            raise ConfigError(f"setup.sh failed (exit {setup.returncode}):\n"
                              f"{setup.stdout[-3000:]}{setup.stderr[-3000:]}")
        yield box
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def try_notebook(box: Container, notebook: Path, timeout: float = 1800) -> Tried:
    """Submit `notebook` to `box` and run run_autograder, as Gradescope does for a student."""
    box.submit({notebook.name: notebook.read_bytes()})
    started = time.perf_counter()
    run = box.run_autograder(timeout=timeout)
    seconds = time.perf_counter() - started
    try:
        results = json.loads(box.results().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ConfigError(f"run_autograder wrote no results.json:\n{run.stdout[-3000:]}"
                          f"{run.stderr[-3000:]}") from None
    return Tried(notebook, results, seconds, run.stdout)
