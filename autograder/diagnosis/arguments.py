"""Relations that change one argument of the reference: a common constant in its place (an
epsilon, h = 1e-4, momentum = 0.9), its default, 0, 1 for a step count, one more or one less,
and a common epsilon added to an input. Grader-side only, as reconstruct.py, which runs them.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import NamedTuple

import numpy as np

from autograder.diagnosis.relations import Finding

Candidate = tuple[Finding, Callable[[], object]]


def _is_array(x) -> bool:
    return isinstance(x, np.ndarray) and x.dtype.kind in "fiub" and x.size >= 2


class Unproven(NamedTuple):
    """A candidate's value that another reading of the answer gives too (a constant 1e-6 where
    0 gives the same): a fit proves nothing, a value that is not the student's still refutes."""

    value: object


# the constants other sources hard-code as an epsilon (PyTorch, Keras, d2l, cs231n, Ng)
EPSILONS = (1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10)


def fixed_epsilons(f, args, kwargs):
    """(name, constant, args, kwargs): `f` with its epsilon parameter fixed at a common
    constant other than the value this call passes."""
    try:
        params = list(inspect.signature(f).parameters)
    except (TypeError, ValueError):
        return
    for i, name in enumerate(params):
        if name not in ("epsilon", "eps"):
            continue
        passed = kwargs.get(name, args[i] if i < len(args) else None)
        for fixed in EPSILONS:
            if passed is not None and np.isclose(passed, fixed, rtol=1e-9, atol=0):
                continue
            new_args, new_kwargs = list(args), dict(kwargs)
            if i < len(args):
                new_args[i] = fixed
            else:
                new_kwargs[name] = fixed
            yield name, fixed, tuple(new_args), new_kwargs


def unless_same(thunk, other):
    """`thunk`'s value, Unproven where `other` gives the same (a fit proves nothing)."""
    from autograder.diagnosis.relations import ATOL, RTOL, _structure_close

    def value():
        mine = thunk()
        try:
            theirs = other()
        except Exception:  # the other cannot run there (h = 0 divides by 0): it differs
            return mine
        return Unproven(mine) if _structure_close(mine, theirs, RTOL, ATOL) else mine
    return value


def epsilon_added(ref, args, run) -> Iterator[Candidate]:
    """The reference on one float input plus a common epsilon: log(p + 1e-5), 1 / (x + 1e-8)."""
    for i, x in enumerate(args):
        if not (_is_array(x) and x.dtype.kind == "f"):
            continue
        for eps in EPSILONS:
            changed = list(args)
            changed[i] = x + eps
            yield (Finding("input-plus-epsilon", f"{eps:g} added to argument {i + 1}",
                           f"your result is the expected one for argument {i + 1} + {eps:g}: a "
                           "constant is added to that input where the formula has none (as in "
                           f"log(p + {eps:g})). Leave it out: clip where the formula clips.", 3),
                   run(ref, changed))


def ignored(ref, args, kwargs, run) -> Iterator[Candidate]:
    try:
        params = list(inspect.signature(ref).parameters.values())
    except (TypeError, ValueError):
        return
    for i, x in enumerate(args):
        if i >= len(params):
            break
        default = params[i].default
        if isinstance(x, int) and not isinstance(x, bool):
            for step, words in ((1, "one too many"), (-1, "one too few")):
                changed = list(args)
                changed[i] = x + step
                yield (Finding("argument-off-by-one", f"`{params[i].name}` off by one",
                               f"your result is the expected one for {params[i].name} = "
                               f"{x + step} instead of {x}: a count that is {words} (a counter "
                               "incremented before it is used, or counted from 0).", 3),
                       run(ref, changed))
            yield from _fixed_count(ref, params[i].name, i, x, default, args, run)
            continue
        yield from _fixed(ref, params[i].name, i, x, default, args, run)
        if default is not inspect.Parameter.empty and not _equal(default, x):
            changed = list(args)
            changed[i] = default
            yield (Finding("argument-default", f"argument `{params[i].name}` ignored",
                           f"your result is the expected one for {params[i].name}={default!r}, "
                           f"its default: the value passed ({x!r}) is not used. Use the "
                           "argument, not a constant.", 3), run(ref, changed))
        elif isinstance(x, (float, np.ndarray)) and np.any(x):
            changed = list(args)
            changed[i] = x * 0.0
            yield (Finding("argument-ignored", f"argument `{params[i].name}` ignored",
                           f"your result is the expected one with {params[i].name} = 0: that "
                           "argument is never used. Put it into the formula.", 3),
                   run(ref, changed))
    for key, value in kwargs.items():
        match = [p for p in params if p.name == key]
        if match and match[0].default is not inspect.Parameter.empty \
                and not _equal(match[0].default, value):
            changed = dict(kwargs)
            changed[key] = match[0].default
            yield (Finding("argument-default", f"argument `{key}` ignored",
                           f"your result is the expected one for {key}={match[0].default!r}, "
                           f"its default: the value passed ({value!r}) is not used.", 3),
                   run(ref, args, changed))


