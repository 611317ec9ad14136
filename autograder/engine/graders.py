"""Run one assignment's hidden graders against one submission and collect every test's result."""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from autograder.config import COURSE_ROOT, get_assignment
from autograder.engine.helpers import (
    hung_helpers_note,
    hung_helpers_replaced,
    rerun_with_reference_helpers,
)
from autograder.harness import GraderFailure, Submission

ENGINE_PLUGIN = "nnfs-engine"


@dataclass
class TestResult:
    function: str
    description: str
    nodeid: str
    score: float
    max_score: float
    outcome: str  # "passed" | "failed" | "error"
    output: str = ""
    mistake: str | None = None
    lecture: str | None = None
    mistake_id: str | None = None  # the named mistake's stable id (Mistake.key)
    detail: str = ""  # why a grader broke ("error"), for the instructor: `Type: message`

    @property
    def name(self) -> str:
        return f"{self.function}: {self.description}"


@dataclass
class GraderRun:
    assignment: str
    tests: list[TestResult] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(t.score for t in self.tests)

    @property
    def max_score(self) -> float:
        return sum(t.max_score for t in self.tests)

    def by_function(self) -> dict[str, tuple[float, float]]:
        totals: dict[str, tuple[float, float]] = {}
        for t in self.tests:
            score, best = totals.get(t.function, (0.0, 0.0))
            totals[t.function] = (score + t.score, best + t.max_score)
        return totals


class EnginePlugin:
    """Hands the graders their submissions and records what each grader concluded.

    `submissions` maps a key (the student) to a function that opens that student's submission.
    The graders are parametrized over the keys with a module-scoped `student` fixture, so pytest
    runs every grader for one student, closes that submission, then moves to the next student.
    """

    def __init__(self, submissions: dict[str, Callable[[], Submission]],
                 on_done: Callable[[str, GraderRun], None] | None = None,
                 take: Callable[[str], bool] | None = None):
        self._factories = submissions
        self._on_done = on_done
        self._take = take
        self._taken: dict[str, bool] = {}
        self.runs: dict[str, GraderRun] = {}
        self._pending: dict[str, TestResult] = {}
        self._notes: dict[str, str] = {}  # nodeid -> what a passed check has to say
        self.collection_errors: list[str] = []

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item):
        """A check that fails because a student helper it calls is wrong is run again with the
        reference helper in its place; when that run is right, the check keeps its points and
        its output names the helper (the points stay lost on the helper's own checks)."""
        student = item.funcargs.get("student")
        marker = item.get_closest_marker("grader")
        if not isinstance(student, Submission) or marker is None:
            return (yield)
        function = marker.kwargs["function"]
        try:
            with hung_helpers_replaced(student, function) as called:
                result = yield
            if called:
                self._notes[item.nodeid] = hung_helpers_note(function, sorted(set(called)))
            return result
        except GraderFailure as failure:
            note = rerun_with_reference_helpers(student, function, failure, item.runtest)
            if note is None:
                student.problems.setdefault(function, failure)
                raise
            self._notes[item.nodeid] = note
            return None

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item, nextitem):
        """With `take`, a key is a slot that takes its submission only when its first check is
        reached; the first slot that gets none ends the session (the ones before it are closed
        as the session finishes)."""
        if self._take is None or not hasattr(item, "callspec"):
            return None
        key = item.callspec.params.get("student")
        if key not in self._taken:
            self._taken[key] = self._take(key)
        if self._taken[key]:
            return None
        item.session.shouldstop = "no submission left"
        return True

    def pytest_generate_tests(self, metafunc):
        if "student" in metafunc.fixturenames:
            keys = list(self._factories)
            metafunc.parametrize("student", keys, indirect=True, scope="module", ids=keys)

    def pytest_collection_modifyitems(self, items):
        # The message of a GraderFailure is the whole report; formatting its traceback would
        # cost tens of milliseconds per failed grader and say nothing more.
        for item in items:
            item.repr_failure = _quick_repr(item.repr_failure)

    def open(self, assignment: str, key: str) -> Submission:
        self.runs[key] = GraderRun(assignment)
        return self._factories[key]()

    def close(self, key: str, submission: Submission) -> None:
        submission.close()
        if self._on_done is not None:
            self._on_done(key, self.runs[key])

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        marker = item.get_closest_marker("grader")
        if marker is None:
            return
        result = self._pending.get(item.nodeid)
        if result is None:
            doc = (item.function.__doc__ or item.name).strip().splitlines()[0].strip()
            result = TestResult(
                function=marker.kwargs["function"],
                description=doc.rstrip("."),
                nodeid=item.nodeid,
                score=0.0,
                max_score=float(marker.kwargs["points"]),
                outcome="passed",
            )
            self._pending[item.nodeid] = result
            self.runs[item.callspec.params["student"]].tests.append(result)
        if report.passed and report.when == "call":
            result.score = result.max_score
            result.output = self._notes.pop(item.nodeid, "")
        elif report.failed:
            result.score = 0.0
            error = call.excinfo.value if call.excinfo else None
            if isinstance(error, GraderFailure):
                result.outcome = "failed"
                # the share of the check's results that were right (one mistake charged once)
                result.score = result.max_score * min(max(error.earned, 0.0), 1.0)
                result.output = str(error)
                result.mistake = error.mistake.title if error.mistake else None
                result.lecture = error.mistake.lecture if error.mistake else None
                result.mistake_id = error.mistake.key if error.mistake else None
            else:
                # A grader that breaks is our bug, not the student's: say so plainly. Its
                # traceback would show the hidden grader's code: it is never written out.
                result.outcome = "error"
                result.output = (
                    "The grader could not finish this check "
                    f"({type(error).__name__ if error else 'error'} in {report.when}). "
                    "Your instructor has been told."
                )
                text = f"{type(error).__name__}: {error}" if error else report.when
                result.detail = _short(text.strip().splitlines()[0] if text.strip() else "", 300)

    def pytest_collectreport(self, report):
        if report.failed:
            self.collection_errors.append(report.longreprtext)


