"""The `student` fixture's interface, `Submission`, and its in-process reference backend.

`student.call` runs the function on the student's side (in a sandboxed process when grading:
engine/sandboxed.py, or in-process against `reference/` when the graders are tested) and returns
a `Call` of plain data. A call that does not return raises `GraderFailure` with the message the
student reads.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from autograder.checks.mistakes import GraderFailure
from autograder.sandbox import codec
from autograder.sandbox.calls import Call, StudentError, describe_call
from autograder.sandbox.codec import Remote


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
            if error.kind in ("exception", "bad-output"):
                from autograder.diagnosis import probes, to_mistake

                finding = probes.diagnose_raise(self, function, args, kwargs, error.message,
                                                error.kind)
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
            self.__dict__["_diagnosis_context"].submission = self
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