# the constants a scalar argument is replaced by when code hard-codes it (h = 1e-4 in "deep
# learning from scratch", eps = 1e-8 in cs231n, lr = 0.01, momentum = 0.9 ...)
CONSTANTS = (0.9, 0.99, 0.999, 1e-2, 1e-3, 1e-4, *EPSILONS)


def _fixed(ref, name, i, x, default, args, run) -> Iterator[Candidate]:
    """The reference with a float scalar argument replaced by a common constant (its default
    is `argument-default`'s)."""
    if not isinstance(x, (float, np.floating)) or not x:
        return
    if x != 1.0 and not (default is not inspect.Parameter.empty and _equal(default, 1.0)):
        changed, zero = list(args), list(args)
        changed[i], zero[i] = 1.0, 0.0
        yield (Finding("argument-fixed", f"argument `{name}` left out (taken as 1)",
                       f"your result is the expected one for {name} = 1, not the {x:g} passed: "
                       f"{name} is never multiplied in (a factor left out of the formula, or "
                       f"`{name} = 1` in your code). Multiply it in.", 3),
               unless_same(run(ref, changed), run(ref, zero)))
    for fixed in CONSTANTS:
        if np.isclose(fixed, x, rtol=1e-9, atol=0) or (
                default is not inspect.Parameter.empty and _equal(default, fixed)):
            continue
        changed, zero = list(args), list(args)
        changed[i], zero[i] = fixed, 0.0
        yield (Finding("argument-fixed", f"argument `{name}` replaced by {fixed:g}",
                       f"your result is the expected one for {name} = {fixed:g}, not the "
                       f"{x:g} passed: the argument is overwritten by a constant in your code "
                       f"(`{name} = {fixed:g}`). Use the value passed in.", 3),
               unless_same(run(ref, changed), run(ref, zero)))


def _fixed_count(ref, name, i, x, default, args, run) -> Iterator[Candidate]:
    """The reference with an integer argument (a step count, an iteration) taken as 1 or 0:
    code that never reads it, or a formula right only there (1 - beta for 1 - beta**t). Where
    x - 1 is that constant too, "off by one" fits as well: a tie that only another check's
    inputs decide."""
    for fixed in (1, 0):
        if fixed == x or (default is not inspect.Parameter.empty and _equal(default, fixed)):
            continue
        changed = list(args)
        changed[i] = fixed
        yield (Finding("argument-fixed", f"`{name}` not used: taken as {fixed}",
                       f"your result is the expected one for {name} = {fixed}, not the {x} "
                       f"passed: your code does not use {name} (a constant in its place, or a "
                       f"formula that holds only for {name} = {fixed}, such as x where x**{name} "
                       "belongs). Use the value passed in.", 3),
               run(ref, changed))


def _equal(a, b) -> bool:
    try:
        return bool(np.all(np.asarray(a) == np.asarray(b)))
    except (TypeError, ValueError):
        return False
