"""nbgrader's configuration of this course, and the tools nbgrader runs beside this Python."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from traitlets.config import Config

from autograder.config import apply_nbgrader_config


def nbgrader_config(root: Path) -> Config:
    config = Config()
    apply_nbgrader_config(config)
    config.CourseDirectory.root = str(root)
    return config


def ensure_tools_on_path() -> None:
    """nbgrader runs `alembic` to create a gradebook: it must be on PATH beside this Python."""
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
