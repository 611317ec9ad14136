"""The package's map holds: every import runs from a room down to the rooms below it.

The contracts are in .importlinter and `lint-imports` checks them. autograder/graders/ is a
folder of pytest files, not a package, so lint-imports sees its arrows only where it is made one:
in a copy of the package, as here. The last test proves the contracts can fail: one arrow back up,
added in a copy, is rejected by name.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from autograder.config import COURSE_ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """lint-imports on the package under `root`, with the contracts of the checkout."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", str(COURSE_ROOT / ".importlinter")],
                          cwd=root, env=env, capture_output=True, text=True, timeout=600)


def package_copy(tmp_path: Path) -> Path:
    """The package and course_config.py under tmp_path, the graders a package of their own."""
    root = tmp_path / "course"
    shutil.copytree(COURSE_ROOT / "autograder", root / "autograder",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(COURSE_ROOT / "course_config.py", root)
    (root / "autograder" / "graders" / "__init__.py").touch()
    return root


def test_the_package_keeps_its_import_map():
    result = lint_imports(COURSE_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_graders_sit_above_the_harness_and_the_sandbox(tmp_path):
    root = package_copy(tmp_path)
    result = lint_imports(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_arrow_back_up_breaks_the_map(tmp_path):
    root = package_copy(tmp_path)
    codec = root / "autograder" / "sandbox" / "codec.py"
    codec.write_text(codec.read_text() + "\nfrom autograder.engine import results  # noqa\n")
    result = lint_imports(root)
    assert result.returncode != 0
    assert "Each room imports only the rooms below it BROKEN" in result.stdout
    assert "autograder.sandbox.codec -> autograder.engine.results" in result.stdout
