"""The cells of a released notebook, as nbgrader's SaveCells preprocessor records them.

`nbgrader generate_assignment` records, for its notebook, every grade, solution and task cell
and a "source cell" (source, checksum, locked) for each of them and for every locked cell. The
release keeps exactly the metadata those records come from (nbgrader writes the checksums into
it), so reading the release as plain JSON gives the same records without importing nbgrader or
nbformat, which matters for `grade`'s start-up time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from autograder.config import ConfigError


@dataclass(frozen=True)
class SourceCell:
    name: str
    cell_type: str
    locked: bool
    source: str
    checksum: str | None


@dataclass
class NotebookCells:
    """What SaveCells records for one notebook, keyed by grade_id, in notebook order."""

    kernelspec: str
    grade: dict[str, dict] = field(default_factory=dict)  # name -> {max_score, cell_type}
    solution: list[str] = field(default_factory=list)
    task: dict[str, dict] = field(default_factory=dict)
    source: dict[str, SourceCell] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # every recorded name, in notebook order
    cells: list[dict] = field(default_factory=list)  # the release's cells, as JSON

    def names(self) -> dict[str, set[str]]:
        return {"grade": set(self.grade), "solution": set(self.solution),
                "task": set(self.task), "source": set(self.source)}


class CellsError(ConfigError):
    """The release notebook cannot be read."""


def _meta(cell: dict) -> dict:
    meta = (cell.get("metadata") or {}).get("nbgrader")
    return meta if isinstance(meta, dict) else {}


def source_text(cell: dict) -> str:
    value = cell.get("source", "")
    return "".join(value) if isinstance(value, list) else str(value)


def is_grade(cell: dict) -> bool:
    return bool(_meta(cell).get("grade", False))


def is_solution(cell: dict) -> bool:
    return bool(_meta(cell).get("solution", False))


def is_task(cell: dict) -> bool:
    return bool(_meta(cell).get("task", False))


def is_locked(cell: dict) -> bool:
    """nbgrader.utils.is_locked: solution cells never, grade cells always, else the flag."""
    if not _meta(cell) or is_solution(cell):
        return False
    if is_grade(cell):
        return True
    return bool(_meta(cell).get("locked", False))


def grade_id(cell: dict) -> str | None:
    value = _meta(cell).get("grade_id")
    return value if isinstance(value, str) and value else None


def read_release(path: Path) -> NotebookCells:
    """The records SaveCells makes for the released notebook at `path`."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CellsError(f"{path}: no release; run `nnfs-course release`") from None
    except (OSError, ValueError) as error:
        raise CellsError(f"{path}: the release cannot be read ({error})") from None
    # json.dumps of the notebook's kernelspec, key order kept, as SaveCells stores it
    out = NotebookCells(kernelspec=json.dumps((nb.get("metadata") or {}).get("kernelspec", {})),
                        cells=nb.get("cells", []))
    for cell in out.cells:
        name = grade_id(cell)
        if name is None:
            continue
        recorded = False
        if is_grade(cell):
            out.grade[name] = {"max_score": float(_meta(cell)["points"]),
                               "cell_type": cell["cell_type"]}
            recorded = True
        if is_solution(cell):
            out.solution.append(name)
            recorded = True
        if is_task(cell):
            out.task[name] = {"max_score": float(_meta(cell)["points"]),
                              "cell_type": cell["cell_type"]}
            recorded = True
        if recorded or is_locked(cell):
            out.source[name] = SourceCell(name, cell["cell_type"], is_locked(cell),
                                          source_text(cell), _meta(cell).get("checksum"))
            out.order.append(name)
    return out
