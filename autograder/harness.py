"""What hidden graders are written with.

A grader is an ordinary pytest test that takes the `student` fixture, a `Submission`:

    @grader("dense_forward", points=2)
    def test_dense_forward_lecture_example(student):
        '''lecture example (3 samples, 3 neurons)'''
        call = student.call("dense_forward", X, W, b)
        check_close(call, expected, mistakes=[Mistake(NO_TRANSPOSE, X @ W + b)])

`student.call` runs the function on the student's side (in a sandboxed process when grading, or
in-process against `reference/` when the graders are tested) and returns a `Call` holding plain
data: the value returned, and the arguments as they were after the call. Every comparison runs
here, in the grader's process. A failed check raises `GraderFailure`, whose message is written for
the student: what was called, what came back, what was expected, and the known mistake that
explains the answer when there is one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

from autograder.sandbox import codec
from autograder.sandbox.codec import Remote

__all__ = [
    "KEEPDIMS", "RTOL", "ATOL", "Call", "GraderFailure", "Mistake", "Remote",
    "ReferenceSubmission", "StudentError", "Submission", "check", "check_close", "check_parts",
    "check_unchanged", "describe", "fail", "grader", "name_results", "unchanged_graders",
    "rel_error",
]

# The grading policy's tolerances for value checks (COURSE_SPEC.md, "Grading policy"): loose
# enough that numerically equivalent idioms agree (`np.log(p + 1e-7)` instead of clipping).
RTOL, ATOL = 1e-5, 1e-8


def grader(function: str, points: float, edge: str | tuple[str, ...] = ()):
    """Mark a test as a hidden grader of student function `function`, worth `points`; `edge`
    names the cells of the edge table it checks (autograder/graders/edges.py), if any."""
    edges = (edge,) if isinstance(edge, str) else tuple(edge)
    if edges:
        return pytest.mark.grader(function=function, points=points, edge=edges)
    return pytest.mark.grader(function=function, points=points)


@dataclass(frozen=True)
class Mistake:
    """A known mistake: a short title, and what the student should understand.

    `value` is what a student who makes the mistake gets back, or a predicate on the returned
    value. `lecture` points to the lecture (course_config.LECTURES key) that covers the topic.
    """

    title: str
    explanation: str
    lecture: str | None = None
    id: str | None = None  # stable, for the class report; the title's slug when not given

    @property
    def key(self) -> str:
        if self.id:
            return self.id
        return "-".join("".join(c if c.isalnum() else " " for c in self.title.lower()).split())

    def with_value(self, value: Any) -> MistakeCandidate:
        return MistakeCandidate(self, value)

    def describe(self) -> str:
        from autograder.config import lecture_name

        where = f" (see {lecture_name(self.lecture)})" if self.lecture else ""
        return f"Known mistake: {self.title}. {self.explanation}{where}"


@dataclass(frozen=True)
class MistakeCandidate:
    mistake: Mistake
    value: Any  # the answer the mistake produces, or a callable(value) -> bool

    def matches(self, value: Any, rtol: float, atol: float) -> bool:
        if callable(self.value):
            try:
                return bool(self.value(value))
            except Exception:
                return False
        try:
            return _close(value, self.value, rtol, atol)
        except Exception:  # a mistake that cannot even be compared does not explain the answer
            return False


class GraderFailure(AssertionError):
    """A grader's check failed; the message is for the student.

    `kind` is the StudentError kind when the student's function did not return at all
    ("timeout", "crash", ...), and None when it returned a wrong answer.
    """

    def __init__(self, message: str, mistake: Mistake | None = None, kind: str | None = None,
                 earned: float = 0.0):
        super().__init__(message)
        self.mistake = mistake
        self.kind = kind
        self.earned = earned  # the share of the check's points earned: results that were right


class StudentError(Exception):
    """The student's function did not return: it raised, timed out, crashed or is missing.

    `kind` is one of "exception", "timeout", "crash", "memory", "missing", "budget",
    "bad-output", "not-run" (the notebook itself could not be read or run).
    """

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass
class Call:
    """One call of a student function, all in plain data."""

    function: str
    args: tuple
    kwargs: dict
    value: Any
    args_after: tuple
    kwargs_after: dict
    seconds: float = 0.0
    output: str = ""
    context: Any = field(default=None, repr=False, compare=False)  # for diagnosis (grader-side)

    def describe(self) -> str:
        return describe_call(self.function, self.args, self.kwargs)


class Submission:
    """The student fixture's interface; a backend implements `_invoke`, `_define` and `has`."""

    assignment: str = ""
    time_limits = None  # engine.time_limits.TimeLimits: each call's limit (None: the backend's)

    def call(self, function: str, *args, **kwargs) -> Call:
        """Call `function` on the student's side. Raises GraderFailure when it does not return.

        A function that ran past its limit once is judged hung: its later calls fail at once
        with the same message (COURSE_SPEC.md, "Time limits"), unless the call only diagnoses.
        """
        hung = self.hung.get(function)
        if hung is not None and not self.diagnosing:
            raise GraderFailure(_judged_once(function, args, kwargs, hung), kind="timeout")
        limit = self.time_limits.limit(function, args, kwargs) if self.time_limits else None
        try:
            call = self._invoke(function, args, kwargs, limit.seconds if limit else None)
        except StudentError as error:
            message = _did_not_return(function, args, kwargs, error, limit)
            if error.kind == "timeout" and not self.diagnosing \
                    and not function.startswith("_nnfs"):
                self.hung.setdefault(function, message)
            # --- diagnosis hook (autograder/diagnosis/probes.py): name the assumption behind
            # a call that raises, from one more call on a nearby input; it costs no points.
            found = None
            if error.kind == "exception":
                from autograder.diagnosis import probes, to_mistake

                finding = probes.diagnose_raise(self, function, args, kwargs, error.message)
                found = to_mistake(finding) if finding else None
            if found is not None:
                message += "\n" + found.describe()
            raise GraderFailure(message, found, kind=error.kind) from None
        call.context = self._diagnosis
        return call

    @property
    def _diagnosis(self):
        """The reference modules and earlier checks' explanations (autograder/diagnosis)."""
        if "_diagnosis_context" not in self.__dict__:
            from autograder.diagnosis import Context, context_for

            self.__dict__["_diagnosis_context"] = (
                context_for(self.assignment) if self.assignment else Context())
        return self.__dict__["_diagnosis_context"]

    @property
    def hung(self) -> dict[str, str]:
        """function -> the message of its call that ran past its limit (judged once)."""
        return self.__dict__.setdefault("_hung", {})

    diagnosing: bool = False  # calls made only to diagnose a mistake: a timeout proves nothing

    def define(self, name: str, source: str) -> Remote:
        """Define the function `name` from grader-written `source` on the student's side.

        Returns a handle that can be passed as an argument (for functions that take a callable,
        such as `numerical_gradient`). The code runs only on the student's side.
        """
        self._define(name, source)
        self._diagnosis.defined[name] = source  # the diagnosis reruns the reference with it
        return Remote(name)

    def call_once(self, function: str, *args, **kwargs) -> Call:
        """`call`, remembered: the same call (while the same helpers are swapped) runs once.

        A failure is remembered too, and raised again. For long runs (a whole training) that
        several checks judge.
        """
        key = (function, codec_key(args), codec_key(kwargs), self.replaced)
        cache = self.__dict__.setdefault("_calls", {})
        if key not in cache:
            try:
                cache[key] = self.call(function, *args, **kwargs)
            except GraderFailure as failure:
                cache[key] = failure
        if isinstance(cache[key], GraderFailure):
            raise cache[key]
        return cache[key]

    replaced: tuple = ()  # student functions now replaced by the reference (engine reruns)

    @property
    def problems(self) -> dict:
        """function -> the first GraderFailure of its checks in this run."""
        return self.__dict__.setdefault("_problems", {})

    def has(self, function: str) -> bool:
        raise NotImplementedError

    def close(self) -> None:
        """Release whatever runs the submission (a sandboxed process); idempotent."""

    def _invoke(self, function: str, args: tuple, kwargs: dict,
                timeout: float | None = None) -> Call:
        """Run the call; `timeout` is its limit in seconds (None: the backend's own)."""
        raise NotImplementedError

    def _probe(self, function: str, args: tuple, kwargs: dict) -> Call:
        """A diagnosis's extra call (diagnosis/probes.py), at the function's own limit. It goes
        around call(), so its timeout proves nothing: it is not a hang (see `hung`)."""
        limit = self.time_limits.limit(function, args, kwargs) if self.time_limits else None
        return self._invoke(function, args, kwargs, limit.seconds if limit else None)

    def _define(self, name: str, source: str) -> None:
        raise NotImplementedError


