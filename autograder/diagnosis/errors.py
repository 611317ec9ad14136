"""What the error of a call that raises proves by itself, with no probe: a module the grading
environment lacks, a builtin of Python 2 that Python 3 has not (reduce, xrange), a name defined
nowhere the function can see (a typo), a local variable read before it is assigned, a shape given
to np.zeros as separate numbers (np.zeros(n, 1) reads 1 as a dtype), a helper called with too few
arguments, a method given one argument too many (self.f(self, x)), a size that no input has in
numpy's shape error (a constant written for one data set), arithmetic on a tuple that no input is
(a helper that returns several values).

Each is named only where the message says it and the inputs rule out the other causes; nothing
here is written per graded function.
"""

from __future__ import annotations

import re

import numpy as np

from autograder.diagnosis.relations import Finding

_SHAPE = re.compile(r"\(([\d, ]*)\)")
_TARGET = re.compile(r"into shape (\([\w, ]*\))")  # (100,newaxis): a -1 in the reshape
_TUPLE = re.compile(r"unsupported operand type\(s\) for .*'tuple'")
_MISSING_MODULE = re.compile(r"ModuleNotFoundError: No module named '([\w.]+)'")
# Python 2's builtins that Python 3 moved or removed, with what takes their place
PYTHON2 = {"reduce": "functools.reduce, or better np.sum / np.dot",
           "xrange": "range", "unicode": "str", "basestring": "str", "long": "int",
           "unichr": "chr", "raw_input": "input", "izip": "zip", "imap": "map",
           "iteritems": "items", "itervalues": "values", "has_key": "the `in` operator"}
# a method given one positional argument too many: `self.f(self, x)` passes self twice
_SELF_TWICE = re.compile(r"TypeError: [\w.<>]*?(\w+)\.(\w+)\(\) takes (\d+) positional arguments? "
                         r"but (\d+) were given")
_SHAPE_AS_DTYPE = re.compile(r"TypeError: Cannot interpret '([^']{1,40})' as a data type")
# a call inside the function with too few arguments: `get_column(j)` for get_column(m, j)
_MISSING_ARGUMENT = re.compile(r"TypeError: ([\w.<>]*?)(\w+)\(\) missing \d+ required "
                               r"(?:positional|keyword-only) arguments?: "
                               r"('\w+'(?:(?:,| and) '\w+')*)")
_PYTHON2 = re.compile(r"(?:NameError: name|AttributeError: .* has no attribute) '(\w+)'")
_UNDEFINED = re.compile(r"NameError: name '(\w+)' is not defined(?:\. Did you mean: '(\w+)'\?)?")
_UNBOUND = re.compile(r"UnboundLocalError: (?:cannot access local variable|local variable) '(\w+)'")
# what the sandbox says of a value that is no plain data (autograder/sandbox/codec.py)
_NOT_DATA = re.compile(r"^an? (generator|map|filter|zip|range|dict_values|dict_keys) cannot be "
                       r"sent as plain data|^arrays of dtype object cannot be sent")


def from_message(args: tuple, message: str, function: str = "") -> Finding | None:
    """The Finding the error `message` of a call of `function` on `args` proves, or None."""
    missing = _MISSING_MODULE.match(message)
    if missing:
        return Finding("module-not-available", f"imports `{missing.group(1)}`",
                       f"your function imports `{missing.group(1)}`, which is not installed "
                       "where your notebook is graded. The course's functions use NumPy only: "
                       "write the step with np.", 1)
    old = _PYTHON2.search(message)
    if old and old.group(1) in PYTHON2:
        name = old.group(1)
        return Finding("python-2-builtin", f"`{name}` from Python 2",
                       f"your function uses `{name}`, which Python 2 had and Python 3, where "
                       f"your notebook runs and is graded, does not. Use {PYTHON2[name]}.", 1)
    named = _names(message)
    if named is not None:
        return named
    dtype = _SHAPE_AS_DTYPE.search(message)
    if dtype:
        return Finding("shape-as-two-arguments", "a shape given as separate numbers",
                       f"your function raised: NumPy read `{dtype.group(1)}` as a data type. "
                       "np.zeros, np.ones and np.empty take the whole shape as one tuple, and "
                       "their second argument is the dtype: np.zeros((n, 1)), not np.zeros(n, "
                       "1).", 1)
    helper = _MISSING_ARGUMENT.search(message)
    if helper and helper.group(2) != function:  # the graded function itself: its signature
        name, missing = helper.group(2), helper.group(3)
        return Finding("helper-argument-missing", "a helper called without all its arguments",
                       f"your function raised calling its helper `{name}` without {missing}: "
                       f"the call passes fewer arguments than `def {name}(...)` lists. Pass "
                       "every argument the helper's definition asks for, in its order.", 1)
    twice = _SELF_TWICE.search(message)
    if twice and int(twice.group(4)) == int(twice.group(3)) + 1:
        method = f"{twice.group(1)}.{twice.group(2)}"
        return Finding("method-argument-too-many", "a method called with one argument too many",
                       f"your function raised calling the method {method} with one argument "
                       f"too many ({twice.group(4)} for {twice.group(3)}, self included). Inside "
                       f"a class, `self.{twice.group(2)}(self, x)` passes self twice: Python "
                       f"puts self in by itself, so call `self.{twice.group(2)}(x)`.", 1)
    not_data = _NOT_DATA.match(message)
    if not_data:
        return _not_data(not_data.group(1))
    if _TUPLE.search(message) and not any(isinstance(x, (tuple, list)) for x in args):
        return Finding("tuple-used-as-array", "a tuple used as one array",
                       "your function raised doing arithmetic on a tuple, and no input is one: a "
                       "helper returns several values (as deeplearning.ai's `A, cache = "
                       "sigmoid(Z)` does) and the whole tuple is used as one array. Unpack it "
                       "(`s, _ = helper(z)`), or let the helper return one array.", 1)
    return hard_coded(args, message)


