"""Read what `nnfs-course grade` wrote: one Gradescope `results.json` per student.

Everything the feedback pages and the class report show comes from these files, read into plain
dataclasses here so the pages and the report never touch raw JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from autograder.config import COURSE_ROOT

FAILED_TO_RUN = "failed-to-run"


class FeedbackError(Exception):
    """The grading results, or a request against them, are unusable."""


def default_results_dir(assignment_id: str, root: Path = COURSE_ROOT) -> Path:
    return root / "grades" / assignment_id


@dataclass(frozen=True)
class TestResult:
    name: str
    number: str
    score: float
    max_score: float
    output: str
    visibility: str
    function: str
    outcome: str  # "passed" | "failed" | "error"
    mistake: str | None
    lecture: str | None
    mistake_id: str | None = None  # extra_data["mistake"]["id"]: what the class report counts

    @property
    def passed(self) -> bool:
        return self.outcome == "passed"


@dataclass(frozen=True)
class CellError:
    """A notebook cell that failed while the submission loaded; `index` counts code cells from 0."""

    index: int | None
    status: str
    error: str
    where: str = ""  # "the answer cell of `relu` (section “7. …”)", as `grade` names it

    @property
    def place(self) -> str:
        """Where the cell is, for a sentence; results written before places were named give
        only the code cell's number."""
        if self.where:
            return self.where
        return f"code cell {self.index + 1}" if self.index is not None else "a cell"


@dataclass(frozen=True)
class StudentResult:
    student: str
    assignment: str
    score: float
    max_score: float
    status: str  # "graded" | "failed-to-run"
    problem: str
    output: str
    execution_time: float | None
    cells: tuple[CellError, ...]
    functions: dict[str, tuple[float, float]] = field(hash=False)
    tests: tuple[TestResult, ...]
    isolation: str = ""  # the sandbox level the notebook ran at

    @property
    def failed_to_run(self) -> bool:
        return self.status == FAILED_TO_RUN

    @property
    def cell_errors(self) -> tuple[CellError, ...]:
        return tuple(c for c in self.cells if c.status != "ok" or c.error)

    @property
    def ran_cleanly(self) -> bool:
        return not self.failed_to_run and not self.cell_errors


def load_results(assignment_id: str, results_dir: Path) -> list[StudentResult]:
    """Every `<results_dir>/<student>/results.json`, sorted by student.

    The folder name is the student's id (it also names their feedback folder). Raises
    FeedbackError when the folder holds no results or a file belongs to another assignment.
    """
    results_dir = Path(results_dir)
    if not results_dir.is_dir():
        raise FeedbackError(f"no grading results in {results_dir}: run `nnfs-course grade` first")
    paths = sorted(results_dir.glob("*/results.json"))
    results = [_load_one(path, assignment_id) for path in paths]
    if not results:
        raise FeedbackError(f"no <student>/results.json files in {results_dir}")
    return results


def _load_one(path: Path, assignment_id: str) -> StudentResult:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FeedbackError(f"cannot read {path}: {error}") from None
    if not isinstance(data, dict):
        raise FeedbackError(f"{path} does not hold a Gradescope results object")
    extra = _dict(data.get("extra_data"))
    assignment = str(extra.get("assignment") or assignment_id)
    if assignment != assignment_id:
        raise FeedbackError(f"{path} holds results of {assignment!r}, not {assignment_id!r}")
    tests = tuple(_test(i, t) for i, t in enumerate(_list(data.get("tests"))))
    return StudentResult(
        student=path.parent.name,
        assignment=assignment,
        score=_float(data.get("score"), sum(t.score for t in tests)),
        max_score=_float(data.get("max_score"), sum(t.max_score for t in tests)),
        status=str(extra.get("status") or "graded"),
        problem=_text(extra.get("problem")),
        output=_text(data.get("output")),
        execution_time=_float(data.get("execution_time"), None),
        cells=tuple(_cell(c) for c in _list(extra.get("cells"))),
        functions=_functions(extra.get("functions"), tests),
        tests=tests,
        isolation=_text(extra.get("isolation")),
    )


def _test(position: int, raw) -> TestResult:
    raw = _dict(raw)
    extra = _dict(raw.get("extra_data"))
    score = _float(raw.get("score"), 0.0)
    max_score = _float(raw.get("max_score"), 0.0)
    name = _text(raw.get("name")) or f"test {position + 1}"
    tags = _list(raw.get("tags"))
    function = _text(extra.get("function")) or (str(tags[0]) if tags else name.split(":")[0])
    outcome = _text(extra.get("outcome")) or ("passed" if score >= max_score else "failed")
    return TestResult(
        name=name,
        number=_text(raw.get("number")) or str(position + 1),
        score=score,
        max_score=max_score,
        output=_text(raw.get("output")),
        visibility=_text(raw.get("visibility")) or "visible",
        function=function,
        outcome=outcome,
        mistake=_mistake_field(extra.get("mistake"), "title"),
        mistake_id=_mistake_field(extra.get("mistake"), "id"),
        lecture=_text(extra.get("lecture")) or None,
    )


def _cell(raw) -> CellError:
    raw = _dict(raw)
    index = raw.get("index")
    return CellError(
        index=index if isinstance(index, int) else None,
        status=_text(raw.get("status")) or "error",
        error=_text(raw.get("error")),
        where=_text(raw.get("where")),
    )


def _functions(raw, tests: tuple[TestResult, ...]) -> dict[str, tuple[float, float]]:
    """Score and maximum per function: extra_data.functions, else summed from the tests."""
    if isinstance(raw, dict) and raw:
        return {
            str(name): (_float(_dict(v).get("score"), 0.0), _float(_dict(v).get("max_score"), 0.0))
            for name, v in raw.items()
        }
    totals: dict[str, tuple[float, float]] = {}
    for t in tests:
        score, best = totals.get(t.function, (0.0, 0.0))
        totals[t.function] = (score + t.score, best + t.max_score)
    return totals


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _text(value) -> str:
    return "" if value is None else str(value)


def _float(value, default):
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _mistake_field(raw, key: str) -> str | None:
    """extra_data["mistake"]: {"id", "title"} (or, in older results, the title alone)."""
    if isinstance(raw, dict):
        return _text(raw.get(key)) or _text(raw.get("title")) or None
    return _text(raw) or None
