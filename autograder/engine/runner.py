"""The engine's own runner of an assignment's hidden graders: pytest's results, not its machinery.

The graders are pytest tests, and CI and the maintainer run them under pytest. Grading a class
under pytest cost about a quarter of each student's CPU in pytest's per-test protocol (hooks,
reports, fixture set-up and teardown, three phases per check) and a session's start and
collection. This runner collects the checks once per process, as pytest collects the entry file
`autograder/graders/test_<id>.py`: its `test*` functions in the order of the module's namespace,
a `parametrize` mark expanded row by row, the `student` argument being the submission (the one
fixture the graders' conftest.py provides). It runs them student after student in that order,
and makes each check's result as the pytest path does (outcomes.py): the same node id,
description, points, messages, partial credit, helper reruns and "error" outcome.
tests/engine/test_runner.py proves both give identical runs. What the runner does not know how
to run as pytest would (another fixture, another mark, a test class) is a ConfigError, not a
guess.
"""

from __future__ import annotations

import inspect
import runpy
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from autograder.config import COURSE_ROOT, ConfigError, get_assignment
from autograder.engine import outcomes
from autograder.engine.outcomes import GraderRun, StopGrading, TestResult
from autograder.harness import Submission

__all__ = ["Check", "collect", "run_checks"]

_MARKS = {"grader", "parametrize"}  # what the graders are written with; any other is refused
# What a check's body may raise and still be judged (pytest.fail's is no Exception).
_JUDGED = (Exception, pytest.fail.Exception)


@dataclass(frozen=True)
class Check:
    """One collected check: a test function and one row of its parametrization, if any."""

    test: Callable
    node: str  # "<entry file>::<test name>", the node id without its parameters
    function: str | None  # the student function its grader mark grades (None: no mark)
    points: float
    arguments: dict = field(default_factory=dict)  # the row's arguments, besides `student`
    ids: str = ""  # the row's id ("" when the test is not parametrized)

    def name(self, student: str) -> str:
        """pytest's item name for the student whose parameter id is `student`."""
        return f"{self.node.rpartition('::')[2]}[{self._params(student)}]"

    def nodeid(self, student: str) -> str:
        return f"{self.node}[{self._params(student)}]"

    def _params(self, student: str) -> str:
        return f"{student}-{self.ids}" if self.ids else student


def run_checks(assignment_id: str, submissions: dict[str, Callable[[], Submission]],
               on_done: Callable[[str, GraderRun], None] | None = None,
               root: Path = COURSE_ROOT,
               take: Callable[[str], bool] | None = None) -> dict[str, GraderRun]:
    """Run every check of `assignment_id` against each submission in turn (see
    graders.run_graders_batch, which this is without pytest)."""
    checks = collect(assignment_id, Path(root))
    runs: dict[str, GraderRun] = {}
    with outcomes.quiet():
        for key, factory in submissions.items():
            if take is not None and not take(key):
                break
            run = runs[key] = GraderRun(assignment_id)
            try:
                if _grade(checks, factory, _escaped(str(key)), run) and on_done is not None:
                    on_done(key, run)
            except StopGrading:
                break
    return runs


def _grade(checks: tuple[Check, ...], factory: Callable[[], Submission], student_id: str,
           run: GraderRun) -> bool:
    """Open one submission, run every check against it in order, and close it; False when it
    could not be opened. Then every check fails in set-up, as under pytest, and the submission
    is not reported done (the engine says the graders never finished it)."""
    try:
        student = factory()
    except StopGrading:
        raise
    except _JUDGED as error:
        for check in checks:
            if check.function is not None:
                result = _result(check, student_id)
                run.tests.append(result)
                outcomes.failed(result, error, "setup")
        return False
    for check in checks:
        result = None
        if check.function is not None:
            result = _result(check, student_id)
            run.tests.append(result)
        try:
            note = _run_one(check, student, result is not None)
        except _JUDGED as error:
            if result is not None:
                outcomes.failed(result, error, "call")
            continue
        if result is not None:
            outcomes.passed(result, note)
    student.close()
    return True


def _run_one(check: Check, student: Submission, graded: bool) -> str:
    """Run one check; what it has to say when it passed (a helper rerun's note)."""
    def body():
        check.test(student=student, **check.arguments)

    if not graded or not isinstance(student, Submission):
        body()
        return ""
    with outcomes.helper_reruns(student, check.function, body) as notes:
        body()
    return notes[0] if notes else ""


