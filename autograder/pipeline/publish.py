"""Publish the release to students: a folder (or zip) that holds only what students may see.

The course repository holds `reference/` and the hidden graders next to `release/`, so students
must never read it. `publish` copies exactly the committed release notebooks, each in its
`<id>/` folder, and a short README that tells students how to set up. It then runs the release's
leak check (pipeline/leaks.py) on the files it wrote, and proves nothing else is there.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from autograder.config import COURSE_ROOT, Assignment
from autograder.pipeline import PipelineError
from autograder.pipeline.leaks import find_leaks

STUDENT_README = "README.md"
# A student channel may be a git repository of its own: its .git/ is left alone.
KEPT = (".git",)


@dataclass
class Published:
    target: Path
    files: list[str] = field(default_factory=list)  # paths relative to the target, sorted


def publish(chosen: list[Assignment], *, to: Path | None = None, zip_path: Path | None = None,
            root: Path = COURSE_ROOT) -> Published:
    """Write the release of `chosen` into the folder `to`, or into the zip `zip_path`.

    Raises PipelineError when a release is missing, the target is inside the course
    repository, the folder holds files publish does not write, or the leak check finds anything
    in what was written.
    """
    if (to is None) == (zip_path is None):
        raise PipelineError("publish needs exactly one of --to DIR and --zip FILE")
    if not chosen:
        raise PipelineError("no assignment to publish")
    target = Path(to if to is not None else zip_path).resolve()
    if target == root.resolve() or root.resolve() in target.parents:
        raise PipelineError(f"{target}: inside the course repository, which students must not "
                            "read; publish to a folder or zip outside it")
    for assignment in chosen:
        notebook = assignment.release_notebook(root)
        if not notebook.is_file():
            raise PipelineError(f"{notebook}: no release; run `nnfs-course release "
                                f"{assignment.id}`")
        leaks = find_leaks(assignment, notebook, root)  # nothing leaky is ever written
        if leaks:
            raise PipelineError(f"{notebook}: leaks ({'; '.join(map(str, leaks))}); "
                                "nothing was published")
    if to is not None:
        return _to_folder(chosen, target, root)
    with tempfile.TemporaryDirectory(prefix="nnfs-publish-") as staging:
        written = _to_folder(chosen, Path(staging) / "release", root)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in written.files:
                archive.write(Path(staging) / "release" / name, name)
        partial.replace(target)
        _check_zip(chosen, target, written.files, root)
    return Published(target, written.files)


def _to_folder(chosen: list[Assignment], target: Path, root: Path) -> Published:
    expected = expected_files(chosen)
    if target.exists() and not target.is_dir():
        raise PipelineError(f"{target}: exists and is not a folder")
    strangers = _strangers(target, expected)
    if strangers:
        raise PipelineError(f"{target}: holds files publish did not write "
                            f"({', '.join(strangers[:5])}{', ...' if len(strangers) > 5 else ''})"
                            "; publish into an empty folder or the student repository's clone")
    target.mkdir(parents=True, exist_ok=True)
    for assignment in chosen:
        out = target / assignment.id / f"{assignment.id}.ipynb"
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(assignment.release_notebook(root), out)
    (target / STUDENT_README).write_text(student_readme(chosen, root), encoding="utf-8")
    _check_folder(chosen, target, expected, root)
    return Published(target, sorted(expected))


def expected_files(chosen: list[Assignment]) -> set[str]:
    return {STUDENT_README} | {f"{a.id}/{a.id}.ipynb" for a in chosen}


def _strangers(folder: Path, expected: set[str]) -> list[str]:
    """Files under `folder` (outside .git/) that publish would not write, relative, sorted.

    The folders of assignments published before count as publish's own."""
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if relative.parts[0] in KEPT or path.is_dir():
            continue
        name = relative.as_posix()
        if name not in expected and not _published_notebook(relative):
            out.append(name)
    return out


def _published_notebook(relative: Path) -> bool:
    return len(relative.parts) == 2 and relative.parts[1] == f"{relative.parts[0]}.ipynb"


def _check_folder(chosen: list[Assignment], target: Path, expected: set[str], root: Path) -> None:
    problems = [f"{name}: not written by publish" for name in _strangers(target, expected)]
    for assignment in chosen:
        notebook = target / assignment.id / f"{assignment.id}.ipynb"
        problems += [f"{notebook}: {leak}" for leak in find_leaks(assignment, notebook, root)]
    if problems:
        raise PipelineError(f"{target}: the leak check failed: " + "; ".join(problems))


def _check_zip(chosen: list[Assignment], zip_path: Path, files: list[str], root: Path) -> None:
    """Read the zip back and leak-check what is really in it."""
    with zipfile.ZipFile(zip_path) as archive:
        names = sorted(n for n in archive.namelist() if not n.endswith("/"))
        if names != sorted(files):
            zip_path.unlink()
            raise PipelineError(f"{zip_path}: holds {names}, expected {sorted(files)}; removed")
        with tempfile.TemporaryDirectory(prefix="nnfs-publish-check-") as scratch:
            archive.extractall(scratch)
            try:
                _check_folder(chosen, Path(scratch), set(files), root)
            except PipelineError as error:
                zip_path.unlink()
                raise PipelineError(f"{zip_path}: removed; {error}") from None


def student_readme(chosen: list[Assignment], root: Path = COURSE_ROOT) -> str:
    """The students' README: the assignments, and the setup block of the course README."""
    lines = ["# Neural Networks from Scratch: the assignments", "",
             "Open each notebook in JupyterLab, work from the top, and submit the notebook.", ""]
    lines += [f"- `{a.id}/{a.id}.ipynb`: {a.title}" for a in chosen]
    setup = _student_setup(root / "README.md")
    if setup:
        lines += ["", "## Setting up, once", "", "```bash", *setup, "```"]
    return "\n".join(lines) + "\n"


def _student_setup(readme: Path) -> list[str]:
    try:
        text = readme.read_text(encoding="utf-8")
    except OSError:
        return []
    start, end = "<!-- student-setup -->", "<!-- /student-setup -->"
    if start not in text or end not in text:
        return []
    block = text.split(start, 1)[1].split(end, 1)[0]
    return [line for line in block.strip().splitlines() if not line.startswith("```")]
