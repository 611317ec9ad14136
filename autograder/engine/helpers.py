"""One mistake charged once: rerun a failed check with the reference in place of the student's
helpers.

A student's `train_classifier` may call the student's own `init_params`; when `init_params`
returns `(1, n)` biases the training's checks fail too, though the loop is right. After a check
of function F fails, the student's side is asked which other graded functions F refers to. Those
are replaced, in the student's namespace, by the reference (wrapped, to record which ones F
really calls), the check runs again, and the student's versions are put back. When the rerun is
right and F called a replaced helper, the check keeps its points and says which helper was wrong.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from autograder.config import get_assignment
from autograder.harness import GraderFailure, Submission

# Kinds of failure a rerun cannot change (or must not repeat: a timeout would cost its limit again).
_NO_RERUN = {"timeout", "budget", "crash", "memory", "missing", "not-run", "bad-output"}

_PROBE = '''
def _nnfs_refers_to(name, candidates):
    import types
    function, seen, found = globals().get(name), set(), set()
    codes = [getattr(function, "__code__", None)]
    while codes:
        code = codes.pop()
        if not isinstance(code, types.CodeType) or id(code) in seen:
            continue
        seen.add(id(code))
        found.update(n for n in code.co_names if n in candidates)
        codes.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
    found.discard(name)
    return sorted(found)


def _nnfs_refers_to_all(names):
    return {name: _nnfs_refers_to(name, names) for name in names}


def _nnfs_helpers_called():
    return sorted(set(_nnfs_called))
'''


def rerun_with_reference_helpers(student: Submission, function: str, failure: GraderFailure,
                                 rerun: Callable[[], None]) -> str | None:
    """The note of a check that passes with the reference helpers, or None (the failure stands)."""
    if failure.kind in _NO_RERUN or student.replaced or not student.assignment:
        return None
    assignment = _assignment(student)
    candidates = [f for f in _functions(student) if f != function]
    student.diagnosing = True  # the rerun only diagnoses: a timeout in it proves nothing
    try:
        helpers = _refers_to(student, function, candidates)
        if not helpers:
            return None
        try:
            called = _with_reference(student, assignment, helpers, rerun)
        except Exception:  # the rerun failed too (or broke): the first failure stands
            return None
    finally:
        student.diagnosing = False
    # a remembered call (student.call_once) does not run again, nor call its helpers again
    seen = student.__dict__.setdefault("_helpers_called", {}).setdefault(
        (function, tuple(helpers)), set())
    seen.update(called if isinstance(called, list) else [])
    called = sorted(seen)
    if not called:
        return None
    lines = [f"This check passes once your {', '.join(f'`{h}`' for h in called)} "
             f"{'is' if len(called) == 1 else 'are'} replaced by a correct version, so "
             f"`{function}` keeps its points here; the points are lost on the helper's own checks."]
    for helper in called:
        problem = student.problems.get(helper)
        what = _summary(problem) if problem is not None else "it differs from the reference"
        lines.append(f"Your `{function}` calls your `{helper}`, which is wrong: {what}")
    lines.append("What the check found with your own helper:\n" + str(failure))
    return "\n".join(lines)


@contextlib.contextmanager
def hung_helpers_replaced(student: Submission, function: str):
    """Run a check of `function` with every hung student function it refers to replaced by the
    reference (a hang is judged once; its callers are graded as usual). Yields a list that ends
    up holding the hung helpers the check called ([] when nothing was replaced)."""
    called: list[str] = []
    hung = [h for h in student.hung if h != function]
    if not hung or student.replaced or not student.assignment:
        yield called
        return
    assignment = _assignment(student)
    known = student.__dict__.setdefault("_refers_to_hung", {})
    key = (function, tuple(hung))
    if key not in known:
        student.diagnosing = True
        try:
            known[key] = _refers_to(student, function, hung)
        finally:
            student.diagnosing = False
    helpers = known[key]
    if not helpers:
        yield called
        return
    student.define("_nnfs_swap", _swap_source(assignment, helpers))
    student.replaced = tuple(helpers)
    try:
        yield called
        found = student.call("_nnfs_helpers_called").value
        called += found if isinstance(found, list) else []
    finally:
        student.replaced = ()
        student.define("_nnfs_restore", _RESTORE)


def _refers_to(student: Submission, function: str, candidates: list[str]) -> list[str]:
    """The candidates `function` refers to on the student's side ([] when that is unknown).

    The student's side is asked once, for every graded function of the assignment, the first
    time a check needs it; the names a function's code refers to do not change while it is
    graded (a function that rebinds the notebook's names keeps state, which the spec rules out).
    """
    names = list(_functions(student))
    known = student.__dict__.get("_refers_to")
    try:
        if not student.__dict__.get("_probe_defined"):
            student.define("_nnfs_probe", _PROBE)
            student.__dict__["_probe_defined"] = True
        if function not in names or not set(candidates) <= set(names):  # asked on its own
            helpers = student.call("_nnfs_refers_to", function, candidates).value
        else:
            if known is None:
                known = student.call("_nnfs_refers_to_all", names).value
                student.__dict__["_refers_to"] = known = \
                    known if isinstance(known, dict) else {}
            helpers = known.get(function)
    except GraderFailure:
        return []  # asked again next time
    return [h for h in helpers if h in candidates] if isinstance(helpers, list) else []


def _assignment(student: Submission):
    """The student's assignment, read once per submission."""
    if "_assignment" not in student.__dict__:
        student.__dict__["_assignment"] = get_assignment(student.assignment)
    return student.__dict__["_assignment"]


def _functions(student: Submission) -> tuple[str, ...]:
    """The assignment's graded functions, read once per submission."""
    if "_graded_functions" not in student.__dict__:
        student.__dict__["_graded_functions"] = tuple(_assignment(student).functions)
    return student.__dict__["_graded_functions"]


def _with_reference(student: Submission, assignment, helpers: list[str],
                    run: Callable[[], None]) -> list:
    """Run `run` with `helpers` replaced by the reference; the helpers it called."""
    student.define("_nnfs_swap", _swap_source(assignment, helpers))
    student.replaced = tuple(helpers)
    try:
        run()
        called = student.call("_nnfs_helpers_called").value
    finally:
        student.replaced = ()
        student.define("_nnfs_restore", _RESTORE)
    return called if isinstance(called, list) else []


def hung_helpers_note(function: str, called: list[str]) -> str:
    """What a check graded with the reference in place of hung helpers says."""
    names = ", ".join(f"`{h}`" for h in called)
    return (f"Your {names} did not return in time in {'its' if len(called) == 1 else 'their'} "
            f"own checks, so this check of `{function}` ran with a correct version in its "
            "place; the points are lost on the helper's own checks.")


def _summary(problem: GraderFailure) -> str:
    if problem.mistake is not None:
        return f"{problem.mistake.title}."
    text = [line for line in str(problem).splitlines() if line.strip()]
    return text[-1] if text else "see its checks."


def _swap_source(assignment, helpers: list[str]) -> str:
    from autograder.reference_code import function_source, reference_function

    parts = [f"_nnfs_saved = {{n: globals().get(n) for n in {helpers!r}}}", "_nnfs_called = []"]
    for name in helpers:
        source = function_source(reference_function(assignment, name))
        parts.append(source.replace(f"def {name}(", f"def _nnfs_reference_{name}(", 1))
        parts.append(f"def {name}(*args, **kwargs):\n"
                     f"    _nnfs_called.append({name!r})\n"
                     f"    return _nnfs_reference_{name}(*args, **kwargs)\n")
    return "\n\n".join(parts)


_RESTORE = '''
for _nnfs_name, _nnfs_value in _nnfs_saved.items():
    if _nnfs_value is None:
        globals().pop(_nnfs_name, None)
    else:
        globals()[_nnfs_name] = _nnfs_value
'''
