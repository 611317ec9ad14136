"""A scratch copy of the course under tmp_path: tests never touch the checkout's course data."""

from __future__ import annotations

import shutil
from pathlib import Path

from autograder.config import COURSE_ROOT

EXAMPLE_CLASS = COURSE_ROOT / "tests" / "fixtures" / "example_class" / "submitted"
COURSE_DATA = ("gradebook.db", "submitted", "autograded", "grades", "feedback", "reports")


def copy_course(root: Path, code: bool = False) -> Path:
    """A scratch course at `root`: the notebooks, lessons, graders and both configuration files
    (so `nbgrader ...` run there sees the course), and none of the checkout's course data.

    With `code`, the whole of `reference/` and `autograder/` too: a course of its own, which a
    process run there with PYTHONPATH=root imports instead of this checkout.
    """
    parts = ("reference", "autograder") if code else ("reference/lessons", "autograder/graders")
    for part in ("source", "release", *parts):
        shutil.copytree(COURSE_ROOT / part, root / part,
                        ignore=shutil.ignore_patterns("__pycache__", "*.db"))
    for name in ("course_config.py", "nbgrader_config.py"):
        shutil.copy(COURSE_ROOT / name, root / name)
    return root