class ReferenceSubmission(Submission):
    """The reference implementations, called in-process through the same plain-data codec.

    `overrides` replaces named functions (a mutant, in `nnfs-course validate`): a function, or
    the source of one, which then runs in the namespace as a notebook cell would (its calls of
    other functions find this namespace's functions).
    """

    def __init__(self, assignment: str, overrides: dict[str, Callable | str] | None = None):
        from autograder.config import get_assignment

        self.assignment = assignment
        module = get_assignment(assignment).reference_module()
        self._namespace = dict(vars(module))
        for name, override in (overrides or {}).items():
            if isinstance(override, str):
                exec(compile(override, f"<answer {name}>", "exec"), self._namespace)
            else:
                self._namespace[name] = override

    def has(self, function: str) -> bool:
        return callable(self._namespace.get(function))

    def _define(self, name: str, source: str) -> None:
        exec(compile(source, f"<grader helper {name}>", "exec"), self._namespace)

    def _invoke(self, function: str, args: tuple, kwargs: dict,
                timeout: float | None = None) -> Call:
        if not self.has(function):
            raise StudentError("missing", f"`{function}` is not defined")
        sent_args, sent_kwargs = _roundtrip(args), _roundtrip(kwargs)
        live_args = [self._resolve(a) for a in sent_args]
        live_kwargs = {k: self._resolve(v) for k, v in sent_kwargs.items()}
        start = time.perf_counter()
        try:
            value = self._namespace[function](*live_args, **live_kwargs)
        except Exception as error:  # the student's exception, reported as the student sees it
            raise StudentError("exception", f"{type(error).__name__}: {error}") from None
        seconds = time.perf_counter() - start
        try:
            value = _roundtrip(value)
        except codec.CodecError as error:
            raise StudentError("bad-output", str(error)) from None
        args_after = tuple(a if isinstance(a, Remote) else _roundtrip(b)
                           for a, b in zip(sent_args, live_args))
        kwargs_after = {k: v if isinstance(v, Remote) else _roundtrip(live_kwargs[k])
                        for k, v in sent_kwargs.items()}
        return Call(function, args, kwargs, value, args_after, kwargs_after, seconds)

    def _resolve(self, value):
        return self._namespace[value.name] if isinstance(value, Remote) else value


