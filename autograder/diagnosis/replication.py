"""Replication: a claim that no earlier check of the function supports is tried once more, on
the same inputs with other numbers, before it is named (acceptance.py holds the other rules of
when an explanation becomes a name). A relation of the inputs gives another value there; a
coincidence of this check's numbers does not hold.
"""

from __future__ import annotations

import copy

import numpy as np

from autograder.diagnosis import combined
from autograder.diagnosis.acceptance import VALUE_RELATIONS, comparable, key, size_findings
from autograder.diagnosis.relations import Finding, explain


def perturbed(args: tuple, kwargs: dict):
    """The call's inputs with every number argument changed (floats in (0, 1) moved halfway to
    their nearer end, other floats times 1.5, counts above 1 doubled): a relation of the inputs
    gives another value there, a coincidence does not hold. None when there is no such
    argument."""
    def change(x):
        if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
            return x
        if isinstance(x, (int, np.integer)):
            return x * 2 if x > 1 else x
        if 0 < x < 1:  # a rate, a beta, a decay: it stays in (0, 1)
            return x / 2 if x < 0.5 else (1 + x) / 2
        return x * 1.5
    new_args = tuple(change(x) for x in args)
    new_kwargs = {k: change(v) for k, v in kwargs.items()}
    same = all(a is b for a, b in zip(args, new_args)) and all(
        new_kwargs[k] is kwargs[k] for k in kwargs)
    return None if same else (new_args, new_kwargs)


def replicated(context, call, finding: Finding, rtol, atol) -> bool:
    """False only where the claim is tried on perturbed inputs and does not reproduce the
    student's result there; a probe that cannot run proves nothing (True). Two mistakes at
    once (combined.py) are a claim that more coincidences fit: they must be reproduced there."""
    untried = not combined.is_combined(finding)  # what a replication that cannot run proves
    submission = context.submission
    inputs = perturbed(call.args, call.kwargs)
    if submission is None or inputs is None or finding.tier < 3:
        return untried
    cache = context.history.setdefault(f"replica:{call.function}", {})
    k = key(finding)
    if k in cache:
        return cache[k]
    if len(cache) >= 2:  # probing must not cost a slow answer its budget
        return untried
    cache[k] = untried
    from autograder.diagnosis.probes import _reference
    from autograder.diagnosis.reconstruct import _long_running, evaluated
    from autograder.sandbox.calls import StudentError

    reference = _reference(context.modules, call.function)
    if reference is None or call.function in _long_running():
        return untried
    args, kwargs = inputs
    try:
        expected = reference(*copy.deepcopy(args), **copy.deepcopy(kwargs))
        actual = submission._probe(call.function, args, kwargs).value
    except (StudentError, Exception):
        return untried
    if combined.is_combined(finding):  # both parts again, on the other numbers
        kept = evaluated(context.modules, call.function, args, kwargs, expected, rtol, atol,
                         context.defined)
        cache[k] = k in {key(f) for f, _ in combined.combine(actual, expected, args, kept, rtol,
                                                             atol)}
        return cache[k]
    if finding.id.startswith(VALUE_RELATIONS) or finding.id == "rounded":
        keys = {key(f) for f in explain(actual, expected, args, rtol, atol)
                + size_findings(actual, expected, args, rtol, atol)}
        cache[k] = k in keys or not comparable(actual, expected)
        return cache[k]
    for each in evaluated(context.modules, call.function, args, kwargs, expected, rtol, atol,
                          context.defined):
        if key(each.finding) != k:
            continue
        if each.fits(actual, rtol, atol):
            return True
        if each.refutes(actual, rtol, atol):
            cache[k] = False  # tried there: another value than the student's
    return cache[k]
