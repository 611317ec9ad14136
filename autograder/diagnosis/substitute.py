"""Relations of a function mixed up with its neighbour: the reference rerun with one function
replaced by one that students confuse it with (sigmoid where tanh belongs, tanh or sigmoid for a
ReLU hidden layer, log1p, log10 or log2 where the natural log belongs), and a neuron's output
mixed up with its activation's, the bias left out (`without_bias`: a perceptron's sigmoid(w . x)).

Grader-side only, like reconstruct.py. A swap is tried only where the reference's own code (or a
course function it calls) uses the function it replaces, and it is named only where its value
reproduces the student's result and differs from the expected one (reconstruct.Evaluated.fits).
Nothing here is written per graded function: a new function that calls np.tanh or np.log gets
these swaps.
"""

from __future__ import annotations

import copy
import inspect
import re
import types
from collections.abc import Callable, Iterator

import numpy as np

from autograder.diagnosis.relations import Finding


def _sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def _relu(z):
    return np.maximum(0.0, np.asarray(z, dtype=float))


# (what the reference uses, what is used instead, its function, how to tell them apart)
SWAPS: list[tuple[str, str, Callable, str]] = [
    ("tanh", "sigmoid", _sigmoid,
     "tanh(z) = 2 * sigmoid(2z) - 1 is another function (values in (-1, 1), not (0, 1)): use "
     "np.tanh(z)"),
    ("sigmoid", "tanh", np.tanh,
     "sigmoid(z) = 1 / (1 + exp(-z)), values in (0, 1); np.tanh is another activation"),
    ("relu", "sigmoid", _sigmoid,
     "this layer is a ReLU, np.maximum(0, z): a sigmoid there is another network"),
    ("relu", "tanh", np.tanh,
     "this layer is a ReLU, np.maximum(0, z): a tanh there is another network"),
    ("log", "log1p", np.log1p,
     "np.log1p(p) is ln(1 + p), not ln(p) (it exists for p near 0 of ln(1 + p)): use np.log"),
    ("log", "log10", np.log10, "the cross-entropy's log is the natural log: use np.log"),
    ("log", "log2", np.log2, "the cross-entropy's log is the natural log: use np.log"),
]


class _Numpy(types.ModuleType):
    """NumPy with a few attributes replaced."""

    def __init__(self, overrides: dict):
        super().__init__("numpy")
        self.__dict__.update(overrides)

    def __getattr__(self, name):
        return getattr(np, name)


def _relu_through(act):
    """np.maximum where a ReLU is written np.maximum(0, z): `act` of z there, itself elsewhere."""
    def maximum(a, b, *rest, **kwargs):
        if np.ndim(a) == 0 and a == 0:
            return act(b)
        if np.ndim(b) == 0 and b == 0:
            return act(a)
        return np.maximum(a, b, *rest, **kwargs)
    return maximum


def _names(f, seen=None) -> set[str]:
    """The names `f`'s code reads, and those of the course functions it calls."""
    seen = set() if seen is None else seen
    if not inspect.isfunction(f) or f in seen:
        return set()
    seen.add(f)
    names = set(f.__code__.co_names)
    for const in f.__code__.co_consts:  # nested functions and comprehensions
        if isinstance(const, types.CodeType):
            names |= set(const.co_names)
    for name in list(names):
        g = f.__globals__.get(name)
        if inspect.isfunction(g) and g.__module__.startswith("reference"):
            names |= _names(g, seen)
    return names


def _uses(names: set[str], old: str) -> bool:
    if old == "relu":
        return "relu" in names or "maximum" in names
    return old in names


def swapped(f, old: str, new: Callable):
    """`f` with `old` (a NumPy function or a course function it calls) replaced by `new`, in its
    own code and in the course functions it calls."""
    overrides = {"maximum": _relu_through(new)} if old == "relu" else {old: new}
    namespace = dict(f.__globals__)
    namespace["np"] = _Numpy(overrides)
    for name, value in list(namespace.items()):
        if inspect.isfunction(value) and value.__module__.startswith("reference"):
            copied = types.FunctionType(value.__code__, namespace, value.__name__,
                                        value.__defaults__, value.__closure__)
            copied.__kwdefaults__ = value.__kwdefaults__
            namespace[name] = copied
    if old in namespace:  # a course function of that name (sigmoid, relu, tanh)
        namespace[old] = new
    return namespace[f.__name__]


def substitutions(ref, args: tuple, kwargs: dict) -> Iterator[tuple[Finding, Callable]]:
    """(finding, thunk) for each swap the reference's code admits."""
    names = _names(ref)
    for old, new_name, new, why in SWAPS:
        if not _uses(names, old):
            continue
        f = swapped(ref, old, new)
        yield (Finding(f"function-{new_name}-for-{old}", f"{new_name} where {old} belongs",
                       f"your result is the expected one computed with {new_name} where {old} "
                       f"belongs: {why}.", 3),
               lambda f=f: f(*copy.deepcopy(args), **copy.deepcopy(kwargs)))


_BIAS = re.compile(r"^(b\d*|bias(es)?)$")


def without_bias(ref, args: tuple, kwargs: dict, name: str, g: Callable
                 ) -> Iterator[tuple[Finding, Callable]]:
    """(finding, thunk): the activation `g` (course function `name`) applied to the result of
    `ref` with its bias argument (b, b1, bias) taken as 0, as a perceptron's output without its
    bias is sigmoid(w . x)."""
    try:
        params = list(inspect.signature(ref).parameters)
    except (TypeError, ValueError):
        return
    for i, param in enumerate(params[:len(args)]):
        if not _BIAS.match(param) or not np.any(args[i]):
            continue
        changed = list(args)
        changed[i] = np.asarray(args[i]) * 0.0 if isinstance(args[i], np.ndarray) else 0.0
        yield (Finding(f"activation-without-bias-{name}",
                       f"`{name}` applied, and the bias left out",
                       f"your result is `{name}` of what the function gives with {param} = 0: an "
                       "activation is applied where none belongs, and the bias is never added. "
                       "Return the weighted sum plus the bias as it is (the activation is a step "
                       "of its own).", 3),
               lambda c=changed: g(ref(*copy.deepcopy(c), **copy.deepcopy(kwargs))))