def _result(check: Check, student_id: str) -> TestResult:
    return outcomes.new_result(check.function, check.test.__doc__, check.name(student_id),
                      check.nodeid(student_id), check.points)


# ---------------------------------------------------------------------------------------------
# Collection, once per process and course


@cache
def collect(assignment_id: str, root: Path = COURSE_ROOT) -> tuple[Check, ...]:
    """The checks of `assignment_id`'s entry file in the course at `root`, in pytest's order."""
    entry = get_assignment(assignment_id, root).grader_file(root)
    try:
        namespace = runpy.run_path(str(entry))  # the module pytest imports, under no name
    except ConfigError:
        raise
    except Exception as error:
        raise RuntimeError(f"the graders of {assignment_id} could not be collected: "
                           f"{type(error).__name__}: {error}") from error
    where = entry.relative_to(root).as_posix()
    if namespace.get("pytestmark"):
        raise ConfigError(f"{entry}: module-wide marks are not run by the engine's runner")
    checks: list[Check] = []
    for name, value in namespace.items():
        if not name.startswith("test"):
            continue
        if inspect.isclass(value):
            raise ConfigError(f"{entry}: {name} is a class; the engine runs test functions only")
        if inspect.isfunction(value):
            checks += _checks_of(value, f"{where}::{name}", entry)
    return tuple(checks)


def _checks_of(test: Callable, node: str, entry: Path) -> list[Check]:
    marks = list(getattr(test, "pytestmark", []))
    unknown = sorted({m.name for m in marks} - _MARKS)
    if unknown:
        raise ConfigError(f"{entry}: {node} has the mark {unknown[0]!r}, which the engine's "
                          "runner does not run")
    rows = _rows(test, [m for m in marks if m.name == "parametrize"], entry)
    arguments = {"student"} | (set(rows[0][0]) if rows else set())
    wanted = {p.name for p in inspect.signature(test).parameters.values()
              if p.default is inspect.Parameter.empty}
    if "student" not in wanted or wanted - arguments:
        raise ConfigError(f"{entry}: {node} must take `student` (and its parametrized "
                          f"arguments) only; it asks for {', '.join(sorted(wanted))}")
    found = []
    for values, row_marks, ids in rows or [({}, [], "")]:
        mark = next((m for m in [*marks, *row_marks] if m.name == "grader"), None)
        function = mark.kwargs["function"] if mark else None
        points = float(mark.kwargs["points"]) if mark else 0.0
        found.append(Check(test, node, function, points, values, ids))
    return found


def _rows(test: Callable, parametrize: list, entry: Path) -> list[tuple[dict, list, str]]:
    """(arguments, marks, id) of each row of a test's one `parametrize` mark; [] without one."""
    if not parametrize:
        return []
    if len(parametrize) > 1 or set(parametrize[0].kwargs) - {"ids"}:
        raise ConfigError(f"{entry}: {test.__name__}: the engine's runner takes one "
                          "`parametrize(argnames, argvalues, ids=...)` per test")
    argnames, argvalues = parametrize[0].args
    names = [n.strip() for n in argnames.split(",")] if isinstance(argnames, str) \
        else list(argnames)
    given = parametrize[0].kwargs.get("ids")
    rows = []
    for index, row in enumerate(argvalues):
        if isinstance(row, pytest.ParameterSet):
            values, marks, ident = row.values, list(row.marks), row.id
        else:
            values, marks, ident = (row,) if len(names) == 1 else tuple(row), [], None
        if ident is None and given is not None:
            ident = given[index]
        if ident is None:
            ident = "-".join(_value_id(v, n, index) for v, n in zip(values, names))
        rows.append((dict(zip(names, values)), marks, _escaped(str(ident))))
    if len({ident for _, _, ident in rows}) != len(rows):
        raise ConfigError(f"{entry}: {test.__name__}: give each parametrized row its own id")
    return rows


def _value_id(value, name: str, index: int) -> str:
    """pytest's id of a parameter value it was given no id for."""
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, (bool, int, float, complex)):
        return str(value)
    return f"{name}{index}"


def _escaped(text: str) -> str:
    """An id as pytest writes it in a node id: non-ASCII and unprintable characters escaped."""
    escaped = text.encode("unicode_escape").decode("ascii")
    return escaped.translate(_UNPRINTABLE)


_UNPRINTABLE = {i: f"\\x{i:02x}" for i in range(128) if i not in range(32, 127)}
_UNPRINTABLE.update({ord("\t"): "\\t", ord("\r"): "\\r", ord("\n"): "\\n"})
