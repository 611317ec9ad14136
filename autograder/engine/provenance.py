"""What produced a result: the inputs of grading, recorded in results.json's extra_data.

`provenance` holds a hash of the hidden graders, of the reference module, of the limits, the
versions of the packages that grade, the isolation level and a hash of the submission, so that
a regrade can say which of them changed (regrade.py). Scores never depend on it.
"""

from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

from autograder.config import Assignment, Limits

PACKAGES = ("nnfs-course", "numpy", "pytest", "nbgrader")
# The inputs, in the order a report names them.
INPUTS = ("submission", "graders", "reference", "limits", "packages", "isolation")


def _digest(chunks) -> str:
    hasher = hashlib.sha256()
    for chunk in chunks:
        hasher.update(chunk)
        hasher.update(b"\0")
    return hasher.hexdigest()[:16]


def files_hash(paths: list[Path], base: Path) -> str:
    """A hash of the files' names (relative to `base`) and contents."""
    chunks = []
    for path in sorted(paths):
        chunks += [path.relative_to(base).as_posix().encode(), path.read_bytes()]
    return _digest(chunks)


def file_hash(path: Path) -> str:
    try:
        return _digest([Path(path).read_bytes()])
    except OSError:
        return ""


def packages() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = ""
    return out


def run_inputs(assignment: Assignment, root: Path, limits: Limits) -> dict:
    """The inputs shared by every submission of a grading run (all but the submission and the
    isolation level, which each result records)."""
    graders = assignment.grader_file(root).parent
    # the files beside the one pytest collects, and the assignments' folders of exercises
    grader_files = [p for p in graders.rglob("*.py") if "__pycache__" not in p.parts]
    reference = Path(assignment.reference_module().__file__)
    return {
        "graders": files_hash(grader_files, graders) if grader_files else "",
        "reference": files_hash([reference], reference.parent),
        "limits": _digest([json.dumps(asdict(limits), sort_keys=True).encode()]),
        "packages": packages(),
    }


def stamp(document: dict, inputs: dict) -> dict:
    """`document` (a results.json) with its provenance in extra_data; nothing else changes."""
    extra = document.setdefault("extra_data", {})
    extra["provenance"] = {
        "submission": file_hash(Path(extra.get("notebook", ""))) if extra.get("notebook") else "",
        **inputs,
        "isolation": extra.get("isolation", ""),
    }
    return document


def changed_inputs(old: dict, new: dict) -> list[str] | None:
    """The inputs that differ between two results' provenance (package names spelled out), or
    None when the old result has none (graded before provenance was recorded)."""
    before = (old.get("extra_data") or {}).get("provenance")
    after = (new.get("extra_data") or {}).get("provenance") or {}
    if not before:
        return None
    out = []
    for name in INPUTS:
        if name == "packages":
            was, now = before.get(name) or {}, after.get(name) or {}
            out += [f"{p} {was.get(p, '?')}->{now.get(p, '?')}" for p in sorted(set(was) | set(now))
                    if was.get(p) != now.get(p)]
        elif before.get(name) != after.get(name):
            out.append(name)
    return out