def _names(message: str) -> Finding | None:
    """A name the function reads that has no value where it runs: an undefined one (a typo, a
    variable of another cell), or a local one read before its assignment."""
    undefined = _UNDEFINED.search(message)
    if undefined:
        name, meant = undefined.groups()
        hint = f" (did you mean `{meant}`?)" if meant else ""
        return Finding("name-not-defined", f"uses `{name}`, which is not defined",
                       f"your function raised NameError: it reads the name `{name}`{hint}, which "
                       "is defined nowhere it can see: a typo, or a variable set in another cell "
                       "or outside the function. Use the arguments the function is given, or "
                       "define the name inside it.", 1)
    unbound = _UNBOUND.search(message)
    if unbound:
        name = unbound.group(1)
        return Finding("local-read-before-assignment", f"`{name}` read before it is assigned",
                       f"your function raised UnboundLocalError: it reads the local variable "
                       f"`{name}` on a path where nothing has been assigned to it yet (an "
                       "assignment below the line that reads it, or inside an `if` branch that "
                       f"did not run; an assignment anywhere in the function makes `{name}` "
                       "local, even if a global of that name exists). Assign it before reading "
                       "it, on every path.", 1)
    return None


def _not_data(kind: str | None) -> Finding:
    """A result that is not an array or a list of numbers: what it is, and what to return."""
    if kind is None:
        return Finding("returns-object-array", "an array of Python objects (dtype object)",
                       "your function returned a NumPy array of dtype object (as np.frompyfunc, "
                       "np.vectorize without otypes, or np.array of mixed items give), not of "
                       "numbers. Compute with NumPy's own operations on the float array, or "
                       "convert: `.astype(float)`.", 1)
    cause = "`yield` inside it" if kind == "generator" else f"{kind}(...) left unconverted"
    return Finding("returns-an-iterator", f"a {kind} returned, not a list",
                   f"your function returned a {kind} (a lazy sequence: {cause}), where the "
                   "course's function returns a list or an array: it has no len() and is used up "
                   "after one pass. Collect the items (`return list(...)`, or append to a list "
                   "and return it).", 1)


def _known_sizes(args) -> set[int]:
    """Every size a function can read from its inputs, or compute from two of them (and one
    more or less: a loop's bound)."""
    ints = [int(x) for x in args if isinstance(x, (int, np.integer)) and not isinstance(x, bool)]
    sizes = set(ints)
    for x in args:
        if isinstance(x, np.ndarray):
            sizes |= {*x.shape, x.size}
            if x.dtype.kind in "iu" and x.size:
                sizes.add(int(x.max()) + 1)  # the number of classes of labels
        elif isinstance(x, dict):
            sizes |= {n for v in x.values() if isinstance(v, np.ndarray) for n in v.shape}
    sizes |= {a * b for a in ints for b in ints} | {a // b for a in ints for b in ints if b}
    sizes |= {-(-a // b) for a in ints for b in ints if b}
    return sizes | {n + 1 for n in sizes} | {n - 1 for n in sizes}


def hard_coded(args, message: str) -> Finding | None:
    """A Finding when numpy's shape error names one size that no input has (a constant written
    for one data set: 10 classes, 784 pixels), or None."""
    if not re.search(r"reshape|broadcast|not aligned|mismatch in its core", message):
        return None
    target = _TARGET.search(message)
    shapes = [target.group(1)] if target else _SHAPE.findall(message)
    seen = {int(n) for shape in shapes for n in re.findall(r"\d+", shape)}
    unknown = sorted(n for n in seen - _known_sizes(args) if n >= 2)
    if len(unknown) != 1 or not any(isinstance(x, np.ndarray) for x in args):
        return None
    given = ", ".join(str(x.shape) for x in args if isinstance(x, np.ndarray))
    return Finding("hard-coded-size", f"a size of {unknown[0]} written into the code",
                   f"your function raised on a shape with an axis of {unknown[0]}, which none "
                   f"of the inputs has (their shapes: {given}): a size written into the code "
                   "for one data set (its number of classes, features or samples). Read every "
                   "size from the inputs (len(X), y_pred.shape[1]).", 1)
