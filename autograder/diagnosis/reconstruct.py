"""Relations that need the reference: the reference run on changed inputs, or another function.

Grader-side only (the reference never leaves the graders' process). For a call of `function`
with `args`, each relation computes a value with the reference and fits when the student's result
equals it where the result is wrong: the reference on swapped or transposed inputs, with one
argument ignored (its default used, or 0), a neighbouring function's value (another graded
function on the same inputs, an activation applied to the result or to an input first), a
function mixed up with another inside the formula (substitute.py), and the conventions of other
textbooks (conventions.py); the relations that change one argument are in arguments.py.
Nothing here is written per function except the conventions, which are data.
"""

from __future__ import annotations

import copy
import hashlib
import inspect
import pickle
from collections.abc import Callable, Iterator
from typing import NamedTuple

import numpy as np

from autograder.checks.fixed import Fixed
from autograder.diagnosis.arguments import (
    Unproven,
    _is_array,
    epsilon_added,
    fixed_epsilons,
    ignored,
    unless_same,
)
from autograder.diagnosis.conventions import CONVENTIONS
from autograder.diagnosis.probed import as_column
from autograder.diagnosis.relations import Finding, _structure_close
from autograder.diagnosis.substitute import substitutions, without_bias

Candidate = tuple[Finding, Callable[[], object]]


def _callables(module) -> dict[str, Callable]:
    return {name: f for name, f in vars(module).items()
            if inspect.isfunction(f) and not name.startswith("_")
            and f.__module__ == module.__name__}


_REQUIRED: dict[Callable, int] = {}


def _required(f) -> int:
    """How many arguments `f` requires (-1: no signature); the reference functions' never
    change, so each is read once."""
    if f not in _REQUIRED:
        try:
            params = inspect.signature(f).parameters.values()
            _REQUIRED[f] = sum(p.default is inspect.Parameter.empty for p in params)
        except (TypeError, ValueError):
            _REQUIRED[f] = -1
    return _REQUIRED[f]


class Evaluated(NamedTuple):
    """A candidate's finding and its value on a call's inputs, with what the value proves there:
    `distinct`, it differs from the expected result and from what another reading of the answer
    gives (an equal value proves nothing), so a fit proves the claim; and `finite`, it differs
    from the expected result and has no nan or inf (a nan compares with nothing), so a value
    that is not the student's refutes the claim, even where a fit would prove nothing."""

    finding: Finding
    value: object
    distinct: bool
    finite: bool

    def fits(self, actual, rtol: float, atol: float) -> bool:
        """The value reproduces `actual` (the whole result: a relation that would also change
        the parts that are right is not the mistake made) and proves something here."""
        return self.distinct and _structure_close(actual, self.value, rtol, atol)

    def refutes(self, actual, rtol: float, atol: float) -> bool:
        """The claim was tried here and is not the student's result (call after `fits`)."""
        return self.finite and (self.distinct or not _structure_close(actual, self.value, rtol,
                                                                      atol))


# Candidates' values are a pure function of the call's inputs, which a check fixes (constants or
# a seeded generator): the same for every student of a class, so each worker computes them for
# the first student that needs them and keeps them, frozen (checks/fixed.py). A class whose
# inputs vary (a check that feeds one answer into the next) stops adding at the limit.
_EVALUATED = Fixed(limit=1024)


def evaluated(modules: list, function: str, args: tuple, kwargs: dict, expected,
              rtol: float, atol: float, defined: dict[str, str] | None = None) -> list[Evaluated]:
    """Every candidate of `candidates` that runs on these inputs, in its order, evaluated."""
    def make() -> list[Evaluated]:
        out = []
        for finding, thunk in candidates(modules, function, args, kwargs, defined):
            try:
                value = thunk()
            except Exception:  # the reference cannot run on these changed inputs
                continue
            unproven = isinstance(value, Unproven)
            value = value.value if unproven else value
            distinct = value is not None and not _structure_close(value, expected, rtol, atol)
            out.append(Evaluated(finding, value, distinct and not unproven,
                                 distinct and _finite(value)))
        return out

    try:
        key = hashlib.blake2b(pickle.dumps(
            (function, args, kwargs, expected, rtol, atol, sorted((defined or {}).items())),
            protocol=5)).digest()
    except Exception:  # inputs that do not pickle are not kept: computed each time
        return make()
    return _EVALUATED.get(key, make)