def _roundtrip(value):
    return codec.from_plain(codec.to_plain(value))


def codec_key(value) -> str:
    """A hashable key of plain data (arrays included)."""
    return repr(codec.to_plain(value))


# ----------------------------------------------------------------------------------------------
# Checks. Each raises GraderFailure with a message a student can act on.

def rel_error(a, b) -> float:
    """cs231n's relative error: max |a - b| / max(1e-8, |a| + |b|)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def fail(message: str, mistake: Mistake | None = None):
    raise GraderFailure(message, mistake)


def check(condition: bool, call: Call | None, message: str, mistake: Mistake | None = None):
    """Fail with `message` (after a description of `call`) unless `condition` holds."""
    if not condition:
        head = f"Called {call.describe()}\nIt returned {describe(call.value)}.\n" if call else ""
        text = head + message
        if mistake is not None:
            text += "\n" + mistake.describe()
        fail(text, mistake)


KEEPDIMS = Mistake(
    "keepdims left an extra axis",
    "The values are right, but the array has an extra axis of length 1: (1, m) where (m,) "
    "belongs. `np.sum(..., axis=0, keepdims=True)` (or a reshape) keeps the summed axis; "
    "leave out `keepdims` so the result has the shape the function's table gives.",
)

_RESULT_NAMES: dict[str, tuple[str, ...]] = {}


def name_results(function: str, *names: str) -> None:
    """Name the results of a function that returns a tuple, for its checks' verdicts."""
    _RESULT_NAMES[function] = names


