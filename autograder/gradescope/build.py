"""`nnfs-course gradescope ASSIGNMENT`: the autograder zip Gradescope runs for every submission.

The zip has setup.sh and run_autograder at its root, and everything grading needs: the package
(hidden graders included), reference/, course_config.py, and requirements.txt, which pins the
packages grading imports to the versions installed here (each checked against pyproject.toml).
It has no tests, no fixtures, no release/ and no student's work. Only the release's public check
and demo cells go in, as `release/<id>/<id>.ipynb` with nothing else, so that the engine skips
them as `nnfs-course grade` does.
"""

from __future__ import annotations

import json
import re
import stat
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

from autograder.config import COURSE_ROOT, ConfigError, get_assignment

HERE = Path(__file__).resolve().parent
# What grading imports (the engine, pytest and the graders, the sandbox's template).
GRADING_PACKAGES = ("numpy", "pytest", "ipython", "matplotlib", "nbformat", "click")
SKIP_PARTS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache"}
SKIP_SUFFIXES = (".pyc", ".pyo")
EXECUTABLE = 0o755
FILE = 0o644


def build(assignment_id: str, out: Path | None = None, root: Path = COURSE_ROOT) -> Path:
    """Write the autograder zip of `assignment_id`; return its path."""
    assignment = get_assignment(assignment_id, root)
    out = Path(out) if out else root / "dist" / f"{assignment.id}-autograder.zip"
    for needed in (root / "autograder", root / "reference", root / "course_config.py",
                   assignment.grader_file(root)):
        if not needed.exists():
            raise ConfigError(f"{needed}: missing; the autograder zip cannot be built without it")
    release = assignment.release_notebook(root)
    if not release.exists():
        raise ConfigError(f"{release}: missing; run `nnfs-course release {assignment.id}` first")
    files: dict[str, bytes | Path] = {}
    for top in ("autograder", "reference"):
        for path in sorted((root / top).rglob("*")):
            relative = path.relative_to(root)
            if path.is_file() and not (SKIP_PARTS & set(relative.parts)) \
                    and not path.name.endswith(SKIP_SUFFIXES):
                files[relative.as_posix()] = path
    files["course_config.py"] = root / "course_config.py"
    files["pyproject.toml"] = root / "pyproject.toml"
    files["requirements.txt"] = requirements(root / "pyproject.toml").encode()
    files[f"release/{assignment.id}/{assignment.id}.ipynb"] = public_cells(release).encode()
    files["setup.sh"] = (HERE / "setup.sh").read_bytes()
    files["run_autograder"] = (HERE / "run_autograder").read_text(encoding="utf-8").replace(
        "@ASSIGNMENT@", assignment.id).encode()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            content = files[name]
            data = content.read_bytes() if isinstance(content, Path) else content
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            mode = EXECUTABLE if name in ("setup.sh", "run_autograder") else FILE
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    tmp.replace(out)
    return out


def requirements(pyproject: Path) -> str:
    """requirements.txt: what grading imports and all it depends on, at the versions used here."""
    from packaging.requirements import Requirement

    declared = {}
    for text in tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]:
        requirement = Requirement(text)
        declared[_key(requirement.name)] = requirement
    pins: dict[str, str] = {}
    queue = list(GRADING_PACKAGES)
    while queue:
        name = queue.pop()
        key = _key(name)
        if key in pins:
            continue
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            raise ConfigError(f"{name} is not installed here; install the course first "
                              "(bash .ci/setup)") from None
        version = distribution.version
        if key in declared and not declared[key].specifier.contains(version, prereleases=True):
            raise ConfigError(f"pyproject.toml: {declared[key]} does not allow the installed "
                              f"{name} {version}")
        pins[key] = f"{distribution.metadata['Name']}=={version}"
        for text in distribution.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                queue.append(requirement.name)
    lines = ["# What grading needs, at the versions the course was tested with.", *sorted(
        pins.values(), key=str.lower)]
    return "\n".join(lines) + "\n"


def public_cells(release: Path) -> str:
    """The release notebook reduced to its public check and demo cells (nothing a student lacks)."""
    notebook = json.loads(release.read_text(encoding="utf-8"))
    keep = [cell for cell in notebook.get("cells", [])
            if cell.get("cell_type") == "code"
            and (cell.get("metadata") or {}).get("nnfs", {}).get("role") in ("checks", "demo")]
    for cell in keep:
        cell["outputs"], cell["execution_count"] = [], None
    reduced = {"cells": keep, "metadata": {}, "nbformat": notebook.get("nbformat", 4),
               "nbformat_minor": notebook.get("nbformat_minor", 5)}
    return json.dumps(reduced, indent=1) + "\n"


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