def _finite(value) -> bool:
    from autograder.diagnosis import _not_finite

    return not _not_finite(value)


def _long_running() -> set[str]:
    from autograder.config import limits

    return set(limits().call_seconds_by_function)


def _is_rate(x) -> bool:
    """A float scalar a formula multiplies by (a rate, a decay, a beta), not a count."""
    return isinstance(x, (float, np.floating)) and bool(x) and x != 1.0


def _local(args: tuple, defined: dict[str, str] | None) -> tuple:
    """`args` with each student-side handle (Remote) replaced by the grader's own copy of that
    grader-written function (Submission.define), so the reference can call it here."""
    from autograder.sandbox.codec import Remote

    out = []
    for x in args:
        if isinstance(x, Remote) and defined and x.name in defined:
            namespace = {"np": np}
            exec(compile(defined[x.name], f"<grader {x.name}>", "exec"), namespace)
            x = namespace[x.name]
        out.append(x)
    return tuple(out)


def candidates(modules: list, function: str, args: tuple, kwargs: dict,
               defined: dict[str, str] | None = None) -> Iterator[Candidate]:
    """(finding, thunk) pairs; a thunk computes the relation's value (it may raise)."""
    functions: dict[str, Callable] = {}
    for module in modules:
        functions.update(_callables(module))
    ref = functions.get(function)
    if ref is None:
        return
    slow = _long_running()
    if function in slow:  # a long run (a whole training) is not rerun to explain an answer
        return
    args = tuple(copy.deepcopy(_local(args, defined)))

    def run(f, new_args, new_kwargs=None):
        return lambda: f(*copy.deepcopy(new_args), **copy.deepcopy(new_kwargs or kwargs))

    for ident, title, explanation, formula in CONVENTIONS.get(function, ()):
        yield (Finding(f"convention-{ident}", title, explanation, 1),
               lambda formula=formula: formula(*copy.deepcopy(args), **copy.deepcopy(kwargs)))
        for name, fixed, new_args, new_kwargs in fixed_epsilons(formula, args, kwargs):
            yield (Finding(f"convention-{ident}", title, f"{explanation} Your {name} is also a "
                           f"fixed {fixed:g}, not the value passed: use the argument.", 1),
                   unless_same(run(formula, new_args, new_kwargs), run(ref, new_args, new_kwargs)))
        for i, x in enumerate(args):  # the convention, and an upstream gradient left out
            if _is_array(x) and x.dtype.kind == "f" and not np.allclose(x, 1.0):
                ones = list(args)
                ones[i] = np.ones_like(x)
                yield (Finding(f"convention-{ident}", title, f"{explanation} Also, argument "
                               f"{i + 1} is never multiplied in: your result is what the formula "
                               f"gives for argument {i + 1} all ones. Multiply it in (the chain "
                               "rule: upstream gradient times the local derivative).", 1),
                       run(formula, ones))
    yield from substitutions(ref, args, kwargs)
    yield from epsilon_added(ref, args, run)
    for i in range(len(args)):
        for j in range(i + 1, len(args)):
            if type(args[i]) is type(args[j]) and np.shape(args[i]) == np.shape(args[j]):
                swapped = list(args)
                swapped[i], swapped[j] = args[j], args[i]
                yield (Finding("swapped-arguments", f"arguments {i + 1} and {j + 1} swapped",
                               f"your result is the expected one for arguments {i + 1} and "
                               f"{j + 1} given the other way round: check which input each "
                               "step uses (the signature's order).", 3), run(ref, swapped))
    for i in range(len(args)):  # one input where another belongs (y * log(y) for y * log(p))
        for j in range(len(args)):
            if i != j and (_is_array(args[i]) and _is_array(args[j])
                           and np.shape(args[i]) == np.shape(args[j])
                           or _is_rate(args[i]) and _is_rate(args[j])):
                changed = list(args)
                changed[i] = args[j]
                yield (Finding("argument-in-place-of", f"argument {j + 1} used where argument "
                               f"{i + 1} belongs", f"your result is the expected one with "
                               f"argument {j + 1} in place of argument {i + 1}: the formula "
                               f"reads argument {j + 1} where argument {i + 1} belongs. Check "
                               "which input each term uses.", 3), run(ref, changed))
    for i, x in enumerate(args):
        if _is_array(x) and x.ndim == 2 and not (x.shape[0] == x.shape[1] and np.allclose(x, x.T)):
            flipped = list(args)
            flipped[i] = x.T
            yield (Finding("input-transposed", f"argument {i + 1} used transposed",
                           f"your result is what the function gives for argument {i + 1} "
                           "transposed: it treats that array's rows as its columns. Mind the "
                           "course's shapes (X: (n_samples, n_features), W: (n_neurons, "
                           "n_inputs)).", 3, "001"), run(ref, flipped))
    yield from _shifted_by_max(ref, args, run)
    for i, x in enumerate(args):
        if _is_array(x) and x.ndim == 1 and x.dtype.kind == "f":
            column = list(args)
            column[i] = x.reshape(-1, 1)
            yield (as_column(ref, i, x) or Finding(
                "bias-as-column", "assumes a column-shaped bias (n, 1)",
                f"your result is what the function gives for argument {i + 1} as a column "
                f"{(x.size, 1)}: it is added along the wrong axis. Column biases belong where "
                "samples are columns (deeplearning.ai, Nielsen); this course's b has shape "
                "(n_neurons,) and the batch is rows: X @ W.T + b.", 3, "001"), run(ref, column))
    yield from ignored(ref, args, kwargs, run)
    for name, f in functions.items():
        if name == function or name in slow or _required(f) != _required(ref) \
                or _required(f) != len(args):
            continue
        yield (Finding(f"neighbour-{name}", f"returned what `{name}` returns",
                       f"your result is what `{name}` returns on the same inputs. This function "
                       "computes something else: see its row in the table.", 3), run(f, args))
    for name, g in functions.items():
        if _required(g) != 1 or name == function or name in slow:
            continue
        yield (Finding(f"activation-after-{name}", f"`{name}` applied to the result",
                       f"your result is `{name}` of the expected one: an activation is applied "
                       "where none belongs.", 3),
               lambda g=g: g(ref(*copy.deepcopy(args), **copy.deepcopy(kwargs))))
        yield from without_bias(ref, args, kwargs, name, g)
        for i, x in enumerate(args):
            if _is_array(x):
                changed = list(args)
                changed[i] = g(x)
                yield (Finding(f"input-through-{name}", f"`{name}` applied to argument {i + 1} "
                               "first", f"your result is the expected one at `{name}` of "
                               f"argument {i + 1}: the formula is taken at the wrong point (an "
                               "activation applied twice, or its output used where its input "
                               "belongs).", 3), run(ref, changed))


def _shifted_by_max(ref, args, run) -> Iterator[Candidate]:
    """The reference on one float input minus its maximum (over the whole array, or each row's):
    softmax's shift, which leaves softmax as it is, copied into a function it changes."""
    for i, x in enumerate(args):
        if not (_is_array(x) and x.dtype.kind == "f") or not np.max(x):
            continue
        maxima = [("its maximum", np.max(x))]
        if x.ndim == 2:
            maxima.append(("each row's maximum", np.max(x, axis=1, keepdims=True)))
        for words, top in maxima:
            shifted = list(args)
            shifted[i] = x - top
            yield (Finding("input-minus-max", f"argument {i + 1} shifted by {words}",
                           f"your result is the expected one for argument {i + 1} minus "
                           f"{words}: softmax's shift (z - max(z)), which leaves softmax's "
                           "probabilities as they are, changes this function's result. Leave "
                           "it out: only softmax's exp(z) / sum(exp(z)) is unchanged by it.", 3,
                           "001"), run(ref, shifted))