# pytest's own plugins that grading does not need; leaving them out saves start-up time. Output
# capture and per-test warning filters cost about 5 ms per student: stdout and stderr are
# redirected around the whole run instead, and every warning is ignored (as `-W ignore` did).
_UNUSED_PLUGINS = ["cacheprovider", "doctest", "junitxml", "pastebin", "nose", "legacypath",
                   "stepwise", "terminal", "logging", "tmpdir", "monkeypatch", "recwarn",
                   "faulthandler", "setuponly", "setupplan", "randomly", "unraisableexception",
                   "threadexception", "debugging", "capture", "warnings"]
# Third-party pytest plugins (anyio's, platformdirs') are never needed by the graders; loading
# them cost about 0.5 s in each grading worker.
_NO_AUTOLOAD = ["--disable-plugin-autoload"] if pytest.version_tuple >= (8, 4) else []


def run_graders_batch(assignment_id: str, submissions: dict[str, Callable[[], Submission]],
                      on_done: Callable[[str, GraderRun], None] | None = None,
                      root: Path = COURSE_ROOT,
                      take: Callable[[str], bool] | None = None) -> dict[str, GraderRun]:
    """Run every hidden grader of `assignment_id` against each submission, in one pytest run.

    The graders are those of the course at `root` (a copy of the course, in validate's tests).
    With `take`, the keys are slots: `take(key)` is asked, when pytest reaches a slot, whether
    it has a submission to grade; the session ends at the first slot that has none.
    """
    assignment = get_assignment(assignment_id, root)
    plugin = EnginePlugin(submissions, on_done, take)
    args = [str(assignment.grader_file(root)), "-W", "ignore",
            "-o", "addopts=", "-o", "filterwarnings=", "-o", "testpaths=",
            "--rootdir", str(root)]
    args += _NO_AUTOLOAD
    for name in _UNUSED_PLUGINS:
        args += ["-p", f"no:{name}"]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code = pytest.main(args, plugins=[_Registered(plugin), _PassingReports()])
    if plugin.collection_errors or code in (pytest.ExitCode.USAGE_ERROR,
                                            pytest.ExitCode.INTERNAL_ERROR):
        raise RuntimeError(
            f"the graders of {assignment_id} could not run (pytest exit {int(code)}):\n"
            + "\n".join(plugin.collection_errors)
        )
    return plugin.runs


def run_graders(assignment_id: str, submission: Submission) -> GraderRun:
    """Run every hidden grader of `assignment_id` against one submission."""
    return run_graders_batch(assignment_id, {"submission": lambda: submission})["submission"]


class _Registered:
    """Registers the engine plugin under the name the `student` fixture looks for."""

    def __init__(self, plugin: EnginePlugin):
        self.plugin = plugin

    def pytest_configure(self, config):
        config.pluginmanager.register(self.plugin, ENGINE_PLUGIN)


class _PassingReports:
    """Reports of the phases that passed, made without what nothing here reads.

    pytest's own report of every phase works out the test's location and copies its keywords:
    a tenth of the graders' run, three times per check. A phase that passed needs neither (no
    terminal or XML report is written); failures and skips still get pytest's own report.
    """

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_makereport(self, item, call):
        if call.excinfo is not None:
            return None
        return pytest.TestReport(item.nodeid, (item.nodeid, None, item.name), {}, "passed",
                                 None, call.when, (), call.duration, call.start, call.stop)


def _quick_repr(original):
    def repr_failure(excinfo, *args, **kwargs):
        if isinstance(excinfo.value, GraderFailure):
            return str(excinfo.value)
        return original(excinfo, *args, **kwargs)

    return repr_failure


def _short(text: str, limit: int = 1500) -> str:
    return text if len(text) <= limit else text[-limit:]