def check_close(
    call: Call,
    expected: Any,
    *,
    rtol: float = RTOL,
    atol: float = ATOL,
    mistakes: Sequence[MistakeCandidate] = (),
    hint: str = "",
    why: str = "",
) -> None:
    """The call returned `expected` (same structure, shapes and values within tolerance).

    A function of several results (a tuple, a dict) is judged result by result: the failure
    says every result's verdict and earns the share of results that were right. `why` says why
    a check is stricter than the policy's tolerance, when it is.
    """
    actual = call.value
    problem = _difference(actual, expected, rtol, atol)
    if problem is None:
        return
    lines = [
        f"Called {call.describe()}",
        f"It returned {describe(actual)}",
        f"Expected    {describe(expected)}",
        problem,
    ]
    earned = 0.0
    parts = _parts(call.function, actual, expected)
    if parts:
        verdicts = [(label, _difference(a, e, rtol, atol)) for label, a, e in parts]
        earned = sum(p is None for _, p in verdicts) / len(verdicts)
        lines.append("Result by result: " + "; ".join(
            f"{label} right" if p is None else f"{label} wrong ({p})" for label, p in verdicts))
    if why:
        lines.append(why)
    from autograder.diagnosis import diagnose  # diagnosis hook: relations and reconstruction

    found = diagnose(call, expected, rtol, atol, mistakes, keepdims=KEEPDIMS.with_value(
        lambda value: _keepdims(value, expected, rtol, atol)))
    if found is not None:
        lines.append(found.describe())
    elif hint:
        lines.append(hint)
    raise GraderFailure("\n".join(lines), found, earned=earned)


def check_parts(call: Call, checks: dict[str, Callable[[], None]]) -> None:
    """Run one check per result (label -> check); fail with every result's verdict.

    The failure earns the share of results whose check passed, and carries the first named
    mistake among the failing ones.
    """
    failures = {}
    for label, one_check in checks.items():
        try:
            one_check()
        except GraderFailure as failure:
            failures[label] = failure
    if not failures:
        return
    first = next(iter(failures.values()))
    verdicts = "; ".join(f"{label} right" if label not in failures else f"{label} wrong"
                         for label in checks)
    mistake = next((f.mistake for f in failures.values() if f.mistake), None)
    text = "\n\n".join(str(f) for f in failures.values())
    raise GraderFailure(f"{text}\nResult by result: {verdicts}", mistake or first.mistake,
                        earned=1 - len(failures) / len(checks))


_NOT_GIVEN = object()


def check_unchanged(call: Call, expected: Any = _NOT_GIVEN, mistake: Mistake | None = None,
                    **close: Any) -> None:
    """The call returned `expected` and left every array argument as it was.

    A function that leaves its inputs alone by computing nothing earns nothing, so a grader
    gives the expected values too (`close` holds check_close's options), and the failure says
    both. Without `expected`, only the inputs are checked (for tests of the sandbox itself).
    """
    if isinstance(expected, Mistake):
        raise TypeError("check_unchanged(call, expected, mistake): give the expected values")
    if expected is _NOT_GIVEN:
        _check_all_unchanged(call, mistake)
        return
    try:
        check_close(call, expected, **close)
    except GraderFailure as failure:
        try:
            _check_all_unchanged(call, mistake)
        except GraderFailure as changed:
            found = failure.mistake or changed.mistake
            extra = changed.mistake.describe() if failure.mistake is None and changed.mistake \
                else ""
            raise GraderFailure(f"{failure}\n{_after_call(str(changed))}{extra}", found) from None
        raise
    _check_all_unchanged(call, mistake)


def _after_call(text: str) -> str:
    """A failure's text without its first line (the call, said already) and its mistake."""
    lines = text.split("\nKnown mistake:")[0].splitlines()[1:]
    return "\n".join(lines) + "\n"


def _check_all_unchanged(call: Call, mistake: Mistake | None) -> None:
    for i, (before, after) in enumerate(zip(call.args, call.args_after)):
        _check_one_unchanged(call, f"argument {i + 1}", before, after, mistake)
    for key, before in call.kwargs.items():
        _check_one_unchanged(call, f"argument {key}", before, call.kwargs_after.get(key), mistake)


def unchanged_graders(reference, cases: dict[str, tuple[float, tuple]], mistake: Mistake,
                      mistakes: Callable[[str, tuple], Sequence[MistakeCandidate]] | None = None):
    """One grader per function, "leaves its inputs unchanged": `cases` maps a function to
    (points, arguments). The expected values are the reference's, on copies of the arguments.
    `mistakes(function, args)` gives the known mistakes that may explain wrong values."""
    import copy

    params = [pytest.param(function, args, marks=grader(function, points), id=function)
              for function, (points, args) in cases.items()]

    @pytest.mark.parametrize("function, args", params)
    def test_leaves_inputs_unchanged(student, function, args):
        """leaves its inputs unchanged"""
        call = student.call(function, *args)
        expected = getattr(reference, function)(*copy.deepcopy(args))
        found = mistakes(function, args) if mistakes else ()
        check_unchanged(call, expected, mistake, mistakes=found)

    return test_leaves_inputs_unchanged


