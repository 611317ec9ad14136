"""The student's side in a real browser: headless Debian Chromium (through Playwright) and a
real JupyterLab server, set up the way the README tells a student to set theirs up.

Everything runs under tmp_path: the notebook, Jupyter's config, runtime and settings folders.
The server gets a free port and a token, and is stopped at the end whatever happens, with every
kernel it started. Waits are on conditions with generous limits, never on the machine's speed.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from process_table import processes_with, wait_until_gone

from autograder.config import COURSE_ROOT

sys.path.insert(0, str(COURSE_ROOT / "docs"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "feedback"))  # feedback_class
import screenshots  # noqa: E402  (docs/screenshots.py: the README's screenshots use it too)

BIN = Path(sys.executable).parent
START_SECONDS = 300  # a JupyterLab server starting on a machine with both cores busy
UI_MS = 300_000  # the longest any single browser wait may take


def chromium_missing() -> bool:
    return not Path(screenshots.chromium_path()).is_file()


needs_chromium = pytest.mark.skipif(chromium_missing(), reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = screenshots.launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


def student_setup_commands() -> list[str]:
    """The commands of the README's student setup block (`<!-- student-setup -->`)."""
    text = (COURSE_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- student-setup -->\s*```bash\n(.*?)```", text, re.S)
    assert block, "README.md has no <!-- student-setup --> block"
    return [line.strip() for line in block.group(1).splitlines()
            if line.strip().startswith("jupyter ")]


@dataclass
class Lab:
    url: str
    token: str
    work: Path
    log: Path

    def notebook_url(self, name: str) -> str:
        return f"{self.url}/lab/tree/{name}?token={self.token}"

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def jupyter_lab(tmp_path):
    """A student's JupyterLab on tmp_path/work, set up by the README's student commands."""
    base = tmp_path / "jupyter"
    work = tmp_path / "work"
    work.mkdir()
    env = os.environ | {
        "JUPYTER_CONFIG_DIR": str(base / "config"),  # the student's own (--level=user) config
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(base / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces"),
        "IPYTHONDIR": str(base / "ipython"),
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    server_off = []
    for command in student_setup_commands():
        words = command.split()
        if words[:3] == ["jupyter", "server", "extension"]:
            # Written where nbgrader enabled them (this test's shared environment): the same
            # switches go on this server's command line instead.
            server_off += [w for w in words[4:] if not w.startswith("-")]
            continue
        done = subprocess.run([str(BIN / f"jupyter-{words[1]}"), *words[2:]], env=env,
                              capture_output=True, text=True, timeout=START_SECONDS)
        assert done.returncode == 0, f"{command}\n{done.stdout}{done.stderr}"
    config = base / "student_server_config.json"
    config.write_text(json.dumps({"ServerApp": {"jpserver_extensions": {
        name: False for name in server_off}}}))
    token = secrets.token_hex(16)
    log = tmp_path / "jupyter-server.log"
    process, url = None, ""
    try:
        for _ in range(3):  # another process may take the free port first
            port = _free_port()
            url = f"http://127.0.0.1:{port}"
            args = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
                    f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
                    f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
                    f"--config={config}",
                    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
            if os.geteuid() == 0:
                args.append("--allow-root")
            with open(log, "w") as out:
                process = subprocess.Popen(args, cwd=work, env=env, stdout=out,
                                           stderr=subprocess.STDOUT, start_new_session=True)
            if _wait_until_up(process, url, token):
                break
            _stop(process)
            process = None
        assert process is not None, f"JupyterLab did not start:\n{log.read_text()[-4000:]}"
        yield Lab(url, token, work, log)
    finally:
        if process is not None:
            _stop(process)
        runtime = str(base / "runtime")
        for pid in processes_with(runtime):  # a kernel the server failed to shut down
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        assert wait_until_gone([runtime], 30) == [], "a kernel outlived the test"


def _wait_until_up(process, url: str, token: str) -> bool:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            request = urllib.request.Request(f"{url}/api/status",
                                             headers={"Authorization": f"token {token}"})
            with urllib.request.urlopen(request, timeout=10) as reply:
                if reply.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.5)  # polling interval, not a wait for speed
    return False


def _stop(process) -> None:
    """SIGTERM (the server shuts its kernels down), then SIGKILL if it does not end."""
    for sig, wait in ((signal.SIGTERM, 60), (signal.SIGKILL, 30)):
        if process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue
