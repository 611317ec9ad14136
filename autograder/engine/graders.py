"""Run one assignment's hidden graders against submissions and collect every check's result.

The engine runs them with its own runner (runner.py): the checks are collected once per process
and run per student without pytest's per-test machinery. `under_pytest=True` runs the same grader
files under pytest instead, with the plugin below handing each student's submission to the
graders' `student` fixture (conftest.py); both make identical results (outcomes.py), which
tests/engine/test_runner.py proves. Run plainly, without the plugin, pytest grades the reference:
that is how CI and the maintainer run the grader files.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

import pytest

from autograder.config import COURSE_ROOT, get_assignment
from autograder.engine.outcomes import (
    GraderRun,
    StopGrading,
    TestResult,
    failed,
    helper_reruns,
    new_result,
    passed,
    quiet,
)
from autograder.engine.runner import run_checks
from autograder.harness import GraderFailure, Submission

__all__ = ["ENGINE_PLUGIN", "GraderRun", "StopGrading", "TestResult", "run_graders",
           "run_graders_batch"]

ENGINE_PLUGIN = "nnfs-engine"


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
        """Each check runs under the course's helper rules (outcomes.helper_reruns)."""
        student = item.funcargs.get("student")
        marker = item.get_closest_marker("grader")
        if not isinstance(student, Submission) or marker is None:
            return (yield)
        result = None  # a failure the rerun made good returns nothing
        with helper_reruns(student, marker.kwargs["function"], item.runtest) as notes:
            result = yield
        if notes:
            self._notes[item.nodeid] = notes[0]
        return result

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
        with _exit_on_stop():
            return self._factories[key]()

    def close(self, key: str, submission: Submission) -> None:
        submission.close()
        if self._on_done is not None:
            with _exit_on_stop():
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
            result = new_result(marker.kwargs["function"], item.function.__doc__, item.name,
                                item.nodeid, marker.kwargs["points"])
            self._pending[item.nodeid] = result
            self.runs[item.callspec.params["student"]].tests.append(result)
        if report.passed and report.when == "call":
            passed(result, self._notes.pop(item.nodeid, ""))
        elif report.failed:
            failed(result, call.excinfo.value if call.excinfo else None, report.when)

    def pytest_collectreport(self, report):
        if report.failed:
            self.collection_errors.append(report.longreprtext)


# pytest's own plugins that grading does not need; leaving them out saves start-up time. Output
# capture and warning filters are left out too: outcomes.quiet() is around the whole run.
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
                      take: Callable[[str], bool] | None = None,
                      *, under_pytest: bool = False) -> dict[str, GraderRun]:
    """Run every hidden grader of `assignment_id` against each submission, student by student.

    `submissions` maps a key to a function that opens that submission; `on_done(key, run)` is
    called as each one is closed. The graders are those of the course at `root` (a copy of the
    course, in validate's tests). With `take`, the keys are slots: `take(key)` is asked, when
    the graders reach a slot, whether it has a submission to grade; the batch ends at the first
    slot that has none. StopGrading raised by an opener or by `on_done` ends it too. With
    `under_pytest`, the graders run under pytest (the same results, at pytest's cost).
    """
    if not under_pytest:
        return run_checks(assignment_id, submissions, on_done, root, take)
    return _run_under_pytest(assignment_id, submissions, on_done, root, take)


def _run_under_pytest(assignment_id: str, submissions: dict[str, Callable[[], Submission]],
                      on_done: Callable[[str, GraderRun], None] | None, root: Path,
                      take: Callable[[str], bool] | None) -> dict[str, GraderRun]:
    assignment = get_assignment(assignment_id, root)
    plugin = EnginePlugin(submissions, on_done, take)
    args = [str(assignment.grader_file(root)), "-W", "ignore",
            "-o", "addopts=", "-o", "filterwarnings=", "-o", "testpaths=",
            "--rootdir", str(root)]
    args += _NO_AUTOLOAD
    for name in _UNUSED_PLUGINS:
        args += ["-p", f"no:{name}"]
    with quiet():
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


@contextlib.contextmanager
def _exit_on_stop():
    """StopGrading ends the pytest session as it ends the engine's runner."""
    try:
        yield
    except StopGrading as stop:
        pytest.exit(str(stop) or "grading stopped")