def _check_one_unchanged(call, label, before, after, mistake):
    if isinstance(before, Remote):
        return  # a function handle, not data
    if _difference(after, before, 0.0, 0.0) is not None:
        text = (
            f"Called {call.describe()}\n"
            f"It changed its {label}: it was {describe(before)} and is now {describe(after)}.\n"
            f"{_largest_change(before, after)}"
            "A function must return a new array and leave its inputs as they were."
        )
        if mistake is not None:
            text += "\n" + mistake.describe()
        fail(text, mistake)


def _largest_change(before, after) -> str:
    """The entry that changed most (clipping 0 to 1e-7 is invisible at six digits)."""
    try:
        b, a = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    except (TypeError, ValueError, OverflowError):
        return ""
    if b.shape != a.shape or not b.size:
        return ""
    i = np.unravel_index(int(np.argmax(np.nan_to_num(np.abs(a - b), nan=np.inf))), a.shape)
    where = f"at index {tuple(int(j) for j in i)} " if a.ndim else ""
    return f"The largest change: the entry {where}went from {b[i]:.9g} to {a[i]:.9g}.\n"


def _parts(function, actual, expected):
    """[(label, actual part, expected part)] of a tuple or dict result, else None."""
    if isinstance(expected, tuple) and isinstance(actual, (tuple, list)) \
            and len(actual) == len(expected) and len(expected) > 1:
        names = _RESULT_NAMES.get(function, ())
        labels = names if len(names) == len(expected) else [
            f"value {i + 1}" for i in range(len(expected))]
        return list(zip(labels, actual, expected))
    if isinstance(expected, dict) and isinstance(actual, dict) and len(expected) > 1 \
            and all(k in actual for k in expected):
        return [(str(k), actual[k], expected[k]) for k in expected]
    return None


def _keepdims(actual, expected, rtol, atol) -> bool:
    """Some array of `actual` holds the expected values with an extra axis of length 1."""
    if isinstance(expected, (tuple, dict)):
        parts = _parts("", actual, expected) or []
        return any(_keepdims(a, e, rtol, atol) for _, a, e in parts)
    try:
        a, e = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    except (TypeError, ValueError, OverflowError):
        return False
    return (a.shape != e.shape and a.ndim == e.ndim + 1 and a.size == e.size
            and 1 in a.shape and np.allclose(a.reshape(e.shape), e, rtol=rtol, atol=atol))


def _close(actual, expected, rtol, atol) -> bool:
    return _difference(actual, expected, rtol, atol) is None


