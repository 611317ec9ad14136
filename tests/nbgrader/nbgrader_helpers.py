"""Running nbgrader's own commands, and jupyter's server, against a scratch course."""

from __future__ import annotations

import contextlib
import csv
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import warnings
from pathlib import Path

from course_copy import EXAMPLE_CLASS, copy_course

from autograder.config import COURSE_ID
from autograder.nbgrader import gradebook, gradebook_sql

BIN = Path(sys.executable).parent
ASSIGNMENT = "01_forward_pass"
# Generous: nbgrader's commands start in about 3 s on an idle machine, far slower when busy.
COMMAND_TIMEOUT = 600


def tool_env(exchange: Path | None = None, **extra: str) -> dict[str, str]:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", **extra)
    if exchange is not None:
        env["NNFS_EXCHANGE"] = str(exchange)
    return env


def nbgrader(cwd: Path, *args: str, env: dict[str, str] | None = None,
             check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([str(BIN / "nbgrader"), *args], cwd=cwd, env=env or tool_env(),
                          capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
    if check:
        assert done.returncode == 0, f"nbgrader {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done


def read_csv(path: Path, key: str) -> dict[str, dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return {row[key]: row for row in csv.DictReader(handle)}


def example_course(root: Path) -> Path:
    """A scratch course whose submitted/ holds the example class of six students."""
    copy_course(root)
    shutil.copytree(EXAMPLE_CLASS, root / "submitted")
    return root


def nbgrader_gradebook(root):
    from nbgrader.api import Gradebook

    warnings.simplefilter("ignore")
    return Gradebook(gradebook.gradebook_url(root), course_id=COURSE_ID)


def dump(path):
    """Every table, rows in rowid order, each uuid replaced by the natural key it stands for."""
    db = sqlite3.connect(path)
    try:
        rows = {t: db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()
                for t in gradebook_sql.TABLES}
        key = {}
        for id_, name, *_ in rows["assignment"]:
            key[id_] = ("assignment", name)
        for id_, name, assignment, _ in rows["notebook"]:
            key[id_] = ("notebook", key[assignment], name)
        for id_, name, notebook, kind in rows["base_cell"]:
            key[id_] = ("cell", key[notebook], name, kind)
        for id_, name, *_, notebook in rows["source_cell"]:
            key[id_] = ("source", key[notebook], name)
        for id_, assignment, student, *_ in rows["submitted_assignment"]:
            key[id_] = ("submission", key[assignment], student)
        for id_, submission, notebook, *_ in rows["submitted_notebook"]:
            key[id_] = ("submitted", key[submission], key[notebook])
        for table in ("grade", "comment"):
            for id_, notebook, cell, *_ in rows[table]:
                key[id_] = (table, key[notebook], key[cell])
        return {t: [tuple(key.get(v, v) if isinstance(v, str) else v for v in row)
                    for row in table_rows] for t, table_rows in rows.items()}
    finally:
        db.close()


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyter_server(course: Path, exchange: Path, timeout: float = 240):
    """A jupyter server with nbgrader's formgrader, in `course`; yields (base_url, token).

    It runs in its own process group, which is killed on the way out whatever happened.
    """
    port, token = _free_port(), secrets.token_hex(16)
    runtime = course.parent / "jupyter-runtime"
    runtime.mkdir(exist_ok=True)
    exchange.mkdir(parents=True, exist_ok=True)
    log = open(course.parent / "jupyter-server.log", "w")  # noqa: SIM115 (closed below)
    env = tool_env(exchange, JUPYTER_RUNTIME_DIR=str(runtime))
    process = subprocess.Popen(
        [str(BIN / "jupyter-server"), "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         "--ServerApp.port_retries=0", "--allow-root", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={course}"],
        cwd=course, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            assert process.poll() is None, (course.parent / "jupyter-server.log").read_text()
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=10):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("jupyter server did not start in time") from None
                time.sleep(0.5)  # polling for readiness, not synchronising on a guess
        yield base, token
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        log.close()
