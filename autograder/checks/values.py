"""The checks of a returned value. Each raises GraderFailure with a message a student can act on."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograder.checks.compare import _difference, _keepdims, _parts
from autograder.checks.mistakes import (
    ATOL,
    KEEPDIMS,
    RTOL,
    GraderFailure,
    Mistake,
    MistakeCandidate,
)
from autograder.sandbox.calls import Call, describe
from autograder.sandbox.codec import Remote


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
                    *, ordinary: Callable[[], Call] | None = None,
                    **close: Any) -> None:
    """The call returned `expected` and left every array argument as it was.

    A function that leaves its inputs alone by computing nothing earns nothing, so a grader
    gives the expected values too (`close` holds check_close's options), and the failure says
    both. Without `expected`, only the inputs are checked (for tests of the sandbox itself).

    An edge check gives `ordinary`, which calls the function once more on the arguments of its
    row of "leaves its inputs unchanged": a change of the edge's inputs is then charged here
    only where that call leaves its own inputs as they were (`z[z > 50] = 50` changes only
    large z, which the row never passes). Where that call changes them too, or raises, the row
    charges it: one mistake, charged once. The extra call is made only after a change.
    """
    if isinstance(expected, Mistake):
        raise TypeError("check_unchanged(call, expected, mistake): give the expected values")
    if expected is _NOT_GIVEN:
        _check_all_unchanged(call, mistake, ordinary)
        return
    try:
        check_close(call, expected, **close)
    except GraderFailure as failure:
        try:
            _check_all_unchanged(call, mistake, ordinary)
        except GraderFailure as changed:
            found = failure.mistake or changed.mistake
            extra = changed.mistake.describe() if failure.mistake is None and changed.mistake \
                else ""
            raise GraderFailure(f"{failure}\n{_after_call(str(changed))}{extra}", found) from None
        raise
    _check_all_unchanged(call, mistake, ordinary)


def _after_call(text: str) -> str:
    """A failure's text without its first line (the call, said already) and its mistake."""
    lines = text.split("\nKnown mistake:")[0].splitlines()[1:]
    return "\n".join(lines) + "\n"


def _check_all_unchanged(call: Call, mistake: Mistake | None, ordinary=None) -> None:
    if ordinary is not None and not _only_here(call, ordinary):
        return
    for i, (before, after) in enumerate(zip(call.args, call.args_after)):
        _check_one_unchanged(call, f"argument {i + 1}", before, after, mistake)
    for key, before in call.kwargs.items():
        _check_one_unchanged(call, f"argument {key}", before, call.kwargs_after.get(key), mistake)


def _only_here(call: Call, ordinary: Callable[[], Call]) -> bool:
    """`call` changed an input, and the call on the unchanged row's arguments did not."""
    if not _changed(call):
        return False
    try:
        return not _changed(ordinary())
    except Exception:  # it raised there: the unchanged row fails on it
        return False


def _changed(call: Call) -> bool:
    pairs = [*zip(call.args, call.args_after),
             *((v, call.kwargs_after.get(k)) for k, v in call.kwargs.items())]
    return any(not isinstance(before, Remote) and after is not before
               and _difference(after, before, 0.0, 0.0) is not None for before, after in pairs)


def _check_one_unchanged(call, label, before, after, mistake):
    if isinstance(before, Remote) or after is before:
        return  # a function handle, not data; or an argument the child reported as sent
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