def _difference(actual, expected, rtol, atol) -> str | None:
    """None when `actual` matches `expected`, else one sentence saying how it differs."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"Expected a dict, got {_kind(actual)}."
        missing = [k for k in expected if k not in actual]
        if missing:
            return f"The returned dict has no key {missing[0]!r}."
        for key in expected:
            problem = _difference(actual[key], expected[key], rtol, atol)
            if problem:
                return f"[{key!r}] {problem}"
        return None
    if isinstance(expected, tuple):
        if not isinstance(actual, (tuple, list)):
            return f"Expected a tuple of {len(expected)} values, got {_kind(actual)}."
        if len(actual) != len(expected):
            return f"Expected {len(expected)} values, got {len(actual)}."
        for i, (a, e) in enumerate(zip(actual, expected)):
            problem = _difference(a, e, rtol, atol)
            if problem:
                return f"Value {i + 1} of the tuple: {problem}"
        return None
    if isinstance(expected, list) and expected and isinstance(expected[0], np.ndarray):
        if not isinstance(actual, (list, tuple)) or len(actual) != len(expected):
            return f"Expected a list of {len(expected)} arrays, got {_kind(actual)}."
        for i, (a, e) in enumerate(zip(actual, expected)):
            problem = _difference(a, e, rtol, atol)
            if problem:
                return f"Item {i + 1} of the list: {problem}"
        return None
    if actual is None and expected is not None:
        return "Your function returned None: is its `return` statement missing?"
    try:
        a = np.asarray(actual, dtype=float)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an int past float's range
        return f"Expected a number or an array, got {_kind(actual)}."
    e = np.asarray(expected, dtype=float)
    if a.shape != e.shape:
        if _keepdims(a, e, rtol, atol):
            return (f"The shape is {a.shape}; it should be {e.shape}: the values are right, "
                    "with an extra axis of length 1 (`keepdims`).")
        return f"The shape is {a.shape}; it should be {e.shape}."
    if np.isnan(a).any() and not np.isnan(e).any():
        return "The answer contains nan."
    if np.isinf(a).any() and not np.isinf(e).any():
        return "The answer contains inf."
    with np.errstate(invalid="ignore", over="ignore"):
        # assert_allclose's own test (np.isclose) for finite expected values, without the
        # report it builds: a tenth of the cost, and the same verdict.
        if np.isfinite(e).all() and (np.abs(a - e) <= atol + rtol * np.abs(e)).all():
            return None
    try:
        np.testing.assert_allclose(a, e, rtol=rtol, atol=atol)
    except AssertionError:
        gap = np.nan_to_num(np.abs(a - e), nan=np.inf)
        worst = np.unravel_index(int(np.argmax(gap)), a.shape) if a.size else ()
        where = f" at index {tuple(int(i) for i in worst)}" if a.ndim else ""
        return (f"The values differ{where}: {_num(a[worst])} instead of {_num(e[worst])} "
                f"(tolerance rtol={rtol:g}, atol={atol:g}).")
    return None


def _kind(value) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return "None" if value is None else f"a {type(value).__name__}"


def _num(x) -> str:
    return f"{float(x):.6g}"


def describe(value: Any, limit: int = 300) -> str:
    """A short, readable rendering of plain data for feedback."""
    if isinstance(value, np.ndarray):
        with np.printoptions(precision=6, suppress=True, threshold=24, edgeitems=3,
                             linewidth=limit):
            body = np.array2string(value, separator=", ")
        body = " ".join(body.split())
        if len(body) > limit:
            body = body[: limit - 3] + "..."
        return body if value.ndim == 0 else f"{body} (shape {value.shape})"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, tuple):
        inner = ", ".join(describe(v, limit // 2) for v in value)
        return f"({inner}{',' if len(value) == 1 else ''})"
    if isinstance(value, list) and value and isinstance(value[0], np.ndarray):
        inner = ", ".join(describe(v, limit // 2) for v in value[:4])
        return f"[{inner}{', ...' if len(value) > 4 else ''}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {describe(v, limit // 2)}" for k, v in value.items()) + "}"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe_call(function: str, args: tuple, kwargs: dict) -> str:
    parts = [describe(a, 160) for a in args]
    parts += [f"{k}={describe(v, 160)}" for k, v in kwargs.items()]
    return f"{function}({', '.join(parts)})"


def _did_not_return(function: str, args: tuple, kwargs: dict, error: StudentError,
                    limit=None) -> str:
    call = describe_call(function, args, kwargs)
    if error.kind == "not-run":
        return f"Your notebook could not be run, so `{function}` was not graded: {error.message}"
    if error.kind == "missing":
        return (f"`{function}` is not defined in your notebook. Keep the function's name and "
                "signature as given, and run its cell.\n" + error.message)
    if error.kind == "exception":
        extra = ""
        if error.message.startswith("NotImplementedError"):
            extra = ("\nYou have not written this function yet: "
                     "replace `raise NotImplementedError()`.")
        return f"Called {call}\nIt raised {error.message}{extra}"
    if error.kind == "timeout":
        reference = limit.explain() if limit is not None else ""
        return (f"Called {call}\nIt did not return in time: {error.message}.\n"
                + (f"{reference} " if reference else "")
                + "An endless loop is the usual cause: check the loop condition.")
    return f"Called {call}\nIt did not return: {error.message}"


def _judged_once(function: str, args: tuple, kwargs: dict, first: str) -> str:
    return (f"Called {describe_call(function, args, kwargs)}\n"
            f"Not run: `{function}` ran past its time limit in an earlier check, and a function "
            "that does not return loses its later checks too (it is judged once, not once per "
            f"check). The earlier check:\n{first}")
