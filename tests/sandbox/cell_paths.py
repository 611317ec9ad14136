"""Notebooks run both ways, side by side: every cell through IPython's run_cell, or the plain
path wherever a cell allows it (autograder/sandbox/inside/cells.py).

Each run is a fork of one warm process set up as the sandbox's template sets itself up
(`python -S -I -B`, template.make_shell), and runs the notebook with the child's own
`Child.run_cells`, outside any sandbox. It reports what the child sends for each cell, which path
each cell took, the notebook's names and values afterwards, and the CPU time of `run_cells`.
The tests compare the two ways (test_cell_paths.py); benchmarks/cells_cpu.py times them.

    side_by_side([(cells, skip), ...], ways=("ipython", "plain"), seconds=1.0)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

WAYS = ("ipython", "plain")


def side_by_side(notebooks, ways=WAYS, seconds=1.0, rounds=1):
    """For each round, notebook and way (in that order, interleaved): a dict with "cells" (what
    the child sent for each), "paths", "names", "execution_count" and "cpu" (seconds)."""
    from autograder.sandbox import launch

    here = Path(launch.__file__).resolve().parent
    config = {"path": [str(here / "inside"), str(here), *launch.site_packages()],
              "notebooks": [[list(cells), sorted(skip)] for cells, skip in notebooks],
              "ways": list(ways), "seconds": seconds, "rounds": rounds}
    with tempfile.TemporaryDirectory(prefix="cell-paths-") as scratch:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": scratch,
               "MPLCONFIGDIR": f"{scratch}/mpl", "IPYTHONDIR": f"{scratch}/ipython",
               "TMPDIR": scratch}
        done = subprocess.run([launch.interpreter(), "-S", "-I", "-B", __file__],
                              input=json.dumps(config), env=env, cwd=scratch,
                              capture_output=True, text=True, timeout=1800, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the side-by-side run failed:\n{done.stdout}\n{done.stderr}")
    return [json.loads(line) for line in done.stdout.splitlines()]


# -- inside the side-by-side process ----------------------------------------------------------


def _main(config):
    sys.path[:0] = config["path"]
    import lazy_pyplot
    import template

    shell, baseline = template.make_shell()
    template.warm_shell(shell)
    lazy_pyplot.freeze_heap()
    for _ in range(config["rounds"]):
        for cells, skip in config["notebooks"]:
            message = {"nonce": "n" * 32, "cells": cells, "skip": skip}
            lazy_pyplot.prepare(message)
            for way in config["ways"]:
                print(json.dumps(_fork(shell, baseline, message, way, config["seconds"])),
                      flush=True)


def _fork(shell, baseline, message, way, seconds):
    read_end, write_end = os.pipe()
    workdir = tempfile.mkdtemp()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)
            _child(shell, baseline, message, way, seconds, write_end, workdir)
        finally:
            os._exit(70)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as stream:
        lines = [json.loads(line) for line in stream]
    os.waitpid(pid, 0)
    report = lines[-1]
    report["cells"] = [line for line in lines[:-1] if "cell" in line]
    report["way"] = way
    return report


def _child(shell, baseline, message, way, seconds, write_end, workdir):
    import signal
    import time

    from capture import Capture
    from cells import Cells
    from child import Child
    from guard import on_alarm

    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGALRM, on_alarm)
    signal.signal(signal.SIGPROF, on_alarm)
    os.chdir(workdir)
    child = Child(shell, baseline, None, write_end, message, workdir)
    child.output = Capture(1 << 20)
    runner = Cells(shell, plain=way == "plain")
    started = time.process_time()
    child.run_cells(message["cells"], set(message["skip"]), seconds, runner)
    cpu = time.process_time() - started
    names = {name: _summary(value) for name, value in list(shell.user_ns.items())
             if name not in baseline or name in ("In", "_ih", "_i", "_ii", "_iii")}
    child.send({"paths": runner.paths, "names": names, "cpu": cpu,
                "execution_count": shell.execution_count})
    os._exit(0)


def _summary(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return repr(value)
    return type(value).__name__


if __name__ == "__main__":
    _main(json.loads(sys.stdin.read()))
