"""Write `autograded/<student>/<id>/<id>.ipynb` and `timestamp.txt`, as `nbgrader autograde` does.

formgrader lists a submission for manual grading, opens it, and makes feedback from it, only when
this notebook exists. It is the student's notebook after nbgrader's sanitising steps
(OverwriteCells: locked and grade cells restored from the release, missing graded cells added
back; ClearOutput), with the hidden graders' results for each function written as the output of
that function's grade cell: the check names, their points and the message the student gets,
never a grader's source. Plain JSON: no nbformat, no kernel.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

from autograder.config import Assignment
from autograder.files import atomic_write, json_text
from autograder.nbgrader.cells import NotebookCells, grade_id, is_grade, is_solution, is_task

CELL_ID = re.compile(r"^[a-zA-Z0-9-_]{1,64}$")
MISSING = "This cell was missing from the submission; it was added back from the release.\n"


def autograded_dir(assignment: Assignment, student: str, root: Path) -> Path:
    return root / "autograded" / student / assignment.id


def write_autograded(assignment: Assignment, student: str, document: dict, cells: NotebookCells,
                     timestamp: tuple[str, object] | None, root: Path, scrub=None) -> Path:
    """Write one student's autograded notebook and timestamp.txt; return the notebook's path."""
    folder = autograded_dir(assignment, student, root)
    submitted = Path(document["extra_data"]["notebook"])
    path = folder / f"{assignment.id}.ipynb"
    if not submitted.exists() and path.exists():
        return path  # graded in an earlier run from a file that has since moved: keep its own
    nb = build_notebook(cells, _read(submitted), document, scrub)
    atomic_write(path, json_text(nb, "cells", ensure_ascii=False))
    atomic_write(folder / "timestamp.txt", (timestamp[0] if timestamp else _mtime(submitted))
                 + "\n")
    return path


def _mtime(path: Path) -> str:
    """The file's modification time, in the format of nbgrader's own timestamp.txt."""
    try:
        seconds = path.stat().st_mtime
    except OSError:
        seconds = datetime.datetime.now().timestamp()
    moment = datetime.datetime.fromtimestamp(seconds, datetime.UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f %Z")


def _read(path: Path) -> dict | None:
    try:
        nb = json.loads(path.read_bytes().decode("utf-8", errors="replace"))
    except (OSError, ValueError):
        return None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return None
    return nb


def build_notebook(cells: NotebookCells, submitted: dict | None, document: dict,
                   scrub=None) -> dict:
    """The autograded notebook, to be written at once. Its cells are new dicts, but what they
    hold (a release cell's metadata and source, the submission's metadata) is shared with
    `cells` and `submitted`, not copied: only a cell's own keys are ever set here, and copying
    the release's cells for every student was most of building the notebook."""
    release = {grade_id(c): c for c in cells.cells if grade_id(c) in cells.source}
    out: list[dict] = []
    placed: dict[str, int] = {}
    problem = document["extra_data"].get("problem")
    if submitted is None:
        submitted = {"cells": []}
        out.append(_markdown(f"**The submitted notebook could not be read:** {problem or ''}"))
    for cell in submitted["cells"]:
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            continue
        name = grade_id(cell)
        master = release.get(name)
        if master is None or name in placed:
            out.append(_plain(cell))  # not a cell of the release (or a copy of one)
            continue
        placed[name] = len(out)
        if is_solution(master):
            kept = _plain(cell)
            kept["metadata"] = master.get("metadata", {})
            kept["cell_type"] = master["cell_type"]
            out.append(_cleared(kept))
        else:
            out.append(_cleared(dict(master)))  # locked: the release's text wins
    previous = -1
    for name in cells.order:
        if name in placed:
            previous = placed[name]
            continue
        master = release[name]
        if not (is_grade(master) or is_solution(master) or is_task(master)):
            continue  # a locked text cell the student deleted: nothing to grade there
        added = _cleared(dict(master))
        added["source"] = (("# " + MISSING) if added["cell_type"] == "code" else MISSING) \
            + _text(added.get("source", ""))
        out.insert(previous + 1, added)
        placed = {n: (i + 1 if i > previous else i) for n, i in placed.items()}
        placed[name] = previous = previous + 1
    results = _results_by_function(document, scrub)
    for cell in out:
        name = grade_id(cell)
        if cell.get("cell_type") == "code" and name and is_grade(cell) \
                and name.removeprefix("test_") in results:
            cell["outputs"] = [{"output_type": "stream", "name": "stdout",
                                "text": results[name.removeprefix("test_")]}]
    _unique_ids(out)
    return {"cells": out, "metadata": _metadata(cells, submitted),
            "nbformat": 4, "nbformat_minor": 5}


def _results_by_function(document: dict, scrub) -> dict[str, str]:
    per: dict[str, list[dict]] = {}
    for test in document.get("tests", []):
        per.setdefault(test["extra_data"]["function"], []).append(test)
    functions = document["extra_data"].get("functions", {})
    out = {}
    for function, tests in per.items():
        total = functions.get(function, {})
        lines = [f"Hidden tests of {function}: {total.get('score', 0):g} / "
                 f"{total.get('max_score', 0):g}"]
        for test in tests:
            mark = "PASS" if test["score"] >= test["max_score"] else "FAIL"
            name = test["name"].split(": ", 1)[-1]
            lines.append(f"  {mark} {name} ({test['score']:g} / {test['max_score']:g})")
            message = test.get("output") or ""
            if message and scrub is not None:
                message = scrub(message)
            lines += [f"       {line}" for line in message.splitlines()]
        out[function] = "\n".join(lines) + "\n"
    return out


def _metadata(cells: NotebookCells, submitted: dict) -> dict:
    meta = dict(submitted.get("metadata") or {}) if isinstance(submitted.get("metadata"),
                                                               dict) else {}
    meta["kernelspec"] = json.loads(cells.kernelspec)
    return meta


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _plain(cell: dict) -> dict:
    """A student cell as plain notebook JSON, without any nbgrader metadata it may claim."""
    kind = cell.get("cell_type")
    meta = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
    out = {"cell_type": kind, "metadata": {k: v for k, v in meta.items() if k != "nbgrader"},
           "source": _text(cell.get("source", ""))}
    if isinstance(cell.get("id"), str):
        out["id"] = cell["id"]
    return _cleared(out)


def _cleared(cell: dict) -> dict:
    if cell.get("cell_type") == "code":
        cell["outputs"] = []
        cell["execution_count"] = None
    else:
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
    if cell.get("cell_type") == "markdown":
        cell.pop("attachments", None)
    return cell


def _markdown(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def _unique_ids(out: list[dict]) -> None:
    seen: set[str] = set()
    for index, cell in enumerate(out):
        wanted = cell.get("id")
        if not isinstance(wanted, str) or not CELL_ID.match(wanted) or wanted in seen:
            wanted = f"cell-{index}"
            while wanted in seen:
                wanted += "-x"
        cell["id"] = wanted
        seen.add(wanted)
